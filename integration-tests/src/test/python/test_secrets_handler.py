# SPDX-License-Identifier: Apache-2.0
"""The example Python function's unit tests, written as a user of secrets_prefetch writes them: fake secrets for the
block, served to the handler through secrets_prefetch with no AWS, no layer and no emulator. Run by
ScriptExampleFunctionsTest (mvn verify), or: PYTHONPATH=client-python:integration-tests/src/lambda/python
python3 -m pytest THIS_FILE
"""

import hashlib
import importlib
import sys

import pytest

from secrets_prefetch import Reason, SecretsPrefetchError
from secrets_prefetch.testing import failing, fake_secrets

DB = '{"username":"app","password":"example-db-password-spv-Py4m"}'
API_KEY = "example-api-key-spv-Py1k"
SECRETS = {"prod/db": DB, "api-key": API_KEY, "retired-key": failing("NOT_FOUND")}


def load_function(monkeypatch, secret_ids):
    """The handler module imported afresh, as Lambda imports it once per execution environment: its module level
    (its init) runs now, with this test's fakes and SECRET_IDS."""
    monkeypatch.setenv("SECRET_IDS", secret_ids)
    sys.modules.pop("secrets_handler", None)
    return importlib.import_module("secrets_handler")


def sha256(value):
    return hashlib.sha256(value.encode()).hexdigest()


def test_init_reads_every_secret_it_is_configured_for(monkeypatch):
    with fake_secrets(SECRETS):
        answer = load_function(monkeypatch, "prod/db, api-key").handler({}, None)

    assert answer["init"] == {"prod/db": sha256(DB), "api-key": sha256(API_KEY)}
    assert answer["request"] == {}


def test_an_event_asks_for_more_secrets(monkeypatch):
    with fake_secrets(SECRETS):
        answer = load_function(monkeypatch, "").handler({"get": ["api-key"]}, None)

    assert answer["request"] == {"api-key": sha256(API_KEY)}


def test_a_secret_secrets_manager_cannot_find_fails_the_invocation_naming_it(monkeypatch):
    with fake_secrets(SECRETS):
        function = load_function(monkeypatch, "api-key")

        with pytest.raises(SecretsPrefetchError) as error:
            function.handler({"get": ["retired-key"]}, None)

    assert error.value.secret_name == "retired-key"
    assert error.value.reason == Reason.NOT_FOUND
