# SPDX-License-Identifier: Apache-2.0
"""Everything behind the package's functions: the decision, per call, between the manifest and a direct call
(docs/manifest.md, "Rules for readers"). One per process in production; tests build their own."""

from __future__ import annotations

import os
# _thread, not threading: its locks are the same objects, without importing threading on the manifest path.
from _thread import allocate_lock

from . import _json
from ._clock import Clock
from ._config import WAIT_MS, WHITESPACE, Config
from ._errors import Reason, SecretsPrefetchError, quote
from ._log import Log
from ._source import ManifestSource

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TextIO

    from ._fallback import Fallback, Fetcher
    from ._manifest import Entry, Manifest

FIRST_POLL_MS = 5
MAX_POLL_MS = 50


class Client:
    def __init__(self, env: Mapping[str, str] | None = None, out: TextIO | None = None, clock: Clock | None = None,
                 fetcher: Fetcher | None = None, connect_timeout_s: float = 2.0, read_timeout_s: float = 5.0) -> None:
        """``env``: the environment to read (default ``os.environ``); ``out``: where log lines go (default
        standard output); ``fetcher`` replaces the boto3 path and the timeouts bound each boto3 attempt.

        :raises ConfigError: naming the variable when a setting is invalid
        """
        self.config = Config.from_env(os.environ if env is None else env)
        self._log = Log(self.config.log_level, out)
        self._clock = clock or Clock()
        self._source = ManifestSource(self.config.manifest_path, self._clock, self._log)
        self._fallback_options = (fetcher, connect_timeout_s, read_timeout_s)
        self._fallback: Fallback | None = None
        self._lock = allocate_lock()
        self._stuck_generation = -1
        if self.config.unknown_variables:
            self._log.warn(f"ignoring unknown environment variables {', '.join(self.config.unknown_variables)}; the "
                           "client reads SECRETS_PREFETCH_DIR, SECRETS_PREFETCH_WAIT_MS and SECRETS_PREFETCH_LOG_LEVEL")

    def get(self, name: str) -> str:
        value = self._value(name)
        if isinstance(value, bytes):
            raise SecretsPrefetchError(name, Reason.WRONG_TYPE, "the secret is binary, not a string; use get_binary")
        return value

    def get_binary(self, name: str) -> bytes:
        value = self._value(name)
        if not isinstance(value, bytes):
            raise SecretsPrefetchError(name, Reason.WRONG_TYPE, "the secret is a string, not binary; use get, "
                                                                "get_field or get_json")
        return value

    def get_field(self, name: str, field: str) -> str:
        if not isinstance(field, str):
            raise TypeError(f"field must be a str, not {type(field).__name__}")
        text = self._text(name)
        document = self._parse(name, text, python_numbers=False)
        if type(document) is not dict:
            raise SecretsPrefetchError(name, Reason.INVALID_JSON, "the secret is JSON but not an object, so it has no "
                                                                  "fields; use get or get_json")
        value = document.get(field)
        if value is None:
            null = " (it is null)" if field in document else ""
            raise SecretsPrefetchError(name, Reason.NO_SUCH_FIELD, f"the JSON secret has no field {quote(field)}{null}")
        if value is True or value is False:
            return "true" if value else "false"
        if type(value) is dict or type(value) is list:
            return _json.member_text(text, field)
        return str(value)  # a string decoded, a number as written (Int and Float are str)

    def get_json(self, name: str) -> Any:
        value = self._parse(name, self._text(name), python_numbers=True)
        if value is None:
            raise SecretsPrefetchError(name, Reason.INVALID_JSON, "the secret is JSON null, not a value")
        return value

    def _text(self, name: str) -> str:
        value = self._value(name)
        if isinstance(value, bytes):
            raise SecretsPrefetchError(name, Reason.WRONG_TYPE, "the secret is binary, not a string; use get_binary "
                                                                "and parse it")
        return value

    @staticmethod
    def _parse(name: str, text: str, python_numbers: bool) -> Any:
        try:
            return _json.parse(text, python_numbers)
        except _json.JsonError:
            # Not even the position: the message is about a secret, and JSON parsers' messages quote input.
            raise SecretsPrefetchError(name, Reason.INVALID_JSON, "the secret is not valid JSON; use get for "
                                                                  "plain-text secrets") from None

    def _value(self, name: str) -> str | bytes:
        if not isinstance(name, str):
            raise TypeError(f"secret name must be a str, not {type(name).__name__}")
        if not name.strip(WHITESPACE):
            raise ValueError("secret name must not be empty or only whitespace")
        manifest = self._source.current()
        if manifest is not None and manifest.pending:
            manifest = self._wait_while_pending(manifest)
        if manifest is None:
            return self._direct(name, "no usable manifest", None)
        if manifest.pending:
            return self._direct(name, f"manifest generation {manifest.generation} still pending when the wait "
                                      "ended", None)
        entry = manifest.resolve(name)
        if entry is None:
            return self._direct(name, f"not in manifest generation {manifest.generation}", None)
        if entry.error_code is not None:
            return self._direct(name, f"manifest generation {manifest.generation} has error {entry.error_code} for "
                                      "it", entry)
        return entry.value  # type: ignore[return-value]  # an entry holds a value or an error code

    def _direct(self, name: str, reason: str, entry: Entry | None) -> str | bytes:
        """A direct call for ``entry`` (its secret, pinned version included, or its parameter), or for ``name``
        when no entry serves it."""
        # The direct-call code is imported when a first secret needs it, never while the manifest serves them all.
        from ._fallback import Fallback, Request  # noqa: PLC0415

        with self._lock:
            if self._fallback is None:
                self._fallback = Fallback(self.config, self._log, self._clock, *self._fallback_options)
            fallback = self._fallback
        if entry is None:
            request = Request.for_name(name)
        elif entry.parameter is not None:
            request = Request(entry.parameter, parameter=True)
        else:
            request = Request(entry.id, entry.requested_version_id, entry.requested_version_stage)
        return fallback.fetch(name, request, reason)

    def _wait_while_pending(self, manifest: Manifest | None) -> Manifest | None:
        """Polls the file in growing steps (5 ms doubling to 50 ms) until the manifest is no longer pending, or
        until the earlier of its deadline and SECRETS_PREFETCH_WAIT_MS after the wait began. The standard library
        cannot wait for a file to change; one lstat per step costs microseconds, and the extension takes tens to
        hundreds of milliseconds to finish."""
        clock = self._clock
        started = clock.monotonic_ms()
        cap = started + self.config.wait_ms
        poll = FIRST_POLL_MS
        if manifest is not None:
            self._log.debug(f"manifest pending (generation {manifest.generation}); waiting for the extension")
        while manifest is not None and manifest.pending:
            now = clock.monotonic_ms()
            remaining = min(cap, now + manifest.deadline_epoch_ms - clock.epoch_ms()) - now
            if remaining <= 0:
                break
            clock.sleep_ms(min(poll, remaining))
            poll = min(poll * 2, MAX_POLL_MS)
            manifest = self._source.current(force=True)
        self._log_wait(manifest, round(clock.monotonic_ms() - started))
        return manifest

    def _log_wait(self, manifest: Manifest | None, waited: int) -> None:
        if manifest is None:
            self._log.info(f"manifest went away or became unusable while waiting ({waited} ms)")
            return
        if not manifest.pending:
            self._log.info(f"waited {waited} ms for the extension's manifest (generation {manifest.generation})")
            return
        with self._lock:
            first = self._stuck_generation != manifest.generation
            self._stuck_generation = manifest.generation
        if first:
            self._log.warn(f"manifest still pending after waiting {waited} ms (its deadline or {WAIT_MS}="
                           f"{self.config.wait_ms} reached); calling Secrets Manager directly")
        else:
            self._log.debug(f"manifest still pending after waiting {waited} ms")
