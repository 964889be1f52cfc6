# SPDX-License-Identifier: Apache-2.0
"""Direct ``GetSecretValue`` and ``GetParameter`` calls for what the manifest cannot serve, their results cached
for :data:`CACHE_TTL_MS`. boto3 is imported on the first call that needs it (``_boto``), never before."""

from __future__ import annotations

import threading

from ._errors import Reason, SecretsPrefetchError, quote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    from ._clock import Clock
    from ._config import Config
    from ._log import Log

    class Fetcher(Protocol):
        def get_secret_value(self, name: str, request: Request, region: str | None) -> str | bytes: ...

        def get_parameter(self, name: str, request: Request, region: str | None) -> str: ...

CACHE_TTL_MS = 300_000


class Request:
    """What to ask for: a secret id (name or ARN) and the version or stage an entry pinned; or, when ``parameter``,
    an SSM parameter (name or ARN, with its ``:version`` or ``:label`` selector, which SSM reads from the name)."""

    __slots__ = ("secret_id", "version_id", "version_stage", "parameter")

    def __init__(self, secret_id: str, version_id: str | None = None, version_stage: str | None = None,
                 parameter: bool = False) -> None:
        self.secret_id = secret_id
        self.version_id = version_id
        self.version_stage = version_stage
        self.parameter = parameter

    @classmethod
    def for_name(cls, name: str) -> Request:
        """A name no entry serves: an SSM parameter ARN is a ``GetParameter``; anything else, a bare ``/a/b`` too
        (secret names may contain ``/``), is the ``SecretId`` of a ``GetSecretValue``."""
        parts = name.split(":", 5)
        is_parameter = (len(parts) == 6 and parts[0] == "arn" and parts[2] == "ssm" and bool(parts[3])
                        and parts[5].startswith("parameter/"))
        return cls(name, parameter=is_parameter)

    @property
    def service(self) -> str:
        return "SSM Parameter Store" if self.parameter else "Secrets Manager"

    def region(self) -> str | None:
        """The region of an ARN id (``arn:partition:secretsmanager:region:account:secret:name``, or an SSM
        parameter's), if it is one."""
        parts = self.secret_id.split(":", 6)
        service = "ssm" if self.parameter else "secretsmanager"
        if len(parts) >= 6 and parts[0] == "arn" and parts[2] == service and parts[3]:
            return parts[3]
        return None

    def describe(self) -> str:
        """For messages: the id and any pinned version, never a value."""
        if self.parameter:
            return f"parameter {quote(self.secret_id)}"
        pinned = [f"version {self.version_id}" if self.version_id is not None else None,
                  f"stage {self.version_stage}" if self.version_stage is not None else None]
        shown = ", ".join(p for p in pinned if p)
        return f"{quote(self.secret_id)} ({shown})" if shown else quote(self.secret_id)


class Fallback:
    def __init__(self, config: Config, log: Log, clock: Clock, fetcher: Fetcher | None = None,
                 connect_timeout_s: float = 2.0, read_timeout_s: float = 5.0) -> None:
        """``fetcher`` replaces the boto3 path (tests); the timeouts bound each attempt of a boto3 call."""
        self._config = config
        self._log = log
        self._clock = clock
        self._fetcher = fetcher
        self._timeouts = (connect_timeout_s, read_timeout_s)
        self._cache: dict[tuple[str | None, str, str | None, str | None, bool], tuple[str | bytes, float]] = {}
        self._key_locks: dict[tuple[str | None, str, str | None, str | None, bool], threading.Lock] = {}
        self._lock = threading.Lock()
        self._choose_lock = threading.Lock()  # importing boto3 takes a while: cache hits must not wait for it

    def fetch(self, name: str, request: Request, reason: str) -> str | bytes:
        """The value of ``request`` (``name`` is what the handler asked for, ``reason`` why the manifest did not
        serve it), from the cache or from Secrets Manager or SSM."""
        region = request.region() or self._config.region
        key = (region, request.secret_id, request.version_id, request.version_stage, request.parameter)
        value = self._cached(key)
        if value is not None:
            return value
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        # One call per secret at a time: threads that miss together wait for the first one's result. Failures
        # are not cached, so a waiting thread then makes its own attempt.
        with key_lock:
            value = self._cached(key)
            if value is not None:
                return value
            call = "SSM GetParameter" if request.parameter else "Secrets Manager GetSecretValue"
            self._log.info(f"secret {quote(name)}: {reason}; calling {call} for "
                           f"{request.describe()} in {region or 'the region boto3 finds'}")
            fetcher = self._fetcher_for(name, request.service)
            if request.parameter:
                value: str | bytes = fetcher.get_parameter(name, request, region)
            else:
                value = fetcher.get_secret_value(name, request, region)
            with self._lock:
                self._cache[key] = (value, self._clock.monotonic_ms() + CACHE_TTL_MS)
            return value

    def _cached(self, key: tuple[str | None, str, str | None, str | None, bool]) -> str | bytes | None:
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and self._clock.monotonic_ms() < hit[1]:
            return hit[0]
        return None

    def _fetcher_for(self, name: str, service: str) -> Fetcher:
        with self._choose_lock:
            if self._fetcher is None:
                try:
                    from ._boto import BotoFetcher
                except ImportError as e:
                    # Not remembered: a function that installs boto3 later (or fixes it) gets it on the next call.
                    raise SecretsPrefetchError(name, Reason.OTHER, _missing_boto3(e, service)) from None
                self._fetcher = BotoFetcher(self._config, self._log, *self._timeouts)
            return self._fetcher


def _missing_boto3(error: ImportError, service: str) -> str:
    return (f"a direct {service} call is needed, but boto3 cannot be imported ({type(error).__name__}: "
            f"{error}). The Lambda Python runtimes include boto3; elsewhere install it: pip install boto3 "
            "(or pip install 'secrets-prefetch[boto3]')")
