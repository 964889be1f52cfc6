# SPDX-License-Identifier: Apache-2.0
"""Manifests nobody should write, read without a crash, a hang, a leak or a deep recursion: names that look like
paths, damaged copies of the golden files, deep nesting, huge numbers and strings."""

from __future__ import annotations

import json
import random

import pytest
from helpers import MANIFEST_FIXTURES, MARKER, assert_same, entry, fake_value, ready

from secrets_prefetch._manifest import ManifestError, parse

GOLDEN = sorted(p.name for p in MANIFEST_FIXTURES.glob("*.json") if p.name != "expectations.json")
SEED = 20261126


def test_names_and_ids_are_data_never_paths(harness, tmp_path):
    value = fake_value("dotdot")
    harness.dir.write(ready(**{"../../x": entry("../../y", string=value)}))
    secrets = harness.client()
    assert_same(value, secrets.get("../../x"), "by name")
    assert_same(value, secrets.get("../../y"), "by secret id")
    assert sorted(p.name for p in harness.dir.path.iterdir()) == ["manifest.json"]
    assert not (tmp_path / "x").exists() and not (tmp_path.parent / "x").exists()


def _mutations(data: bytes, rng: random.Random):
    """Damaged variants: cut short, a byte changed, a byte dropped, a span repeated, structure bytes inserted."""
    for _ in range(60):
        i = rng.randrange(len(data) + 1)
        j = min(len(data), i + rng.randrange(1, 40))
        kind = rng.randrange(5)
        if kind == 0:
            yield data[:i]
        elif kind == 1 and i < len(data):
            yield data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
        elif kind == 2:
            yield data[:i] + data[i + 1:]
        elif kind == 3:
            yield data[:j] + data[i:]
        else:
            yield data[:i] + rng.choice([b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\\u", b"\\ud800", b"\xff",
                                         b"null", b"1e999", b"NaN", b"/*", "é".encode()]) + data[i:]


@pytest.mark.parametrize("file", GOLDEN)
def test_damaged_golden_files_are_a_manifest_or_a_manifest_error_never_a_crash_or_a_leak(file):
    data = (MANIFEST_FIXTURES / file).read_bytes()
    rng = random.Random(f"{SEED}-{file}")
    for variant in _mutations(data, rng):
        try:
            parse(variant)
        except ManifestError as e:
            if MARKER.search(str(e)):
                raise AssertionError(f"a value leaked into the message for a variant of {file} (seed {SEED})") \
                    from None


def test_deep_nesting_is_corrupt_not_a_recursion_error():
    for depth in (101, 10_000, 1_000_000):
        doc = b'{"formatVersion":1,"x":' + b"[" * depth + b"]" * depth + b"}"
        with pytest.raises(ManifestError, match="nested deeper than 100 levels"):
            parse(doc)
    with pytest.raises(ManifestError):
        parse(b"[" * 1_000_000)  # unbalanced too


def test_brackets_inside_strings_do_not_count_as_nesting():
    doc = ready(db=entry("prod/db", string="[" * 500 + fake_value("brackets") + "{" * 500))
    assert parse(json.dumps(doc).encode()).secrets["db"].secret_id == "prod/db"


def test_a_number_of_a_million_digits_is_fine_where_ignored_and_corrupt_where_an_integer_is_needed():
    digits = "9" * 1_000_000
    doc = json.dumps(ready(db=entry("prod/db", string=fake_value("db"))))
    assert parse(doc[:-1].encode() + b', "extra": ' + digits.encode() + b"}").generation == 1
    assert parse(doc[:-1].encode() + b', "extra": 1.5e' + digits.encode() + b"}").generation == 1
    with pytest.raises(ManifestError, match="generation must be an integer from"):
        parse(doc.replace('"generation": 1', f'"generation": {digits}').encode())


@pytest.mark.parametrize("field, value, problem", [
    ("generation", "1.0", "must be an integer, is a decimal number"),
    ("generation", "0", "generation must be at least 1"),
    ("generation", "null", "must be an integer, is null"),
    ("state", '"done"', 'state must be "pending" or "ready"'),
    ("formatVersion", '"1"', "formatVersion must be an integer, is a string"),
    ("secrets", "[]", "secrets must be an object, is an array"),
])
def test_fields_of_the_wrong_type_or_value_are_corrupt_naming_the_field(field, value, problem):
    doc = ready(db=entry("prod/db", string=fake_value("db")))
    doc[field] = "PLACEHOLDER"
    with pytest.raises(ManifestError, match=problem) as raised:
        parse(json.dumps(doc).replace('"PLACEHOLDER"', value).encode())
    assert not MARKER.search(str(raised.value))


@pytest.mark.parametrize("binary", ["AAEC!w==", "AAECAw=", "AAECAx==", "AAEC Aw==", "AAECAw==\n", "AAEC\u00e9w=="])
def test_non_canonical_base64_is_corrupt(binary):
    doc = ready(key={"secretId": "k", "fetchedAtEpochMs": 1, "secretBinary": binary})
    with pytest.raises(ManifestError, match="secretBinary is not valid base64"):
        parse(json.dumps(doc).encode())


@pytest.mark.parametrize("binary, data", [("AAECAw==", b"\0\1\2\3"), ("AAECAw", b"\0\1\2\3"), ("", b"")])
def test_canonical_base64_with_or_without_padding_is_read(binary, data):
    doc = ready(key={"secretId": "k", "fetchedAtEpochMs": 1, "secretBinary": binary})
    assert parse(json.dumps(doc).encode()).secrets["key"].value == data


def test_entries_are_named_by_position_never_by_name():
    name = "name-" + fake_value("n")
    doc = ready(ok=entry("a", string=fake_value("a")), **{name: {"secretId": "b", "fetchedAtEpochMs": 1}})
    with pytest.raises(ManifestError, match="secrets entry 2 must have exactly one of") as raised:
        parse(json.dumps(doc).encode())
    assert name not in str(raised.value)


def test_repr_of_a_manifest_and_its_entries_never_shows_a_value():
    value = fake_value("repr")
    manifest = parse(json.dumps(ready(db=entry("prod/db", string=value))).encode())
    assert value not in repr(manifest) and value not in repr(manifest.secrets["db"])
