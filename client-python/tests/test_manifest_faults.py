# SPDX-License-Identifier: Apache-2.0
"""A manifest path that is not a readable regular file: a symbolic link, a FIFO, a directory, a huge file, a file
the function's user cannot read. Each is treated as absent with one warning, and none blocks or crashes a call."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from pathlib import Path

from helpers import MANIFEST_FIXTURES, RecordingFetcher, assert_same, entry, fake_value, ready

from secrets_prefetch._client import Client
from secrets_prefetch._source import MAX_BYTES, RECHECK_MS, ManifestSource


def _direct_client(harness):
    harness.fetcher = RecordingFetcher({"db": "direct-db-spv-Ft1a"})
    return harness.client()


def test_a_symbolic_link_at_the_manifest_path_is_never_followed(harness, tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_bytes((MANIFEST_FIXTURES / "valid.json").read_bytes())
    harness.dir.manifest.symlink_to(target)
    secrets = _direct_client(harness)
    assert_same("direct-db-spv-Ft1a", secrets.get("db"), "db")
    warnings = harness.lines("WARN")
    assert len(warnings) == 1 and "is a symbolic link, which readers never follow" in warnings[0]


def test_a_fifo_at_the_manifest_path_is_never_opened(harness):
    os.mkfifo(harness.dir.manifest)
    secrets = _direct_client(harness)
    results: list[str] = []
    reader = threading.Thread(target=lambda: results.append(secrets.get("db")), daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "the call blocked on the FIFO"
    assert len(results) == 1
    assert_same("direct-db-spv-Ft1a", results[0], "db")
    assert "is not a regular file (a directory, FIFO or device)" in harness.lines("WARN")[0]


def test_a_fifo_swapped_in_after_the_look_is_refused_without_blocking(harness):
    """The open itself cannot block (O_NONBLOCK), so a FIFO that replaces the file between the lstat and the open
    is refused too."""
    os.mkfifo(harness.dir.manifest)
    source = ManifestSource(str(harness.dir.manifest), harness.clock, harness.client()._log)
    done = threading.Event()
    threading.Thread(target=lambda: (source._load(None), done.set()), daemon=True).start()
    assert done.wait(10), "opening the FIFO blocked"
    assert "is not a regular file" in harness.log


def test_a_directory_at_the_manifest_path_is_refused(harness):
    harness.dir.manifest.mkdir()
    assert_same("direct-db-spv-Ft1a", _direct_client(harness).get("db"), "db")
    assert len(harness.lines("WARN")) == 1


def test_a_huge_file_is_refused_unread_with_one_warning(harness):
    with open(harness.dir.manifest, "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no 64 MiB written, and a read would be noticed as slow, not wrong
    secrets = _direct_client(harness)
    assert_same("direct-db-spv-Ft1a", secrets.get("db"), "db")
    harness.clock.advance(RECHECK_MS)
    secrets.get("db")
    warnings = harness.lines("WARN")
    assert len(warnings) == 1 and f"is {MAX_BYTES + 1} bytes, more than a manifest can be" in warnings[0]


def _as_another_user(scenario, *args) -> str:
    """Runs ``scenario(*args)`` in a forked child as user nobody when this is root (root reads any file whatever
    its mode), else in a forked child as this user; returns what it wrote to its pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 1
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            os.write(write_end, scenario(*args).encode())
            status = 0
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            os.write(write_end, f"child failed: {type(e).__name__}: {e}".encode())
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        output = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output
    return output


def _unreadable_then_fixed(directory: str, value: str) -> str:
    import io

    from helpers import FakeClock

    manifest = Path(directory) / "manifest.json"
    manifest.chmod(0o000)
    out, clock = io.StringIO(), FakeClock()
    secrets = Client(env={"SECRETS_PREFETCH_DIR": directory, "AWS_REGION": "us-east-1",
                          "SECRETS_PREFETCH_LOG_LEVEL": "debug"}, out=out, clock=clock,
                     fetcher=RecordingFetcher({"db": "direct-db-spv-Ft2b"}))
    first = secrets.get("db") == "direct-db-spv-Ft2b"
    manifest.chmod(0o600)  # same inode, size and mtime: only a retried read can notice
    clock.advance(RECHECK_MS)
    second = secrets.get("db") == value
    warnings = [line for line in out.getvalue().splitlines() if " WARN " in line]
    return f"{first} {second} {len(warnings)} {'EACCES' in (warnings or [''])[0]}"


def test_an_unreadable_manifest_is_absent_with_one_warning_and_read_again_once_fixed():
    value = fake_value("db")
    directory = tempfile.mkdtemp(prefix="secrets-prefetch-unreadable-")
    try:
        manifest = Path(directory) / "manifest.json"
        manifest.write_text(json.dumps(ready(db=entry("prod/db", string=value))))
        if os.geteuid() == 0:
            for path in (directory, manifest):
                os.chown(path, 65534, 65534)
        assert _as_another_user(_unreadable_then_fixed, directory, value) == "True True 1 True"
    finally:
        shutil.rmtree(directory)


def _unsearchable_directory(directory: str) -> str:
    import io

    out = io.StringIO()
    Path(directory).chmod(0o000)
    secrets = Client(env={"SECRETS_PREFETCH_DIR": directory, "AWS_REGION": "us-east-1"}, out=out,
                     fetcher=RecordingFetcher({"db": "direct-db-spv-Ft3c"}))
    served = secrets.get("db") == "direct-db-spv-Ft3c"
    Path(directory).chmod(0o700)
    warnings = [line for line in out.getvalue().splitlines() if " WARN " in line]
    return f"{served} {len(warnings)} {'cannot be looked at (EACCES' in (warnings or [''])[0]}"


def test_an_unsearchable_directory_falls_back_with_one_warning():
    directory = tempfile.mkdtemp(prefix="secrets-prefetch-unsearchable-")
    try:
        (Path(directory) / "manifest.json").write_text(json.dumps(ready(db=entry("prod/db", string=fake_value("db")))))
        if os.geteuid() == 0:
            os.chown(directory, 65534, 65534)
        assert _as_another_user(_unsearchable_directory, directory) == "True 1 True"
    finally:
        shutil.rmtree(directory)
