# SPDX-License-Identifier: Apache-2.0
"""import secrets_prefetch + the first get from a manifest, in fresh interpreters, side by side with a bare one.

    python3 bench/import_and_get.py [runs]

Runs every variant in turn, ``runs`` rounds (default 40), in a virtual environment without packages (so that no
site-packages .pth file of the machine runs at start-up), and prints the median and the best wall time of each,
and the client's share: the variant minus its baseline. Lambda's Python runtime has imported json and logging
(so re, enum, threading, ...) before it imports the handler, hence the second baseline. Also prints a warm
get's cost, in-process. Values are never printed.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])
GET = "import secrets_prefetch; secrets_prefetch.get('db')"
VARIANTS = {
    "bare: python -c pass": "pass",
    "runtime-like: import json, logging": "import json, logging",
    "import secrets_prefetch + first get": GET,
    "runtime-like + import + first get": "import json, logging; " + GET,
    "import secrets_prefetch + first get_json": "import secrets_prefetch; secrets_prefetch.get_json('db')",
}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    work = Path(tempfile.mkdtemp(prefix="secrets-prefetch-bench-"))
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(work / "venv")], check=True)
        python = str(work / "venv" / "bin" / "python")
        secrets = work / "secrets"
        secrets.mkdir(mode=0o700)
        entry = {"secretId": "prod/db", "fetchedAtEpochMs": 1, "secretString": json.dumps(
            {"username": "app", "password": "bench-password-spv-Bn7q", "port": 5432})}
        others = {f"s{i}": {"secretId": f"prod/s{i}", "fetchedAtEpochMs": 1, "secretString": "x" * 200}
                  for i in range(20)}
        (secrets / "manifest.json").write_text(json.dumps(
            {"formatVersion": 1, "generation": 1, "state": "ready", "writtenAtEpochMs": 1, "writer": "bench/0",
             "secrets": {"db": entry, **others}}))
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": PACKAGE_ROOT, "PYTHONDONTWRITEBYTECODE": "1",
               "SECRETS_PREFETCH_DIR": str(secrets), "AWS_REGION": "us-east-1"}
        # The package's bytecode is compiled once, as a layer built with compiled .pyc files would have it.
        subprocess.run([python, "-m", "compileall", "-q", os.path.join(PACKAGE_ROOT, "secrets_prefetch")],
                       check=True, env={**env, "PYTHONDONTWRITEBYTECODE": ""})
        wall: dict[str, list[float]] = {name: [] for name in VARIANTS}
        cpu: dict[str, list[float]] = {name: [] for name in VARIANTS}
        for _ in range(runs):
            for name, code in VARIANTS.items():
                start = time.perf_counter()
                child = subprocess.Popen([python, "-c", code], env=env, stdout=subprocess.DEVNULL)
                _, status, usage = os.wait4(child.pid, 0)
                wall[name].append((time.perf_counter() - start) * 1000)
                child.returncode = os.waitstatus_to_exitcode(status)
                if child.returncode != 0:
                    raise SystemExit(f"{name} failed with {child.returncode}")
                cpu[name].append((usage.ru_utime + usage.ru_stime) * 1000)
        print(f"Python {sys.version.split()[0]}, {runs} rounds; ms per fresh interpreter (wall; CPU = user + system)")
        print(f"{'variant':42} {'wall median':>12} {'wall best':>10} {'CPU median':>11} {'CPU best':>9}")
        for name in VARIANTS:
            print(f"{name:42} {statistics.median(wall[name]):12.1f} {min(wall[name]):10.1f} "
                  f"{statistics.median(cpu[name]):11.1f} {min(cpu[name]):9.1f}")
        for variant, base in (("import secrets_prefetch + first get", "bare: python -c pass"),
                              ("runtime-like + import + first get", "runtime-like: import json, logging")):
            w, c = statistics.median(wall[variant]), statistics.median(cpu[variant])
            wb, cb = statistics.median(wall[base]), statistics.median(cpu[base])
            print(f"{variant} against {base}: wall +{w - wb:.1f} ms ({w / wb:.2f}x), CPU +{c - cb:.1f} ms "
                  f"({c / cb:.2f}x), medians")
        print("In-process, from after start-up (and after the runtime's imports) to after the first get:")
        for label, before in (("after `import json, logging` (as in Lambda)", "import json, logging; "),
                              ("on a bare interpreter", "")):
            code = (f"import time; {before}t = time.perf_counter(); {GET}; "
                    "print((time.perf_counter() - t) * 1000)")
            samples = [float(subprocess.run([python, "-c", code], check=True, env=env, capture_output=True,
                                            text=True).stdout) for _ in range(runs)]
            print(f"  {label}: median {statistics.median(samples):.2f} ms, best {min(samples):.2f} ms")
        warm = subprocess.run([python, "-c", (
            "import timeit, secrets_prefetch; secrets_prefetch.get('db'); "
            "print(min(timeit.repeat(lambda: secrets_prefetch.get('db'), number=100000, repeat=5)) / 100000 * 1e6)")],
            check=True, env=env, capture_output=True, text=True).stdout.strip()
        print(f"warm get (in-process, best of 5 x 100000): {float(warm):.2f} us")
    finally:
        shutil.rmtree(work)
        for cache in Path(PACKAGE_ROOT, "secrets_prefetch").glob("__pycache__"):
            shutil.rmtree(cache)


if __name__ == "__main__":
    main()
