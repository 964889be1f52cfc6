# SPDX-License-Identifier: Apache-2.0
"""Every environment variable the client reads (docs/python-client.md has the same table), parsed once into an
immutable :class:`Config`. Built from a mapping the caller hands in, never from ``os.environ`` behind its back."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

DIR = "SECRETS_PREFETCH_DIR"
"""The secrets directory holding ``manifest.json``; default :data:`DEFAULT_DIR`."""
WAIT_MS = "SECRETS_PREFETCH_WAIT_MS"
"""Cap, in milliseconds, on waiting for a ``pending`` manifest; default :data:`DEFAULT_WAIT_MS`."""
LOG_LEVEL = "SECRETS_PREFETCH_LOG_LEVEL"
"""``debug``, ``info``, ``warn``, ``error`` or ``off``; default ``info``."""
CONFIG = "SECRETS_PREFETCH_CONFIG"
"""The extension's configuration file (read by the extension only; known here so it is not called a typo)."""
SECRETS = "SECRETS_PREFETCH_SECRETS"
"""The extension's inline list of secrets (read by the extension only)."""
ENDPOINT_URL = "AWS_ENDPOINT_URL_SECRETS_MANAGER"
"""Endpoint override for the direct calls, e.g. an emulator; passed to boto3 explicitly, so that boto3 releases
older than the service-specific endpoint variables honour it too."""
ENDPOINT_URL_SSM = "AWS_ENDPOINT_URL_SSM"
"""Endpoint override for direct ``GetParameter`` calls (SSM Parameter Store), passed to boto3 the same way."""
REGION = "AWS_REGION"
"""The region of secrets named without an ARN (Lambda sets it)."""
DEFAULT_REGION = "AWS_DEFAULT_REGION"
"""The region when ``AWS_REGION`` is not set."""

DEFAULT_DIR = "/tmp/secrets-prefetch"
MANIFEST_FILE = "manifest.json"
DEFAULT_WAIT_MS = 10_000
MAX_WAIT_MS = 900_000
"""Lambda's longest invocation: waiting longer can never help."""
LOG_LEVELS = ("debug", "info", "warn", "error", "off")
WHITESPACE = " \t\n\r\x0b\x0c"
"""What "trimmed" and "blank" mean for settings and secret names (fixtures/client-contract)."""

_PREFIX = "SECRETS_PREFETCH_"
_KNOWN = frozenset((DIR, WAIT_MS, LOG_LEVEL, CONFIG, SECRETS))
_URL = r"https?://[^/\s?#]+(?:/[^\s?#]*)?"


class ConfigError(ValueError):
    """A setting has a value the client cannot use; the message names the variable."""


class Config:
    """The client's settings. Immutable."""

    __slots__ = ("directory", "manifest_path", "wait_ms", "log_level", "region", "endpoint", "ssm_endpoint",
                 "unknown_variables")

    directory: str
    manifest_path: str
    wait_ms: int
    log_level: str
    region: str | None
    endpoint: str | None
    ssm_endpoint: str | None
    unknown_variables: tuple[str, ...]

    def __init__(self, directory: str, wait_ms: int, log_level: str, region: str | None, endpoint: str | None,
                 unknown_variables: tuple[str, ...] = (), ssm_endpoint: str | None = None) -> None:
        base = directory.rstrip("/") or "/"
        set_ = object.__setattr__
        set_(self, "directory", directory)
        set_(self, "manifest_path", base + MANIFEST_FILE if base == "/" else base + "/" + MANIFEST_FILE)
        set_(self, "wait_ms", wait_ms)
        set_(self, "log_level", log_level)
        set_(self, "region", region)
        set_(self, "endpoint", endpoint)
        set_(self, "ssm_endpoint", ssm_endpoint)
        set_(self, "unknown_variables", unknown_variables)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Config is immutable")

    def __repr__(self) -> str:
        # The endpoint is not shown: a URL may carry credentials.
        return (f"Config(manifest_path={self.manifest_path!r}, wait_ms={self.wait_ms}, log_level={self.log_level!r}, "
                f"region={self.region!r}, endpoint={'set' if self.endpoint else 'none'})")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Config:
        """Parses ``env``.

        :raises ConfigError: naming the variable, the bad value and what is accepted
        """
        unknown = tuple(sorted(k for k in env if k.startswith(_PREFIX) and k not in _KNOWN))
        return cls(directory=_directory(_value(env, DIR)), wait_ms=_wait_ms(_value(env, WAIT_MS)),
                   log_level=_log_level(_value(env, LOG_LEVEL)),
                   region=_value(env, REGION) or _value(env, DEFAULT_REGION),
                   endpoint=_endpoint(_value(env, ENDPOINT_URL), ENDPOINT_URL, "secretsmanager"),
                   ssm_endpoint=_endpoint(_value(env, ENDPOINT_URL_SSM), ENDPOINT_URL_SSM, "ssm"),
                   unknown_variables=unknown)


def _value(env: Mapping[str, str], key: str) -> str | None:
    """The trimmed value; ``None`` when unset or blank."""
    value = env.get(key)
    if value is None:
        return None
    value = value.strip(WHITESPACE)
    return value or None


def _directory(text: str | None) -> str:
    if text is None:
        return DEFAULT_DIR
    if not text.startswith("/"):
        raise ConfigError(f"{DIR} must be an absolute path such as {DEFAULT_DIR} (the default); was {text!r}")
    return text


def _wait_ms(text: str | None) -> int:
    if text is None:
        return DEFAULT_WAIT_MS
    # Leading zeros stripped first: int() of a huge digit string is slow, and refused beyond 4300 digits.
    digits = text.isascii() and text.isdigit()
    if digits and len(text.lstrip("0")) <= len(str(MAX_WAIT_MS)) and int(text) <= MAX_WAIT_MS:
        return int(text)
    raise ConfigError(f"{WAIT_MS} must be a whole number of milliseconds from 0 to {MAX_WAIT_MS} "
                      f"(default {DEFAULT_WAIT_MS}); was {text!r}")


def _log_level(text: str | None) -> str:
    if text is None:
        return "info"
    level = text.lower()
    if level in LOG_LEVELS:
        return level
    raise ConfigError(f"{LOG_LEVEL} must be one of {', '.join(LOG_LEVELS)}; was {text!r}")


def _endpoint(text: str | None, variable: str, service: str) -> str | None:
    if text is None:
        return None
    import re  # noqa: PLC0415 - compiled only when the variable is set, never on a Lambda cold start

    if re.fullmatch(_URL, text, re.IGNORECASE):
        return text
    # The value is not repeated: an endpoint URL may carry credentials.
    raise ConfigError(f"{variable} must be an http:// or https:// URL with a host, such as "
                      f"https://{service}.us-east-1.amazonaws.com; unset it or fix it (its value is not shown)")
