# SPDX-License-Identifier: Apache-2.0
"""secrets_prefetch.testing: what a test declares is what the package serves, nothing else is ever called, and
nothing of it outlives the scope."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import secrets_prefetch
from helpers import assert_no_leak, assert_same, entry, fake_value, failure, ready
from secrets_prefetch import Reason
from secrets_prefetch.testing import UndeclaredSecretError, failing, fake_secrets

API_KEY = "fixture-testing-api-key-spv-Tk3y"
PASSWORD = "fixture-testing-password-spv-Pw1d"
KEY = b"spv-Bin4ry\x00\xff"
SECRETS = {"api-key": API_KEY, "signing-key": KEY, "db": {"username": "app", "password": PASSWORD, "port": 5432},
           "flags": failing("ACCESS_DENIED")}


def test_every_kind_of_declared_secret_is_served_by_the_package():
    with fake_secrets(SECRETS):
        assert_same(API_KEY, secrets_prefetch.get("api-key"), "api-key")
        assert_same(KEY, secrets_prefetch.get_binary("signing-key"), "signing-key")
        assert_same(PASSWORD, secrets_prefetch.get_field("db", "password"), "db.password")
        assert secrets_prefetch.get_field("db", "port") == "5432"
        assert secrets_prefetch.get_json("db")["username"] == "app"


@pytest.mark.parametrize("reason", ["NOT_FOUND", "ACCESS_DENIED", "THROTTLED", "TIMEOUT", "DECRYPTION_FAILURE", "OTHER"])
def test_a_secret_declared_failing_fails_with_that_reason_through_every_function(reason):
    with fake_secrets({"db": failing(reason)}):
        for call, args in [(secrets_prefetch.get, ("db",)), (secrets_prefetch.get_binary, ("db",)),
                           (secrets_prefetch.get_field, ("db", "password")), (secrets_prefetch.get_json, ("db",))]:
            error = failure(call, *args)
            assert (error.reason, error.secret_name) == (reason, "db")
            assert "no call to Secrets Manager was made" in str(error)


@pytest.mark.parametrize("reason", ["INVALID_JSON", "NO_SUCH_FIELD", "WRONG_TYPE"])
def test_reasons_that_come_from_the_value_cannot_be_declared_failing(reason):
    with pytest.raises(ValueError, match="declare a value that causes it"):
        failing(reason)


def test_an_undeclared_name_fails_naming_it_and_what_was_declared_and_again_at_the_end():
    with pytest.raises(UndeclaredSecretError, match='did not declare: "prod/db"'):
        with fake_secrets(SECRETS):
            with pytest.raises(UndeclaredSecretError) as raised:
                secrets_prefetch.get("prod/db")
            assert str(raised.value).startswith('secret "prod/db" is not one of the fake secrets this test declared '
                                                '("api-key", "signing-key", "db", "flags")')
            assert "No call to Secrets Manager was made" in str(raised.value)
    assert issubclass(UndeclaredSecretError, AssertionError)


def test_an_undeclared_name_the_handler_swallowed_still_fails_when_the_scope_ends():
    def careless_handler():
        try:
            return secrets_prefetch.get("feature-flags")
        except Exception:  # noqa: BLE001 - what a careless handler does
            return "fallback"

    with pytest.raises(UndeclaredSecretError, match="the code caught it"):
        with fake_secrets(SECRETS):
            assert careless_handler() == "fallback"


def test_the_fixture_serves_the_secrets_until_the_test_ends(fake_secrets):  # noqa: F811 - the plugin's fixture
    fake_secrets({"api-key": API_KEY})
    assert_same(API_KEY, secrets_prefetch.get("api-key"), "api-key")


def test_the_innermost_scope_wins_and_replaces_rather_than_merges():
    inner = fake_value("inner")
    with fake_secrets(SECRETS):
        with pytest.raises(UndeclaredSecretError):
            with fake_secrets({"api-key": inner}):
                assert_same(inner, secrets_prefetch.get("api-key"), "the inner value")
                with pytest.raises(UndeclaredSecretError):
                    secrets_prefetch.get("db")
        assert_same(API_KEY, secrets_prefetch.get("api-key"), "the outer value again")


def test_asyncio_tasks_started_in_the_scope_see_the_fakes_other_threads_do_not():
    seen = {}

    def in_a_thread():
        seen["thread"] = secrets_prefetch._scoped.get()

    async def in_a_task():
        return secrets_prefetch.get("api-key")

    with fake_secrets(SECRETS):
        assert_same(API_KEY, asyncio.run(in_a_task()), "api-key in a task")
        thread = threading.Thread(target=in_a_thread)
        thread.start()
        thread.join()
    assert seen["thread"] is None, "a thread starts with no scope: it gets the client the environment configures"


def test_the_manifest_is_a_real_one_only_its_owner_can_read_and_gone_afterwards():
    with fake_secrets(SECRETS):
        directory = Path(secrets_prefetch._scoped.get().config.directory)
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        assert stat.S_IMODE((directory / "manifest.json").stat().st_mode) == 0o600
        assert [p.name for p in directory.iterdir()] == ["manifest.json"]
    assert not directory.exists()


def test_inside_a_lambda_function_fakes_are_refused(monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "orders")
    with pytest.raises(RuntimeError, match=r"refuse to run inside a Lambda function \(AWS_LAMBDA_FUNCTION_NAME"):
        with fake_secrets(SECRETS):
            pass


def test_declarations_no_manifest_can_carry_are_refused_naming_the_secret_not_the_value():
    with pytest.raises(TypeError, match='fake secret "db": a object is neither') as raised:
        with fake_secrets({"db": object()}):
            pass
    with pytest.raises(ValueError, match="lone surrogate"):
        with fake_secrets({"api-key": "spv-Surr0gate\ud800"}):
            pass
    with pytest.raises(ValueError, match="non-blank str"):
        with fake_secrets({" ": API_KEY}):
            pass
    assert_no_leak(str(raised.value) + repr(failing("NOT_FOUND")), API_KEY)


PROBE = """
import sys
import secrets_prefetch as s
from secrets_prefetch.testing import fake_secrets, failing, UndeclaredSecretError
try:
    with fake_secrets({"api-key": sys.argv[1], "flags": failing("THROTTLED")}):
        print("fake", s.get("api-key") == sys.argv[1])
        try:
            s.get("prod/direct")
        except UndeclaredSecretError:
            print("undeclared failed")
        try:
            s.get("flags")
        except s.SecretsPrefetchError as e:
            print("failing", e.reason.value)
        print("loaded", sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore")
                               or m == "secrets_prefetch._boto"))
