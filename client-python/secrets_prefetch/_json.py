# SPDX-License-Identifier: Apache-2.0
"""Strict JSON, as the manifest (docs/manifest.md, "Syntax") and JSON secrets (fixtures/client-contract) need it:
RFC 8259 in full, no duplicate key in any object, no escaped half of a surrogate pair, no NaN or Infinity,
nested at most :data:`MAX_DEPTH` levels, nothing after the document.

The standard library's C scanner does the parsing; what it tolerates beyond these rules (duplicate keys, lone
surrogates, NaN, deep nesting) is refused around it. Numbers are kept as the text they were written as
(:class:`Int`, :class:`Float`) unless Python numbers are asked for. Error messages name the rule and a position,
never content: the documents hold secret values.
"""

from __future__ import annotations

import json
import json.decoder
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

MAX_DEPTH = 100
"""Objects and arrays nested deeper than this are refused (the top-level value is level 1)."""

# Compiled on first use (re caches them): most documents never need them, and compiling costs a cold start.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_NOT_BRACKET = r"[^\[\]{}]+"
_SURROGATE = "[\ud800-\udfff]"
_WHITESPACE = json.decoder.WHITESPACE  # JSON's four whitespace characters


class JsonError(ValueError):
    """Not strict JSON. The message says which rule is broken (and where, when known), never what is there."""


class Int(str):
    """A JSON integer, as written (``-0``, ``123456789012345678901234567890``)."""

    __slots__ = ()


class Float(str):
    """A JSON number with a fraction or an exponent, as written (``1.10``, ``1e400``)."""

    __slots__ = ()


class _DuplicateKey(Exception):
    pass


class _Constant(Exception):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _constant(name: str) -> Any:
    raise _Constant


def _python_int(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        return float(text)


def _decoder(python_numbers: bool) -> json.JSONDecoder:
    # A decoder per document: the C scanner keeps per-call state, and building one costs about a microsecond.
    parse_int: Callable[[str], Any] = _python_int if python_numbers else Int
    parse_float: Callable[[str], Any] = float if python_numbers else Float
    return json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant, parse_int=parse_int,
                            parse_float=parse_float, strict=True)


def parse(text: str, python_numbers: bool = False) -> Any:
    """The value of the JSON document ``text``: objects as dicts, arrays as lists, strings decoded; numbers as
    :class:`Int` / :class:`Float` text, or as ``int`` / ``float`` with ``python_numbers``.

    :raises JsonError: if ``text`` breaks a rule
    """
    if text.startswith("\ufeff"):
        raise JsonError("starts with a byte order mark")
    _check_depth(text)
    try:
        value = _decoder(python_numbers).decode(text)
    except _DuplicateKey:
        raise JsonError("has a duplicate key") from None
    except _Constant:
        raise JsonError("is not valid JSON (NaN or Infinity)") from None
    except json.JSONDecodeError as e:
        raise JsonError(f"is not valid JSON ({e.msg.removesuffix(' at')}, line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise JsonError(f"is nested deeper than {MAX_DEPTH} levels") from None
    # Only a document that spells an escape starting \uD (a surrogate's) can hold a lone one: the walk is skipped
    # for all others.
    if ("\\ud" in text or "\\uD" in text) and _has_lone_surrogate(value):
        raise JsonError("has a string with an unpaired surrogate escape")
    return value


def member_text(text: str, key: str) -> str:
    """The text of the top-level member ``key`` exactly as written, of a document :func:`parse` accepted as an
    object that has the member."""
    scan = _decoder(False).scan_once
    i = _skip(text, 0) + 1  # past "{"
    while True:
        name, i = json.decoder.scanstring(text, _skip(text, i) + 1, True)
        start = _skip(text, _skip(text, i) + 1)  # past ":"
        _, end = scan(text, start)
        if name == key:
            return text[start:end]
        i = _skip(text, end) + 1  # past ","


def _skip(text: str, i: int) -> int:
    return _WHITESPACE.match(text, i).end()  # type: ignore[union-attr]  # matches the empty string at worst


def _check_depth(text: str) -> None:
    # A document with at most MAX_DEPTH opening brackets anywhere, strings included, cannot nest deeper.
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for bracket in re.sub(_NOT_BRACKET, "", re.sub(_STRING, "", text, flags=re.DOTALL)):
        if bracket == "[" or bracket == "{":
            depth += 1
            if depth > MAX_DEPTH:
                raise JsonError(f"is nested deeper than {MAX_DEPTH} levels")
        else:
            depth -= 1


def _has_lone_surrogate(value: Any) -> bool:
    # The scanner joins an escaped pair into one character, so any surrogate left in a string is unpaired.
    surrogate = re.compile(_SURROGATE)
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if surrogate.search(item):
                return True
        elif isinstance(item, dict):
            for name, member in item.items():
                if surrogate.search(name):
                    return True
                stack.append(member)
        elif isinstance(item, list):
            stack.extend(item)
    return False
