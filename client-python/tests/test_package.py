# SPDX-License-Identifier: Apache-2.0
"""The package as a handler uses it, in fresh interpreters: the public API, the standard library alone on the
manifest path, the error when boto3 is missing, a misconfiguration failing every call, and the exception's shape."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import secrets_prefetch
from helpers import assert_no_leak, entry, fake_binary, fake_value, ready
from secrets_prefetch import Reason, SecretsPrefetchError

PACKAGE_ROOT = Path(secrets_prefetch.__file__).resolve().parents[1]


def _run(code: str, env: dict[str, str], no_site: bool = False) -> subprocess.CompletedProcess:
    """Runs ``code`` in a fresh interpreter that finds the package on PYTHONPATH; ``no_site`` hides
    site-packages (boto3, moto, pytest)."""
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(PACKAGE_ROOT), "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.environ["AWS_CONFIG_FILE"],
            "AWS_SHARED_CREDENTIALS_FILE": os.environ["AWS_SHARED_CREDENTIALS_FILE"]}
    args = [sys.executable, *(["-S"] if no_site else []), "-c", code]
    result = subprocess.run(args, env={**base, **env}, capture_output=True, text=True, timeout=60)
    sys.stdout.write(result.stdout + result.stderr)  # into the test report, for the hygiene scan
    return result


READ_EVERYTHING = """
import sys
before = set(sys.modules)
import secrets_prefetch as s
values = [s.get("text"), s.get_binary("key"), s.get_field("db", "port"), s.get_json("db"), s.get("prod/text")]
loaded = sorted({m.split(".")[0] for m in set(sys.modules) - before})
outside = [m for m in loaded if m not in sys.stdlib_module_names and m != "secrets_prefetch"]
fallback = sorted(m for m in sys.modules if m.startswith(("secrets_prefetch._fallback", "secrets_prefetch._boto")))
print(len(values), outside, fallback)
"""


def test_serving_from_the_manifest_imports_nothing_outside_the_standard_library(secrets_dir):
    secrets_dir.write(ready(text=entry("prod/text", string=fake_value("text")),
                            key=entry("prod/key", binary=fake_binary(b"\x00")),
                            db=entry("prod/db", string='{"port": 5432, "password": "pw-spv-Pk1a"}')))
    result = _run(READ_EVERYTHING, {"SECRETS_PREFETCH_DIR": str(secrets_dir.path), "AWS_REGION": "us-east-1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "5 [] []\n", "no boto3, botocore or other non-stdlib module, and no fallback code"


def test_without_boto3_a_direct_call_fails_naming_what_to_install(secrets_dir):
    code = """
import secrets_prefetch as s
try:
    s.get("prod/db")
except s.SecretsPrefetchError as e:
    print(e.reason.value, e)
"""
    result = _run(code, {"SECRETS_PREFETCH_DIR": str(secrets_dir.path), "AWS_REGION": "us-east-1"}, no_site=True)
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    assert last.startswith('OTHER secret "prod/db": a direct Secrets Manager call is needed, but boto3 cannot be '
                           "imported (ModuleNotFoundError: No module named 'boto3')"), result.stdout
    assert "pip install boto3" in result.stdout
    assert "[secrets-prefetch] INFO" in result.stdout, "the log line says why a direct call was needed"


def test_a_misconfigured_environment_fails_every_call_naming_the_variable(secrets_dir):
    secrets_dir.write(ready(db=entry("prod/db", string=fake_value("db"))))
    code = """
import secrets_prefetch as s
for _ in range(2):
    try:
        s.get("db")
    except RuntimeError as e:
        print(e)
