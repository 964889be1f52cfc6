# SPDX-License-Identifier: Apache-2.0
"""One manifest (docs/manifest.md, format version 1), parsed and validated with the standard library only.

The syntax rules are checked over the whole document first, the format version next, then every known field with
its type, in the Java and the Ruby readers' order. Messages name fields and positions, never content: entries are
named by their position (``secrets entry 2``), since a name is file content and may be anything.
"""

from __future__ import annotations

import binascii

from . import _json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT_VERSION = 1
_INT64 = (-(2**63), 2**63 - 1)


class ManifestError(Exception):
    """A manifest file exists but cannot be used; readers treat it as absent. The message names the problem."""

    def __init__(self, message: str, unknown_version: bool = False) -> None:
        super().__init__(message)
        self.unknown_version = unknown_version


class Entry:
    """What the manifest holds for one configured secret or SSM parameter: a value (``str`` or ``bytes``) or an
    error code. A secret entry has a ``secret_id``, a parameter entry a ``parameter`` (with its selector, if any)."""

    __slots__ = ("secret_id", "parameter", "arn", "requested_version_id", "requested_version_stage",
                 "pins_parameter_version", "value", "error_code")

    secret_id: str | None
    parameter: str | None
    arn: str | None
    requested_version_id: str | None
    requested_version_stage: str | None
    pins_parameter_version: bool
    value: str | bytes | None
    error_code: str | None

    def __init__(self, secret_id: str | None, arn: str | None, requested_version_id: str | None,
                 requested_version_stage: str | None, value: str | bytes | None, error_code: str | None,
                 parameter: str | None = None, pins_parameter_version: bool = False) -> None:
        self.secret_id = secret_id
        self.parameter = parameter
        self.arn = arn
        self.requested_version_id = requested_version_id
        self.requested_version_stage = requested_version_stage
        self.pins_parameter_version = pins_parameter_version
        self.value = value
        self.error_code = error_code

    @property
    def id(self) -> str:
        """The secret id or the parameter, as configured."""
        return self.secret_id if self.secret_id is not None else self.parameter  # type: ignore[return-value]

    @property
    def pins_version(self) -> bool:
        return (self.pins_parameter_version or self.requested_version_id is not None
                or self.requested_version_stage is not None)

    def __repr__(self) -> str:
        if self.error_code is not None:
            held = f"error {self.error_code}"
        elif isinstance(self.value, bytes):
            held = f"{len(self.value)} bytes"
        else:
            held = f"{len(self.value or '')} chars"
        kind = "secret_id" if self.secret_id is not None else "parameter"
        return f"Entry({kind}={self.id!r}, {held})"


class Manifest:
    """A ``pending`` manifest (wait until ``deadline_epoch_ms``) or a ``ready`` one (``secrets`` is final)."""

    __slots__ = ("generation", "state", "deadline_epoch_ms", "secrets")

    generation: int
    state: str
    deadline_epoch_ms: int
    secrets: dict[str, Entry]

    def __init__(self, generation: int, state: str, deadline_epoch_ms: int, secrets: dict[str, Entry]) -> None:
        self.generation = generation
        self.state = state
        self.deadline_epoch_ms = deadline_epoch_ms
        self.secrets = secrets

    @property
    def pending(self) -> bool:
        return self.state == "pending"

    def resolve(self, name: str) -> Entry | None:
        """The entry of that name, else one that pins no version and whose secret id, parameter or ARN equals it."""
        entry = self.secrets.get(name)
        if entry is not None:
            return entry
        for entry in self.secrets.values():
            if not entry.pins_version and (entry.id == name or entry.arn == name):
                return entry
        return None

    def __repr__(self) -> str:
        return f"Manifest(generation={self.generation}, state={self.state}, secrets={len(self.secrets)})"


