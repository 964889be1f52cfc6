# SPDX-License-Identifier: Apache-2.0
"""The one exception class of the package, and its reason codes."""

from __future__ import annotations

import enum


class Reason(str, enum.Enum):
    """What kind of failure a :class:`SecretsPrefetchError` is (the names of the Java client's reasons).

    A ``str`` enum: ``error.reason == "NOT_FOUND"`` holds as well as ``error.reason is Reason.NOT_FOUND``.
    """

    NOT_FOUND = "NOT_FOUND"
    """Secrets Manager has no such secret (or no such version) in that region."""
    ACCESS_DENIED = "ACCESS_DENIED"
    """The function's role may not read the secret (``secretsmanager:GetSecretValue``, ``kms:Decrypt``)."""
    THROTTLED = "THROTTLED"
    """Secrets Manager throttled the calls, even after the SDK's retries."""
    TIMEOUT = "TIMEOUT"
    """Secrets Manager did not answer in time."""
    DECRYPTION_FAILURE = "DECRYPTION_FAILURE"
    """Secrets Manager could not decrypt the secret with its KMS key."""
    INVALID_JSON = "INVALID_JSON"
    """``get_field`` or ``get_json`` on a secret that is not JSON of the needed shape."""
    NO_SUCH_FIELD = "NO_SUCH_FIELD"
    """The JSON secret has no such top-level field, or the field is ``null``."""
    WRONG_TYPE = "WRONG_TYPE"
    """A string accessor on a binary secret, or the other way round."""
    OTHER = "OTHER"
    """Anything else (no boto3, no credentials, an unreachable endpoint, ...); the message says what."""

    def __str__(self) -> str:
        return self.value


class SecretsPrefetchError(Exception):
    """A secret could not be returned.

    ``secret_name`` is the name the caller asked for and ``reason`` a :class:`Reason`; the message names the
    secret and the cause and never contains a value::

        try:
            token = secrets_prefetch.get("feature-flags-token")
        except secrets_prefetch.SecretsPrefetchError as e:
            if e.reason != secrets_prefetch.Reason.NOT_FOUND:
                raise
            token = None  # an optional secret: run without it
    """

    secret_name: str
    reason: Reason

    def __init__(self, secret_name: str, reason: Reason, message: str) -> None:
        super().__init__(f"secret {quote(secret_name)}: {message}")
        self.secret_name = secret_name
        self.reason = reason
        self._detail = message

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled with its attributes (multiprocessing, error trackers), not with the formatted message only.
        return (type(self), (self.secret_name, self.reason, self._detail))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(secret_name={quote(self.secret_name)}, reason={self.reason.value})"


def quote(text: str) -> str:
    """``text`` in double quotes for a message or log line, control characters and lone surrogates escaped, so
    that a name can neither break a log line in two nor fail to print."""
    out = ['"']
    for char in text:
        if char == '"' or char == "\\":
            out.append("\\" + char)
        elif char < " " or "\x7f" <= char <= "\x9f" or char in "\u2028\u2029" or "\ud800" <= char <= "\udfff":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)
