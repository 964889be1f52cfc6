# SPDX-License-Identifier: Apache-2.0
"""The fallback for real: boto3 clients built by the package, with the default credential chain, calling moto."""

from __future__ import annotations

import uuid

import boto3
import pytest
from helpers import assert_same, entry, failure, fake_binary, fake_value, ready

from secrets_prefetch import Reason
from secrets_prefetch._fallback import CACHE_TTL_MS


@pytest.fixture
def via_moto(harness, moto, aws_keys):
    """Clients whose direct calls go to moto through the package's own boto3 path."""

    def client(**env):
        return harness.client(env={"AWS_ENDPOINT_URL_SECRETS_MANAGER": moto.endpoint, **env}, fetcher=None)

    return client


def test_string_secret_comes_from_secrets_manager_when_there_is_no_manifest(via_moto, moto, harness):
    value = fake_value("moto-text")
    name, _ = moto.create(string=value)
    assert_same(value, via_moto().get(name), name)
    assert any("no usable manifest; calling Secrets Manager GetSecretValue" in line for line in harness.lines("INFO"))


def test_binary_secret_comes_from_secrets_manager_byte_for_byte(via_moto, moto):
    value = fake_binary(bytes(range(256)))
    name, _ = moto.create(binary=value)
    assert_same(value, via_moto().get_binary(name), name)


def test_json_secret_from_secrets_manager_gives_fields_and_values(via_moto, moto):
    name, _ = moto.create(string='{"username": "app", "password": "pw-spv-Mt1a", "port": 5432}')
    secrets = via_moto()
    assert secrets.get_field(name, "username") == "app"
    assert secrets.get_field(name, "port") == "5432"
    assert secrets.get_json(name)["port"] == 5432


def test_region_of_an_arn_wins_over_aws_region(via_moto, moto, harness):
    value = fake_value("moto-west")
    _, arn = moto.create(string=value, region="us-west-2")
    secrets = via_moto(AWS_REGION="us-east-1")
    assert_same(value, secrets.get(arn), "by ARN")
    assert f'for "{arn}" in us-west-2' in harness.log


def test_error_entry_that_pinned_a_stage_gets_that_stage_from_secrets_manager(via_moto, moto, harness):
    old, new = fake_value("moto-old"), fake_value("moto-new")
    name, _ = moto.create(string=old)
    moto.put(name, new)  # the first value becomes AWSPREVIOUS
    harness.dir.write(ready(previous=entry(name, error="Timeout", requestedVersionStage="AWSPREVIOUS"),
                            current=entry(name, error="Timeout")))
    secrets = via_moto()
    assert_same(old, secrets.get("previous"), "previous")
    assert_same(new, secrets.get("current"), "current")


def test_values_are_cached_for_300_seconds_then_fetched_again(via_moto, moto, harness):
    first, second = fake_value("moto-first"), fake_value("moto-second")
    name, _ = moto.create(string=first)
    secrets = via_moto()
    secrets.get(name)
    moto.put(name, second)
    harness.clock.advance(CACHE_TTL_MS - 1)
    assert_same(first, secrets.get(name), "cached")
    harness.clock.advance(1)
    assert_same(second, secrets.get(name), "after 300 s")


def test_one_boto3_client_per_region(via_moto, moto, harness):
    names = [moto.create(string=fake_value("moto-many"))[0] for _ in range(3)]
    _, arn = moto.create(string=fake_value("moto-other-region"), region="eu-central-1")
    secrets = via_moto()
    for name in [*names, arn]:
        secrets.get(name)
    built = [line for line in harness.lines("DEBUG") if "building a boto3 Secrets Manager client" in line]
    assert [line.rsplit(" ", 1)[-1] for line in built] == ["us-east-1", "eu-central-1"]


def test_missing_secret_fails_as_not_found_naming_it(via_moto):
    error = failure(via_moto().get, "prod/does-not-exist")
    assert error.reason == Reason.NOT_FOUND
    assert error.secret_name == "prod/does-not-exist"
    assert str(error).startswith('secret "prod/does-not-exist": Secrets Manager has no secret "prod/does-not-exist" '
                                 "in us-east-1 (ResourceNotFoundException)")