def parse(data: bytes) -> Manifest:
    """Parses a manifest file's bytes.

    :raises ManifestError: if they are not a version-1 manifest
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _corrupt("manifest is not UTF-8 text") from None
    try:
        doc = _json.parse(text)
    except _json.JsonError as e:
        raise _corrupt(f"manifest {e}") from None
    if type(doc) is not dict:
        raise _corrupt(f"manifest top level must be an object, is {_describe(doc)}")
    if "formatVersion" not in doc:
        raise _corrupt("manifest has no formatVersion")
    version = _integer(doc["formatVersion"], "formatVersion")
    if version != FORMAT_VERSION:
        raise ManifestError(f"manifest formatVersion {version} is not supported (this reader knows {FORMAT_VERSION}); "
                            "upgrade the client to match the extension layer", unknown_version=True)
    return _manifest(doc)


def _manifest(doc: dict[str, Any]) -> Manifest:
    generation = _optional(doc, "generation", _integer, "field generation")
    state = _optional(doc, "state", _string, "field state")
    deadline = _optional(doc, "deadlineEpochMs", _integer, "field deadlineEpochMs")
    written_at = _optional(doc, "writtenAtEpochMs", _integer, "field writtenAtEpochMs")
    writer = _optional(doc, "writer", _string, "field writer")
    secrets = _entries(doc["secrets"]) if "secrets" in doc else None
    if _required(state, "state") not in ("pending", "ready"):
        raise _corrupt('manifest field state must be "pending" or "ready"')
    if _required(generation, "generation") < 1:
        raise _corrupt("manifest field generation must be at least 1")
    _required(written_at, "writtenAtEpochMs")
    _required(writer, "writer")
    if state == "pending":
        return Manifest(generation, "pending", _required(deadline, "deadlineEpochMs"), {})
    return Manifest(generation, "ready", 0, _required(secrets, "secrets"))


def _entries(node: Any) -> dict[str, Entry]:
    if type(node) is not dict:
        raise _corrupt(f"manifest secrets must be an object, is {_describe(node)}")
    return {name: _entry(position, value) for position, (name, value) in enumerate(node.items(), 1)}


def _entry(position: int, node: Any) -> Entry:
    where = f"secrets entry {position}"
    if type(node) is not dict:
        raise _corrupt(f"manifest {where} must be an object, is {_describe(node)}")
    at = where + " field "
    secret_id = _optional(node, "secretId", _string, at + "secretId")
    arn = _optional(node, "arn", _string, at + "arn")
    _optional(node, "versionId", _string, at + "versionId")
    _optional(node, "versionStages", _string_array, at + "versionStages")
    version_id = _optional(node, "requestedVersionId", _string, at + "requestedVersionId")
    version_stage = _optional(node, "requestedVersionStage", _string, at + "requestedVersionStage")
    fetched_at = _optional(node, "fetchedAtEpochMs", _integer, at + "fetchedAtEpochMs")
    values: list[str | bytes] = []
    error_code = None
    if "secretString" in node:
        values.append(_string(node["secretString"], at + "secretString"))
    if "secretBinary" in node:
        values.append(_base64(_string(node["secretBinary"], at + "secretBinary"), at + "secretBinary"))
    if "error" in node:
        error_code = _error_code(node["error"], at + "error")
    count = len(values) + (error_code is not None)
    if count != 1:
        raise _corrupt(f"manifest {where} must have exactly one of secretString, secretBinary and error, has {count}")
    parameter = _optional(node, "parameter", _string, at + "parameter")
    _optional(node, "parameterType", _string, at + "parameterType")
    _optional(node, "parameterVersion", _integer, at + "parameterVersion")
    requested_version = _optional(node, "requestedVersion", _integer, at + "requestedVersion")
    requested_label = _optional(node, "requestedLabel", _string, at + "requestedLabel")
    if (secret_id is None) == (parameter is None):
        has = "neither" if secret_id is None else "both"
        raise _corrupt(f"manifest {where} must have exactly one of secretId and parameter, has {has}")
    _required(fetched_at, where + " field fetchedAtEpochMs")
    if parameter is None:
        return Entry(secret_id, arn, version_id, version_stage, values[0] if values else None, error_code)
    if "secretBinary" in node:
        raise _corrupt(f"manifest {where} is a parameter with a secretBinary; an SSM parameter's value is text")
    return Entry(None, arn, None, None, values[0] if values else None, error_code, parameter=parameter,
                 pins_parameter_version=requested_version is not None or requested_label is not None)


def _error_code(node: Any, where: str) -> str:
    if type(node) is not dict:
        raise _corrupt(f"manifest {where} must be an object, is {_describe(node)}")
    _optional(node, "message", _string, where + ".message")
    return _required(_optional(node, "code", _string, where + ".code"), where + ".code")


def _base64(text: str, where: str) -> bytes:
    # Canonical base64 only, with its padding complete or left out, as the Java and Ruby readers accept it:
    # a2b_base64 skips characters outside the alphabet and ignores stray bits, so the bytes are encoded back
    # and compared.
    padded = text if "=" in text else text + "=" * (-len(text) % 4)
    try:
        data = binascii.a2b_base64(padded)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise _corrupt(f"manifest {where} is not valid base64") from None
    if binascii.b2a_base64(data, newline=False).decode("ascii") != padded:
        raise _corrupt(f"manifest {where} is not valid base64")
    return data


def _optional(node: dict[str, Any], field: str, read: Any, where: str) -> Any:
    return read(node[field], where) if field in node else None


def _integer(value: Any, where: str) -> int:
    if type(value) is not _json.Int:
        raise _corrupt(f"manifest {where} must be an integer, is {_describe(value)}")
    # Checked before converting: a number of a million digits must not cost a conversion.
    number = int(value) if len(value) <= 20 else None
    if number is None or not _INT64[0] <= number <= _INT64[1]:
        raise _corrupt(f"manifest {where} must be an integer from {_INT64[0]} to {_INT64[1]}")
    return number


def _string(value: Any, where: str) -> str:
    if type(value) is not str:
        raise _corrupt(f"manifest {where} must be a string, is {_describe(value)}")
    return value


def _string_array(value: Any, where: str) -> list[str]:
    if type(value) is not list:
        raise _corrupt(f"manifest {where} must be an array, is {_describe(value)}")
    for item in value:
        _string(item, where + "[]")
    return value


def _required(value: Any, what: str) -> Any:
    if value is None:
        raise _corrupt(f"manifest has no {what}")
    return value


def _corrupt(message: str) -> ManifestError:
    return ManifestError(message)


def _describe(value: Any) -> str:
    kind = type(value)
    if kind is dict:
        return "an object"
    if kind is list:
        return "an array"
    if kind is _json.Int:
        return "an integer"
    if kind is _json.Float:
        return "a decimal number"
    if kind is str:
        return "a string"
    if kind is bool:
        return "a boolean"
    return "null"
