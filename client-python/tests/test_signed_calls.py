# SPDX-License-Identifier: Apache-2.0
"""The fallback's signatures, checked: a moto server that authenticates every request (fixtures/moto/
verifying_server.py) accepts the direct calls boto3's default credential chain signs, with an IAM user's keys and
with a role session's temporary keys (as Lambda gives them), and refuses a wrong key."""

from __future__ import annotations

import json

import pytest
from helpers import MANIFEST_FIXTURES, assert_same, failure, fake_value
from servers import MotoServer

from secrets_prefetch import Reason

# moto lets this many requests through unauthenticated, for creating the identities below.
BOOTSTRAP_REQUESTS = 6
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:*",
                                                             "Resource": "*"}]})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                            "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]})


@pytest.fixture(scope="module")
def verifying():
    """A moto of its own that checks every signature once the user and the role session exist."""
    server = MotoServer.start([str(MANIFEST_FIXTURES.parent / "moto" / "verifying_server.py")],
                             {"INITIAL_NO_AUTH_ACTION_COUNT": str(BOOTSTRAP_REQUESTS)})
    try:
        iam = server.admin(service="iam")
        iam.create_user(UserName="secrets-prefetch-tests")
        keys = iam.create_access_key(UserName="secrets-prefetch-tests")["AccessKey"]
        iam.put_user_policy(UserName="secrets-prefetch-tests", PolicyName="sm", PolicyDocument=POLICY)
        role = iam.create_role(RoleName="secrets-prefetch-tests", AssumeRolePolicyDocument=TRUST)["Role"]
        iam.put_role_policy(RoleName="secrets-prefetch-tests", PolicyName="sm", PolicyDocument=POLICY)
        session = server.admin(service="sts").assume_role(RoleArn=role["Arn"], RoleSessionName="tests")["Credentials"]
        server.admin_keys = (keys["AccessKeyId"], keys["SecretAccessKey"])
        server.user = {"AWS_ACCESS_KEY_ID": keys["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": keys["SecretAccessKey"]}
        server.session = {"AWS_ACCESS_KEY_ID": session["AccessKeyId"],
                          "AWS_SECRET_ACCESS_KEY": session["SecretAccessKey"],
                          "AWS_SESSION_TOKEN": session["SessionToken"]}
        yield server
    finally:
        server.stop()


def _client(harness, server, monkeypatch, credentials):
    for key, value in credentials.items():  # where boto3's default chain finds them, as on Lambda
        monkeypatch.setenv(key, value)
    return harness.client(env={"AWS_ENDPOINT_URL_SECRETS_MANAGER": server.endpoint}, fetcher=None)


@pytest.mark.parametrize("identity", ["user", "session"])
def test_direct_call_signed_through_the_default_credential_chain_is_accepted(identity, verifying, harness,
                                                                             monkeypatch):
    value = fake_value(f"signed-{identity}")
    name, _ = verifying.create(string=value)
    secrets = _client(harness, verifying, monkeypatch, getattr(verifying, identity))
    assert_same(value, secrets.get(name), name)


def test_direct_call_signed_with_a_wrong_secret_key_is_refused_naming_the_status(verifying, harness, monkeypatch):
    name, _ = verifying.create(string=fake_value("signed-wrong"))
    wrong = {**verifying.user, "AWS_SECRET_ACCESS_KEY": "not-the-key"}
    error = failure(_client(harness, verifying, monkeypatch, wrong).get, name)
    # moto refuses with an XML SignatureDoesNotMatch that a JSON client reads no code from (as the Java client and
    # the Ruby shim report it); AWS answers 400 InvalidSignatureException, which is ACCESS_DENIED
    # (test_failure_reasons).
    assert error.reason == Reason.OTHER, str(error)
    assert str(error).endswith(f'refused the call for "{name}" in us-east-1 (HTTP 403)'), str(error)
