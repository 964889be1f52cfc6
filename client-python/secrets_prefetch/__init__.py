# SPDX-License-Identifier: Apache-2.0
"""Secrets for Python Lambda handlers, prefetched by the secrets-prefetch extension.

::

    import secrets_prefetch

    db = secrets_prefetch.get_json("db")  # at module level: read once per execution environment

    def handler(event, context):
        api_key = secrets_prefetch.get("api-key")                 # str
        password = secrets_prefetch.get_field("db", "password")   # one field of a JSON secret
        signing_key = secrets_prefetch.get_binary("signing-key")  # bytes

Each call reads the manifest the extension writes (``$SECRETS_PREFETCH_DIR/manifest.json``, default
``/tmp/secrets-prefetch``) with the standard library only, waiting while it is pending. Without a manifest, or for
a secret it does not hold, the value comes from a direct ``GetSecretValue`` call through boto3 instead (cached for
300 s), so the same code runs with and without the layer. A name is looked up by the name the extension's
configuration gave the secret, then by its secret id or ARN; anything else is the ``SecretId`` of a direct call.

Every failure to return a secret is a :class:`SecretsPrefetchError` naming the secret and a :class:`Reason`, never
the value. A bad name is a ``TypeError`` or ``ValueError``; an invalid ``SECRETS_PREFETCH_*`` setting makes every
call raise a ``RuntimeError`` naming it. All functions are thread-safe.
"""

from __future__ import annotations

# _thread, not threading: its locks are the same objects, without importing threading on the manifest path.
from _thread import allocate_lock

from ._errors import Reason, SecretsPrefetchError
from ._version import VERSION as __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextvars import ContextVar
    from typing import Any

    from ._client import Client

__all__ = ["Reason", "SecretsPrefetchError", "get", "get_binary", "get_field", "get_json"]

# Not named after a submodule: importing secrets_prefetch._client sets the package's attribute _client.
_lock = allocate_lock()
_shared: Client | None = None
_problem: ValueError | None = None
_scoped: ContextVar[Client | None] | None = None
"""Set by ``secrets_prefetch.testing`` when a test first opens fake secrets; in a function it stays ``None``, and a
call costs one look at it."""


def get(name: str) -> str:
    """The value of a string secret.

    :param name: the name configured for the extension, or a secret id or ARN
    :raises SecretsPrefetchError: if the secret cannot be read, or is binary (``Reason.WRONG_TYPE``)
    """
    return _instance().get(name)


def get_binary(name: str) -> bytes:
    """The bytes of a binary secret (``SecretBinary``).

    :raises SecretsPrefetchError: if the secret cannot be read, or is a string (``Reason.WRONG_TYPE``)
    """
    return _instance().get_binary(name)


def get_field(name: str, field: str) -> str:
    """One top-level field of a JSON secret such as ``{"username": "app", "password": "..."}``: a string field
    decoded, any other field (number, ``true``, ``false``, object, array) as its JSON text exactly as written in
    the secret (``"5432"``, ``"1.10"``, ``'{"x": 1}'``).

    :raises SecretsPrefetchError: if the secret cannot be read, is not a JSON object (``Reason.INVALID_JSON``),
        or has no such field or it is ``null`` (``Reason.NO_SUCH_FIELD``)
    """
    return _instance().get_field(name, field)


def get_json(name: str) -> Any:
    """A JSON secret as Python values, a new object on each call: objects as ``dict``, arrays as ``list``,
    integers as ``int``, other numbers as ``float``. The JSON must be strict: no duplicate keys, comments, NaN,
    lone surrogate escapes, nothing after the document, at most 100 levels deep.

    :raises SecretsPrefetchError: if the secret cannot be read, or is not such JSON or is ``null``
        (``Reason.INVALID_JSON``)
    """
    return _instance().get_json(name)


def _instance() -> Client:
    if _scoped is not None:
        scoped = _scoped.get()
        if scoped is not None:
            return scoped
    client = _shared
    if client is not None:
        return client
    return _create()


def _create() -> Client:
    global _shared, _problem
    with _lock:
        if _shared is None and _problem is None:
            from ._client import Client  # noqa: PLC0415 - keeps `import secrets_prefetch` itself cheap
            from ._config import ConfigError  # noqa: PLC0415

            try:
                _shared = Client()
            except ConfigError as e:
                _problem = e
        if _problem is not None:
            raise RuntimeError(f"secrets-prefetch is misconfigured: {_problem}")
        assert _shared is not None
        return _shared
