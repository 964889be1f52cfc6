# SPDX-License-Identifier: Apache-2.0
"""Fake secrets for unit tests of handlers that use ``secrets_prefetch``: declared in one line, served by the real
client from a real manifest, with no AWS call, no credentials and no emulator::

    from secrets_prefetch.testing import failing, fake_secrets

    def test_handler_answers_with_the_user_name():
        with fake_secrets({"db": {"username": "app", "password": "test-password"},   # JSON
                           "api-key": "test-api-key",                                 # a string
                           "signing-key": b"\\x01\\x02",                                # binary
                           "flags": failing("ACCESS_DENIED")}):                       # Secrets Manager refuses it
            assert handler({}, None)["statusCode"] == 200

or, with pytest, the ``fake_secrets`` fixture (this module is a pytest plugin: installed with pip it is loaded by
itself; a copied package needs ``pytest_plugins = ["secrets_prefetch.testing"]`` in ``conftest.py``)::

    def test_handler(fake_secrets):
        fake_secrets({"api-key": "test-api-key"})
        assert handler({}, None)["statusCode"] == 200

Inside the scope, ``secrets_prefetch.get`` and the others read a ``ready`` manifest of these secrets, written to a
temporary directory. A name that was not declared raises :class:`UndeclaredSecretError` (an ``AssertionError``)
instead of calling Secrets Manager, and the scope raises it again when it ends, in case the handler caught it.
The scope is a context variable: asyncio tasks started inside it see the fakes; other threads, and everything once
the scope has ended, see the client the environment configures. Nothing here reads or changes ``os.environ``.

This module is test support: it ships in the package, not in the layer, and refuses to run inside a Lambda
function.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import shutil
import tempfile
import threading
import time

import secrets_prefetch

from ._client import Client
from ._config import DIR, LOG_LEVEL, MANIFEST_FILE, WAIT_MS
from ._errors import Reason, SecretsPrefetchError, quote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from ._fallback import Request

__all__ = ["Failing", "UndeclaredSecretError", "failing", "fake_secrets"]

_ERROR_CODES = {
    Reason.NOT_FOUND: "ResourceNotFoundException",
    Reason.ACCESS_DENIED: "AccessDeniedException",
    Reason.THROTTLED: "ThrottlingException",
    Reason.TIMEOUT: "Timeout",
    Reason.DECRYPTION_FAILURE: "DecryptionFailure",
    Reason.OTHER: "InternalServiceError",
}
"""What the extension writes into a manifest when Secrets Manager fails for that reason."""
_LAMBDA_VARIABLES = ("AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_RUNTIME_API")
_NAMES_SHOWN = 20

_current: contextvars.ContextVar[Client | None] = contextvars.ContextVar("secrets_prefetch_fakes", default=None)


class UndeclaredSecretError(AssertionError):
    """The code under test asked for a secret the test did not declare. No call to Secrets Manager was made."""


class Failing:
    """A secret declared failing: every call for it raises a ``SecretsPrefetchError`` with :attr:`reason`."""

    __slots__ = ("reason",)

    def __init__(self, reason: Reason) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"failing({self.reason.value!r})"


def failing(reason: Reason | str) -> Failing:
    """A secret that fails as if Secrets Manager had refused it: ``NOT_FOUND``, ``ACCESS_DENIED``, ``THROTTLED``,
    ``TIMEOUT``, ``DECRYPTION_FAILURE`` or ``OTHER``.

    :raises ValueError: for a reason that comes from the value (``INVALID_JSON``, ``NO_SUCH_FIELD``,
        ``WRONG_TYPE``): declare such a value instead
    """
    reason = Reason(reason)
    if reason not in _ERROR_CODES:
        raise ValueError(f"a secret cannot be declared failing with {reason.value}: that reason comes from the value, "
                         "not from Secrets Manager; declare a value that causes it (a string that is not JSON, an "
                         "object without the field, bytes)")
    return Failing(reason)


@contextlib.contextmanager
def fake_secrets(secrets: Mapping[str, object]) -> Iterator[None]:
    """Serves ``secrets`` to ``secrets_prefetch`` in this context until the block ends. Each value is a ``str`` (a
    string secret), ``bytes`` (binary), :func:`failing` (a secret Secrets Manager refuses) or anything else
    ``json.dumps`` writes (a JSON secret: a dict, a list, a number).

    :raises UndeclaredSecretError: at the end of the block, if the code asked for a name that was not declared
    :raises RuntimeError: inside a Lambda function
    :raises TypeError, ValueError: for a declaration that cannot be written into a manifest, naming the secret
    """
    _refuse_inside_lambda()
    entries, failing_ids = _entries(secrets)
    directory = tempfile.mkdtemp(prefix="secrets-prefetch-test-")  # 0700, under the system's temporary directory
    try:
        _write_manifest(directory, entries)
        undeclared = _Undeclared(list(entries))
        client = Client(env={DIR: directory, LOG_LEVEL: "warn", WAIT_MS: "0"},
                        fetcher=_Offline(failing_ids, undeclared.record))
        secrets_prefetch._scoped = _current  # the package's hook: looked at only once a scope was ever opened
        token = _current.set(client)
        try:
            yield
        finally:
            try:
                _current.reset(token)
            except ValueError:
                pass  # set inside an asyncio task's context (an async test's fixture), which ended with it
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    undeclared.check()


def _entries(secrets: Mapping[str, object]) -> tuple[dict[str, dict[str, object]], dict[str, Reason]]:
    now = int(time.time() * 1000)
    entries: dict[str, dict[str, object]] = {}
    failing_ids: dict[str, Reason] = {}
    for name, value in secrets.items():
        if not isinstance(name, str) or not name.strip(" \t\n\r\x0b\x0c"):
            raise ValueError(f"a fake secret's name must be a non-blank str, not {name!r}")
        entry: dict[str, object] = {"secretId": name, "fetchedAtEpochMs": now}
        if isinstance(value, Failing):
            entry["error"] = {"code": _ERROR_CODES[value.reason], "message": "declared failing by the test"}
            failing_ids[name] = value.reason
        elif isinstance(value, (bytes, bytearray, memoryview)):
            import base64  # noqa: PLC0415

            entry["secretBinary"] = base64.b64encode(bytes(value)).decode("ascii")
        elif isinstance(value, str):
            entry["secretString"] = value
        else:
            try:
                entry["secretString"] = json.dumps(value, allow_nan=False)
            except (TypeError, ValueError) as e:
                # Only the type: json's message can quote the value.
                raise TypeError(f"fake secret {quote(name)}: a {type(value).__name__} is neither str, bytes, "
                                f"failing(...) nor something json.dumps can write ({type(e).__name__})") from None
        entries[name] = entry
    return entries, failing_ids


def _write_manifest(directory: str, entries: dict[str, dict[str, object]]) -> None:
    manifest = {"formatVersion": 1, "generation": 1, "state": "ready", "writtenAtEpochMs": int(time.time() * 1000),
                "writer": "secrets-prefetch-testing/1", "secrets": entries}
    try:
        data = json.dumps(manifest, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("a fake secret's name or value holds a lone surrogate, which no manifest can carry (UTF-8 "
                         "has no encoding for it)") from None
    # Atomically, mode 0600, as the extension writes it.
    temporary = os.path.join(directory, ".manifest.json.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(temporary, os.path.join(directory, MANIFEST_FILE))


def _refuse_inside_lambda() -> None:
    for variable in _LAMBDA_VARIABLES:
        if os.environ.get(variable, "").strip():
            raise RuntimeError(f"fake secrets are test support: they refuse to run inside a Lambda function "
                               f"({variable} is set), where they must never replace real secrets; keep "
                               "secrets_prefetch.testing out of deployed code")


class _Offline:
    """The scope's stand-in for Secrets Manager: a declared failure, or the test's error; never a call."""

    def __init__(self, failing_ids: dict[str, Reason], undeclared: Callable[[str], UndeclaredSecretError]) -> None:
        self._failing = failing_ids
        self._undeclared = undeclared

    def get_secret_value(self, name: str, request: Request, region: str | None) -> str | bytes:
        reason = self._failing.get(request.secret_id)
        if reason is not None:
            raise SecretsPrefetchError(name, reason, f"the test declared this secret failing with {reason.value}; no "
                                                     f"call to {request.service} was made")
        raise self._undeclared(name)

    # An SSM parameter ARN the test did not declare: the same answers.
    get_parameter = get_secret_value


class _Undeclared:
    def __init__(self, declared: list[str]) -> None:
        self._declared = declared
        self._asked: dict[str, None] = {}
        self._lock = threading.Lock()

    def record(self, name: str) -> UndeclaredSecretError:
        with self._lock:
            self._asked[name] = None
        shown = ", ".join(quote(n) for n in self._declared[:_NAMES_SHOWN]) or "none"
        more = ", ..." if len(self._declared) > _NAMES_SHOWN else ""
        return UndeclaredSecretError(
            f"secret {quote(name)} is not one of the fake secrets this test declared ({shown}{more}); declare it, "
            f"e.g. fake_secrets({{{quote(name)}: ...}}), or {{{quote(name)}: failing(\"NOT_FOUND\")}} for a secret "
            "the code must do without. No call to Secrets Manager was made.")

    def check(self) -> None:
        with self._lock:
            asked = list(self._asked)
        if asked:
            raise UndeclaredSecretError(
                f"the code under test asked for secrets this test did not declare: {', '.join(quote(n) for n in asked)}"
                " (each call raised UndeclaredSecretError; if none reached the test, the code caught it). Declare "
                "them in fake_secrets({...}).")


try:
    import pytest
except ImportError:  # the context manager works without pytest
    pass
else:

    @pytest.fixture(name="fake_secrets")
    def _fake_secrets_fixture() -> Iterator[Callable[[Mapping[str, object]], None]]:
        """``fake_secrets({...})`` in a test: those secrets until the test ends."""
        with contextlib.ExitStack() as scopes:
            yield lambda secrets: scopes.enter_context(fake_secrets(secrets))
