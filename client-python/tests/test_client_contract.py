# SPDX-License-Identifier: Apache-2.0
"""The clients' shared contract (fixtures/client-contract): settings, names and JSON secrets, read from the same
files as the Java client's and the Ruby shim's tests."""

from __future__ import annotations

import json

import pytest
from helpers import CONTRACT_FIXTURES, RecordingFetcher, assert_same, entry, failure, ready

from secrets_prefetch import Reason
from secrets_prefetch._config import Config, ConfigError
from secrets_prefetch._client import Client

SETTINGS = json.loads((CONTRACT_FIXTURES / "settings.json").read_text(encoding="utf-8"))["cases"]
NAMES = json.loads((CONTRACT_FIXTURES / "names.json").read_text(encoding="utf-8"))
JSON_VALUES = json.loads((CONTRACT_FIXTURES / "json-values.json").read_text(encoding="utf-8"))


def _id(case: dict) -> str:
    # Never the secret's text: test ids end up in reports.
    return case.get("case") or case.get("note") or ("refused" if case.get("error") or case.get("valid") is False
                                                      else "accepted")


@pytest.mark.parametrize("case", SETTINGS, ids=_id)
def test_setting_is_read_as_the_contract_says(case):
    if "error" in case:
        with pytest.raises(ConfigError) as raised:
            Config.from_env(case["env"])
        assert case["error"] in str(raised.value)
        return
    config = Config.from_env(case["env"])
    if "manifest" in case:
        assert config.manifest_path == case["manifest"]
    if "waitMs" in case:
        assert config.wait_ms == case["waitMs"]
    if "logLevel" in case:
        assert config.log_level == case["logLevel"]


@pytest.mark.parametrize("case", [c for c in SETTINGS if "error" in c], ids=_id)
def test_invalid_setting_fails_the_client_naming_the_variable(case):
    with pytest.raises(ValueError, match=case["error"]):
        Client(env=case["env"])


@pytest.mark.parametrize("name", NAMES["accepted"])
def test_accepted_name_reaches_the_manifest_lookup(name, harness):
    harness.dir.write(ready(**{name: entry("prod/x", string="contract-name-spv-Nm4a")}))
    assert_same("contract-name-spv-Nm4a", harness.client().get(name), "by name")
    assert harness.fetcher.calls == []


@pytest.mark.parametrize("name", NAMES["accepted"])
def test_accepted_name_not_in_the_manifest_is_the_secret_id_of_a_direct_call(name, harness):
    harness.fetcher = RecordingFetcher({name: "contract-direct-spv-Nm5b"})
    assert_same("contract-direct-spv-Nm5b", harness.client().get(name), "direct")
    assert [c.secret_id for c in harness.fetcher.calls] == [name]


@pytest.mark.parametrize("case", NAMES["directCalls"]["cases"], ids=lambda c: c["name"])
def test_name_without_an_entry_is_the_direct_call_the_contract_says(case, harness):
    harness.fetcher = RecordingFetcher({case["id"]: "contract-direct-spv-Nm6c"})
    secrets = harness.client(env={"AWS_REGION": NAMES["directCalls"]["region"]})
    assert_same("contract-direct-spv-Nm6c", secrets.get(case["name"]), "direct")
    assert [(c.secret_id, c.parameter, c.region) for c in harness.fetcher.calls] == [
        (case["id"], case["call"] == "GetParameter", case["region"])]


@pytest.mark.parametrize("name", NAMES["refused"])
@pytest.mark.parametrize("accessor", ["get", "get_binary", "get_json"])
def test_refused_name_is_an_argument_error_before_anything_is_read(name, accessor, harness):
    harness.dir.write(ready(db=entry("prod/db", string="contract-db-spv-Nm6c")))
    client = harness.client()
    with pytest.raises(ValueError, match="secret name must not be empty or only whitespace"):
        getattr(client, accessor)(name)
    assert harness.fetcher.calls == []
    assert "manifest" not in harness.log, "the manifest was looked at"


def _client_serving(harness, secret: str) -> Client:
    # The contract's own values: some carry no marker, and none is printed by these tests.
    harness.dir.write(ready(s=entry("prod/s", string=secret, unmarked_ok=True)))
    return harness.client()


@pytest.mark.parametrize("case", JSON_VALUES["fields"], ids=_id)
def test_get_field_reads_the_field_as_the_contract_says(case, harness):
    client = _client_serving(harness, case["secret"])
    if "error" in case:
        error = failure(client.get_field, "s", case["field"])
        assert error.reason == Reason[case["error"]], str(error)
        assert error.secret_name == "s"
        if case["secret"].strip():
            assert case["secret"].strip() not in str(error)
    else:
        value = client.get_field("s", case["field"])
        assert type(value) is str
        if value != case["value"]:
            raise AssertionError(f"field {case['field']!r} of case {_id(case)!r} differs (not shown)")


@pytest.mark.parametrize("case", JSON_VALUES["documents"], ids=_id)
def test_get_json_accepts_or_refuses_the_document_as_the_contract_says(case, harness):
    client = _client_serving(harness, case["secret"])
    if case["valid"]:
        value = client.get_json("s")
        # Strict documents mean what the standard library's json module makes of them.
        if value != json.loads(case["secret"]):
            raise AssertionError(f"document of case {_id(case)!r} reads differently (not shown)")
    else:
        error = failure(client.get_json, "s")
        assert error.reason == Reason.INVALID_JSON