except UndeclaredSecretError:
    print("scope failed the test")
print("real", s.get("api-key") == sys.argv[2])
try:
    s.get("prod/direct")
except s.SecretsPrefetchError as e:
    print("real direct call", e.reason.value)
"""


def test_a_fresh_interpreter_loads_nothing_that_could_call_aws_in_the_scope_and_is_real_after_it(
        secrets_dir, canned, aws_keys):
    real = fake_value("real-api-key")
    secrets_dir.write(ready(**{"api-key": entry("prod/api-key", string=real)}))
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(Path(secrets_prefetch.__file__).parents[1]),
           "PYTHONDONTWRITEBYTECODE": "1", "SECRETS_PREFETCH_DIR": str(secrets_dir.path), "AWS_REGION": "us-east-1",
           "AWS_ENDPOINT_URL_SECRETS_MANAGER": canned.endpoint, "AWS_MAX_ATTEMPTS": "1",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONFIG_FILE": os.environ["AWS_CONFIG_FILE"],
           "AWS_SHARED_CREDENTIALS_FILE": os.environ["AWS_SHARED_CREDENTIALS_FILE"]}
    result = subprocess.run([sys.executable, "-c", PROBE, fake_value("fake-api-key"), real], env=env,
                            capture_output=True, text=True, timeout=60)
    sys.stdout.write(result.stdout + result.stderr)  # into the test report, for the hygiene scan
    lines = [line for line in result.stdout.splitlines() if not line.startswith("[secrets-prefetch]")]
    assert lines == ["fake True", "undeclared failed", "failing THROTTLED", "loaded []", "scope failed the test",
                     "real True", "real direct call NOT_FOUND"], result.stderr
    assert canned.requests == 1, "only the real direct call, after the scope, reached Secrets Manager"


def test_the_real_client_is_untouched_by_a_scope(secrets_dir, monkeypatch):
    real = fake_value("real")
    secrets_dir.write(ready(db=entry("prod/db", string=real)))
    monkeypatch.setenv("SECRETS_PREFETCH_DIR", str(secrets_dir.path))
    monkeypatch.setattr(secrets_prefetch, "_shared", None)
    monkeypatch.setattr(secrets_prefetch, "_problem", None)

    with fake_secrets({"db": fake_value("fake")}):
        secrets_prefetch.get("db")
    assert secrets_prefetch._shared is None, "the scope never built nor replaced the process-wide client"
    assert_same(real, secrets_prefetch.get("db"), "db after the scope")


def test_an_ssm_parameter_is_faked_by_the_name_the_handler_asks_for():
    arn = "arn:aws:ssm:us-east-1:123456789012:parameter/prod/hosts"
    gone = "arn:aws:ssm:us-east-1:123456789012:parameter/prod/gone"
    with fake_secrets({"/prod/db/url": "fake-url-spv-Tp1a", arn: "a,b,spv-Tp2b", gone: failing("NOT_FOUND")}):
        assert_same("fake-url-spv-Tp1a", secrets_prefetch.get("/prod/db/url"), "a parameter by its name")
        assert_same("a,b,spv-Tp2b", secrets_prefetch.get(arn), "a parameter by its ARN")
        assert failure(secrets_prefetch.get, gone).reason == Reason.NOT_FOUND