"""
    result = _run(code, {"SECRETS_PREFETCH_DIR": str(secrets_dir.path), "SECRETS_PREFETCH_WAIT_MS": "ten"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("secrets-prefetch is misconfigured: SECRETS_PREFETCH_WAIT_MS "
                                                   "must be a whole number") for line in lines), lines


def test_log_lines_go_to_standard_output_filtered_by_the_log_level(secrets_dir):
    secrets_dir.write(b"{not a manifest")
    env = {"SECRETS_PREFETCH_DIR": str(secrets_dir.path), "AWS_REGION": "us-east-1"}
    code = "import secrets_prefetch as s\ntry:\n    s.get('db')\nexcept s.SecretsPrefetchError:\n    pass\n"
    shown = _run(code, env, no_site=True)
    assert shown.stdout.splitlines()[0].startswith(f"[secrets-prefetch] WARN manifest {secrets_dir.manifest} "
                                                   "ignored: manifest is not valid JSON"), shown.stdout
    assert shown.stderr == ""
    assert _run(code, {**env, "SECRETS_PREFETCH_LOG_LEVEL": "off"}, no_site=True).stdout == ""


def test_the_public_api_is_small_and_typed():
    assert sorted(secrets_prefetch.__all__) == ["Reason", "SecretsPrefetchError", "get", "get_binary", "get_field",
                                                "get_json"]
    assert (Path(secrets_prefetch.__file__).parent / "py.typed").is_file()
    assert secrets_prefetch.__version__.count(".") == 2


def test_the_exception_carries_name_and_reason_and_survives_pickling():
    error = SecretsPrefetchError("db", Reason.NOT_FOUND, "Secrets Manager has no secret")
    assert (error.secret_name, error.reason) == ("db", Reason.NOT_FOUND)
    assert error.reason == "NOT_FOUND" and str(error.reason) == "NOT_FOUND"
    assert str(error) == 'secret "db": Secrets Manager has no secret'
    assert repr(error) == 'SecretsPrefetchError(secret_name="db", reason=NOT_FOUND)'
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.secret_name, copy.reason, str(copy)) == (type(error), "db", Reason.NOT_FOUND, str(error))
    assert [r.name for r in Reason] == ["NOT_FOUND", "ACCESS_DENIED", "THROTTLED", "TIMEOUT", "DECRYPTION_FAILURE",
                                        "INVALID_JSON", "NO_SUCH_FIELD", "WRONG_TYPE", "OTHER"]


def test_messages_never_contain_a_value(harness):
    value = fake_value("wrong-type")
    harness.dir.write(ready(db=entry("prod/db", string=value)))
    error = SecretsPrefetchError("db", Reason.WRONG_TYPE, "x")
    try:
        harness.client().get_binary("db")
    except SecretsPrefetchError as e:
        error = e
    assert error.reason == Reason.WRONG_TYPE
    assert_no_leak(str(error) + repr(error) + json.dumps(error.args), value)


def test_staging_copies_the_package_with_bytecode_that_fresh_interpreters_load(tmp_path, secrets_dir):
    """script/stage: what a layer ships, so that a cold start on read-only /opt loads .pyc files instead of
    compiling the sources."""
    script = PACKAGE_ROOT / "script" / "stage"
    staged = subprocess.run(["bash", str(script), str(tmp_path)], env={"PATH": os.environ["PATH"],
                            "PYTHONS": sys.executable}, capture_output=True, text=True, timeout=120)
    sys.stdout.write(staged.stdout + staged.stderr)
    assert staged.returncode == 0, staged.stderr
    package = tmp_path / "secrets_prefetch"
    sources = sorted(p.name for p in package.glob("*.py"))
    assert sources == sorted(p.name for p in (PACKAGE_ROOT / "secrets_prefetch").glob("*.py")
                             if p.name != "testing.py"), "the package without its test support"
    assert (package / "py.typed").is_file()
    tag = sys.implementation.cache_tag
    assert sorted(p.name for p in (package / "__pycache__").iterdir()) == sorted(
        f"{name[:-3]}.{tag}.pyc" for name in sources)
    secrets_dir.write(ready(db=entry("prod/db", string=fake_value("staged"))))
    code = ("import os, sys, secrets_prefetch as s; s.get('db'); "
            "print(s.__file__.startswith(sys.argv[1]), os.path.isfile(s.__spec__.cached))")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=tmp_path,
                            env={"PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1",
                                 "SECRETS_PREFETCH_DIR": str(secrets_dir.path)}, capture_output=True, text=True)
    assert result.stdout == "True True\n", result.stderr