def test_boto3_itself_honours_the_endpoint_variable(harness, moto, aws_keys, monkeypatch):
    """Recent boto3 reads AWS_ENDPOINT_URL_SECRETS_MANAGER on its own; the package also passes it explicitly,
    for older releases."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint)
    assert boto3.client("secretsmanager", region_name="us-east-1").meta.endpoint_url == moto.endpoint
    value = fake_value("moto-env")
    name, _ = moto.create(string=value)
    assert_same(value, harness.client(fetcher=None).get(name), name)


_P = f"/test/{uuid.uuid4().hex[:12]}"  # moto lives for the session: names of this module's own


def _parameter_entry(parameter: str, error: str = "AccessDeniedException", **extra: object) -> dict:
    return {"parameter": parameter, "fetchedAtEpochMs": 1_764_171_600_100,
            "error": {"code": error, "message": "failed in test"}, **extra}


@pytest.fixture
def via_moto_ssm(harness, moto, aws_keys):
    """Clients whose direct GetParameter calls go to moto's SSM through the package's own boto3 path."""

    def client(**env):
        return harness.client(env={"AWS_ENDPOINT_URL_SSM": moto.endpoint, **env}, fetcher=None)

    return client


def test_parameter_error_entry_gets_the_decrypted_secure_string_from_ssm(via_moto_ssm, moto, harness):
    value = fake_value("moto-token")
    moto.put_parameter(f"{_P}/token", value)
    harness.dir.write(ready(token=_parameter_entry(f"{_P}/token")))
    assert_same(value, via_moto_ssm().get("token"), "token")
    assert any(f'calling SSM GetParameter for parameter "{_P}/token" in us-east-1' in line
               for line in harness.lines("INFO"))


def test_parameter_arn_without_an_entry_is_fetched_in_the_arns_region(via_moto_ssm, moto):
    moto.put_parameter(f"{_P}/hosts", "a.internal,b.internal,spv-Py2b", kind="StringList", region="us-west-2")
    arn = f"arn:aws:ssm:us-west-2:123456789012:parameter{_P}/hosts"
    assert_same("a.internal,b.internal,spv-Py2b", via_moto_ssm(AWS_REGION="us-east-1").get(arn), "by ARN")


def test_missing_parameter_fails_as_not_found_naming_it(via_moto_ssm, harness):
    harness.dir.write(ready(gone=_parameter_entry(f"{_P}/does-not-exist")))
    error = failure(via_moto_ssm().get, "gone")
    assert error.reason == Reason.NOT_FOUND
    assert f'SSM Parameter Store has no parameter "{_P}/does-not-exist" in us-east-1 (ParameterNotFound)' in str(error)


def test_version_selector_of_an_error_entry_gets_that_version(via_moto_ssm, moto, harness):
    first, second = fake_value("moto-url-one"), fake_value("moto-url-two")
    moto.put_parameter(f"{_P}/url", first, kind="String")
    moto.put_parameter(f"{_P}/url", second, kind="String")
    harness.dir.write(ready(**{"url-v1": _parameter_entry(f"{_P}/url:1", requestedVersion=1),
                               "url": _parameter_entry(f"{_P}/url")}))
    secrets = via_moto_ssm()
    assert_same(first, secrets.get("url-v1"), "version 1")
    assert_same(second, secrets.get("url"), "the current version")


def test_missing_version_fails_as_not_found(via_moto_ssm, moto, harness):
    moto.put_parameter(f"{_P}/flag", fake_value("moto-flag"), kind="String")
    harness.dir.write(ready(**{"flag-v9": _parameter_entry(f"{_P}/flag:9", requestedVersion=9)}))
    error = failure(via_moto_ssm().get, "flag-v9")
    assert error.reason == Reason.NOT_FOUND, str(error)
    assert f'"{_P}/flag:9"' in str(error)
