# SPDX-License-Identifier: Apache-2.0
"""Every golden file in fixtures/manifest reads as fixtures/manifest/expectations.json says: the same files and
the same expectations as client-java's GoldenManifestFixturesTest and the Ruby shim's golden tests."""

from __future__ import annotations

import base64
import json

import pytest
from helpers import MANIFEST_FIXTURES, RecordingFetcher, assert_no_leak, assert_same

from secrets_prefetch._manifest import ManifestError, parse

EXPECTATIONS = json.loads((MANIFEST_FIXTURES / "expectations.json").read_text(encoding="utf-8"))


def test_every_fixture_file_has_an_expectation_and_every_expectation_a_file():
    files = {p.name for p in MANIFEST_FIXTURES.glob("*.json")} - {"expectations.json"}
    assert files, f"no fixtures in {MANIFEST_FIXTURES}"
    assert sorted(files - EXPECTATIONS.keys()) == []
    assert sorted(EXPECTATIONS.keys() - files) == []


@pytest.mark.parametrize("file", sorted(EXPECTATIONS))
def test_fixture_reads_as_expected(file):
    expected = EXPECTATIONS[file]
    data = (MANIFEST_FIXTURES / file).read_bytes()
    outcome = expected["outcome"]
    if outcome in ("corrupt", "unknown-version"):
        with pytest.raises(ManifestError) as raised:
            parse(data)
        assert raised.value.unknown_version == (outcome == "unknown-version"), str(raised.value)
        assert_no_leak(str(raised.value))
        return
    manifest = parse(data)
    assert manifest.generation == expected["generation"]
    if outcome == "pending":
        assert manifest.pending
        assert manifest.deadline_epoch_ms == expected["deadlineEpochMs"]
        return
    assert outcome == "ready"
    assert not manifest.pending
    assert sorted(manifest.secrets) == sorted(expected["entries"])
    for name, want in expected["entries"].items():
        entry = manifest.secrets[name]
        assert (entry.secret_id, entry.parameter) == (want.get("secretId"), want.get("parameter")), name
        if want["kind"] == "string":
            assert_same(want["value"], entry.value, f"entry {name!r}")
        elif want["kind"] == "binary":
            assert_same(base64.b64decode(want["base64"]), entry.value, f"entry {name!r}")
        else:
            assert want["kind"] == "error"
            assert (entry.value, entry.error_code) == (None, want["code"])
    for asked, wanted in expected.get("resolve", {}).items():
        resolved = manifest.resolve(asked)
        assert resolved is (None if wanted is None else manifest.secrets[wanted]), f"resolve {asked!r}"


@pytest.mark.parametrize("file", sorted(EXPECTATIONS))
def test_client_reading_fixture_serves_values_without_direct_calls_and_falls_back_otherwise(file, harness):
    """The same golden files through the whole client: values come from the manifest without a single direct
    call; anything else falls back, with one warning for an unusable file."""
    expected = EXPECTATIONS[file]
    harness.dir.copy_fixture(file)
    harness.fetcher = fetcher = RecordingFetcher({"prod/missing": "test-direct-missing-spv-Ux2a",
                                                  "/prod/missing": "test-direct-missing-spv-Ux2a",
                                                  "db": "test-direct-db-spv-Lw4a"})
    secrets = harness.client(env={"SECRETS_PREFETCH_WAIT_MS": "0"})
    if expected["outcome"] == "ready":
        values = []
        for name, want in expected["entries"].items():
            if not name:
                continue  # a name no handler can ask for; hostile-names.json resolves it by its secretId
            if want["kind"] == "string":
                assert_same(want["value"], secrets.get(name), name)
                values.append(want["value"])
            elif want["kind"] == "binary":
                assert_same(base64.b64decode(want["base64"]), secrets.get_binary(name), name)
            else:
                assert_same("test-direct-missing-spv-Ux2a", secrets.get(name), name)
        errors = [(e.get("parameter") or e["secretId"], "parameter" in e) for e in expected["entries"].values()
                  if e["kind"] == "error"]
        assert [(c.secret_id, c.parameter) for c in fetcher.calls] == errors, "direct calls for error entries only"
        assert_no_leak(harness.log.replace("test-direct-missing-spv-Ux2a", ""), *values)
    elif expected["outcome"] == "pending":
        assert_same("test-direct-db-spv-Lw4a", secrets.get("db"), "db")
        assert [c.secret_id for c in fetcher.calls] == ["db"]
        assert len(harness.lines("WARN")) == 1, "one warning: still pending"
    else:
        for _ in range(2):
            assert_same("test-direct-db-spv-Lw4a", secrets.get("db"), "db")
        assert len(fetcher.calls) == 1, "the second get is served from the fallback cache"
        warnings = harness.lines("WARN")
        assert len(warnings) == 1, harness.log
        assert f"manifest {harness.dir.manifest} ignored: " in warnings[0]
        assert_no_leak(harness.log)


def test_the_readers_agree_helper_prints_each_fixtures_outcome():
    """manifest_outcomes.py is what integration-tests' ManifestReadersAgreeTest can run for this reader."""
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    result = subprocess.run([sys.executable, str(here / "manifest_outcomes.py"), str(MANIFEST_FIXTURES)],
                            env={"PYTHONPATH": str(here.parent), "PATH": ""}, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    outcomes = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    for file, expected in EXPECTATIONS.items():
        assert outcomes[file].split(" ")[0] == expected["outcome"], file
