# SPDX-License-Identifier: Apache-2.0
"""Shared test support. Assertions on values never print them, and every fake secret value carries a marker,
``spv-`` and 4+ letters or digits (binary values start with one), the suite's one convention (docs/reliability.md,
"Hygiene"): the hygiene scan at the end of the build looks for markers in every output and log file. The helpers
that store values refuse unmarked ones."""

from __future__ import annotations

import base64
import io
import json
import os
import random
import re
import threading
from pathlib import Path

from secrets_prefetch import Reason, SecretsPrefetchError
from secrets_prefetch._client import Client

MARKER = re.compile(r"spv-[A-Za-z0-9]{4,}")
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

MANIFEST_FIXTURES = Path(os.environ.get("SECRETS_PREFETCH_FIXTURES")
                         or Path(__file__).resolve().parents[2] / "fixtures" / "manifest")
CONTRACT_FIXTURES = MANIFEST_FIXTURES.parent / "client-contract"
TEST_LOGS = os.environ.get("SECRETS_PREFETCH_TEST_LOGS")
"""Where the processes the tests start log to (under Maven: target/test-logs, read by the hygiene scan)."""


def marker() -> str:
    return "spv-" + "".join(random.choice(_ALPHABET) for _ in range(8))


def fake_value(label: str) -> str:
    """A new string value: ``label``, a dash and a fresh marker."""
    return f"{label}-{marker()}"


def fake_binary(payload: bytes) -> bytes:
    """A new binary value: a fresh marker's bytes, then ``payload``."""
    return marker().encode("ascii") + payload


def marked(value: str | bytes) -> str | bytes:
    """Returns ``value`` if it carries a marker (a binary one must start with it); fails without showing it."""
    ok = (re.match(rb"spv-[A-Za-z0-9]{4}", value) if isinstance(value, bytes) else MARKER.search(value))
    if not ok:
        raise ValueError(f"fake secret value of {len(value)} chars/bytes has no spv- marker; see tests/helpers.py")
    return value


def assert_same(expected: object, actual: object, what: str) -> None:
    """Compares values without printing either, whether it passes or fails."""
    if type(expected) is not type(actual) or expected != actual:
        raise AssertionError(f"value of {what} differs from the expected one (neither is shown): expected a "
                             f"{type(expected).__name__}, got a {type(actual).__name__}")


def assert_no_leak(text: str, *values: str | bytes) -> None:
    """Fails if ``text`` (a message, a log) contains any of ``values``, or any marker at all."""
    for value in values:
        shown = value if isinstance(value, str) else base64.b64encode(value).decode()
        if shown in text:
            raise AssertionError(f"a secret value ({len(value)} chars) appears in the text; first 40 chars of the "
                                 f"text with the value cut: {text.replace(shown, '<value>')[:40]!r}")
    if MARKER.search(text):
        raise AssertionError("a fake secret marker appears in the text (not shown)")


def failure(call, *args) -> SecretsPrefetchError:
    """The SecretsPrefetchError ``call(*args)`` raises; a returned value is not shown."""
    try:
        call(*args)
    except SecretsPrefetchError as e:
        return e
    raise AssertionError("expected a SecretsPrefetchError, got a value (not shown)")


class FakeClock:
    """Time that moves only when told to, or when the code under test sleeps."""

    def __init__(self, epoch_ms: int = 1_764_171_600_000) -> None:
        self._monotonic = 1_000_000.0
        self._epoch = epoch_ms
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic_ms(self) -> float:
        with self._lock:
            return self._monotonic

    def epoch_ms(self) -> int:
        with self._lock:
            return self._epoch

    def sleep_ms(self, millis: float) -> None:
        with self._lock:
            self.sleeps.append(millis)
        self.advance(millis)

    def advance(self, millis: float) -> None:
        with self._lock:
            self._monotonic += millis
            self._epoch += int(-(-millis // 1))


class Call:
    def __init__(self, name: str, secret_id: str, version_id: str | None, version_stage: str | None,
                 region: str | None, parameter: bool = False) -> None:
        self.name, self.secret_id, self.version_id, self.version_stage, self.region, self.parameter = (
            name, secret_id, version_id, version_stage, region, parameter)

    def __repr__(self) -> str:
        kind = "GetParameter" if self.parameter else "GetSecretValue"
        return f"Call({kind} {self.secret_id!r}, {self.version_id!r}, {self.version_stage!r}, {self.region!r})"


class RecordingFetcher:
    """Stands in for the boto3 path: answers from a dict by secret id and records every call."""

    def __init__(self, values: dict[str, str | bytes] | None = None) -> None:
        self.values = {k: marked(v) for k, v in (values or {}).items()}
        self.calls: list[Call] = []
        self._lock = threading.Lock()

    def get_secret_value(self, name, request, region):
        with self._lock:
            self.calls.append(Call(name, request.secret_id, request.version_id, request.version_stage, region))
        value = self.values.get(request.secret_id)
        if value is None:
            raise SecretsPrefetchError(name, Reason.NOT_FOUND, "not found (recording fetcher)")
        return value

    def get_parameter(self, name, request, region):
        """Parameters are recorded as calls with ``parameter`` set; values come from the same dict."""
        with self._lock:
            self.calls.append(Call(name, request.secret_id, None, None, region, parameter=True))
        value = self.values.get(request.secret_id)
        if value is None:
            raise SecretsPrefetchError(name, Reason.NOT_FOUND, "not found (recording fetcher)")
        return value


class SecretsDir:
    """A secrets directory of its own, written the way the extension writes it (temporary file + rename)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(mode=0o700, exist_ok=True)
        self.manifest = path / "manifest.json"
        self._count = 0
        self._lock = threading.Lock()

    def write(self, manifest: dict | str | bytes) -> None:
        if isinstance(manifest, dict):
            data = json.dumps(manifest).encode()
        else:
            data = manifest.encode() if isinstance(manifest, str) else manifest
        with self._lock:
            self._count += 1
            tmp = self.path / f".manifest.{threading.get_ident()}.{self._count}.tmp"
        tmp.write_bytes(data)
        tmp.chmod(0o600)
        os.replace(tmp, self.manifest)

    def copy_fixture(self, name: str) -> None:
        self.write((MANIFEST_FIXTURES / name).read_bytes())


def entry(secret_id: str, string: str | None = None, binary: bytes | None = None, error: str | None = None,
          unmarked_ok: bool = False, **extra: object) -> dict:
    """One manifest entry. ``unmarked_ok`` is for the shared contract's own values, which the contract owns."""
    e: dict = {"secretId": secret_id, "fetchedAtEpochMs": 1_764_171_600_100}
    if string is not None:
        e["secretString"] = string if unmarked_ok else marked(string)
    if binary is not None:
        e["secretBinary"] = base64.b64encode(marked(binary)).decode()
    if error is not None:
        e["error"] = {"code": error, "message": "failed in test"}
    e.update(extra)
    return e


def ready(generation: int = 1, **secrets: dict) -> dict:
    return {"formatVersion": 1, "generation": generation, "state": "ready", "writtenAtEpochMs": 1,
            "writer": "test/0", "secrets": secrets}


def pending(deadline_epoch_ms: int, generation: int = 1) -> dict:
    return {"formatVersion": 1, "generation": generation, "state": "pending", "deadlineEpochMs": deadline_epoch_ms,
            "writtenAtEpochMs": 1, "writer": "test/0"}


class Harness:
    """A client on a secrets directory of its own, logging at debug into a buffer."""

    def __init__(self, directory: SecretsDir) -> None:
        self.dir = directory
        self.out = io.StringIO()
        self.clock = FakeClock()
        self.fetcher = RecordingFetcher()

    def client(self, env: dict[str, str] | None = None, **options) -> Client:
        base = {"SECRETS_PREFETCH_DIR": str(self.dir.path), "AWS_REGION": "us-east-1",
                "SECRETS_PREFETCH_LOG_LEVEL": "debug"}
        options.setdefault("clock", self.clock)
        options.setdefault("fetcher", self.fetcher)
        return Client(env={**base, **(env or {})}, out=self.out, **options)

    @property
    def log(self) -> str:
        return self.out.getvalue()

    def lines(self, level: str | None = None) -> list[str]:
        lines = self.log.splitlines()
        return [line for line in lines if line.startswith(f"[secrets-prefetch] {level} ")] if level else lines
