# SPDX-License-Identifier: Apache-2.0
"""Each way a direct call can fail maps to its reason, with a message naming the secret and the cause and never
the response's text. The failures come over HTTP from a canned server, through real boto3 clients."""

from __future__ import annotations

import traceback

import pytest
from helpers import assert_no_leak, failure
from servers import free_port

from secrets_prefetch import Reason


@pytest.fixture
def via_canned(harness, canned, aws_keys):
    def client(endpoint=None, **options):
        return harness.client(env={"AWS_ENDPOINT_URL_SECRETS_MANAGER": endpoint or canned.endpoint}, fetcher=None,
                              **options)

    return client


def _check(error, reason, *phrases):
    assert error.reason == reason, str(error)
    assert error.secret_name == "prod/db"
    text = str(error) + repr(error) + "".join(traceback.format_exception(error))
    assert_no_leak(text)
    assert "response text quoting" not in text
    for phrase in phrases:
        assert phrase in str(error)


@pytest.mark.parametrize("status, code, reason, phrases", [
    (400, "ResourceNotFoundException", Reason.NOT_FOUND, ['has no secret "prod/db" in us-east-1']),
    (400, "AccessDeniedException", Reason.ACCESS_DENIED, ["secretsmanager:GetSecretValue", "kms:Decrypt"]),
    (400, "UnrecognizedClientException", Reason.ACCESS_DENIED, ["(UnrecognizedClientException)"]),
    (400, "InvalidSignatureException", Reason.ACCESS_DENIED, ["(InvalidSignatureException)"]),
    (400, "ThrottlingException", Reason.THROTTLED, ["throttled"]),
    (429, "TooManyRequestsException", Reason.THROTTLED, ["throttled"]),
    (400, "DecryptionFailure", Reason.DECRYPTION_FAILURE, ["KMS key", "kms:Decrypt"]),
    (400, "com.amazonaws.secretsmanager#DecryptionFailure", Reason.DECRYPTION_FAILURE, ["(DecryptionFailure)"]),
    (500, "InternalServiceError", Reason.OTHER, ["(InternalServiceError, HTTP 500)"]),
    (400, "InvalidRequestException", Reason.OTHER, ["(InvalidRequestException, HTTP 400)"]),
])
def test_error_codes_map_to_reasons(via_canned, canned, status, code, reason, phrases):
    canned.fail_with(status, code)
    _check(failure(via_canned().get, "prod/db"), reason, *phrases)


def test_no_answer_in_time_is_timeout(via_canned, canned):
    canned.hang = True
    _check(failure(via_canned(read_timeout_s=0.3).get, "prod/db"), Reason.TIMEOUT, "no answer from Secrets Manager")


def test_unreachable_endpoint_is_other_and_says_so(via_canned):
    error = failure(via_canned(endpoint=f"http://127.0.0.1:{free_port()}").get, "prod/db")
    _check(error, Reason.OTHER, "cannot reach Secrets Manager")


def test_failures_are_not_cached_so_the_next_call_tries_again(via_canned, canned):
    secrets = via_canned()
    failure(secrets.get, "prod/db")
    failure(secrets.get, "prod/db")
    assert canned.requests == 2


def test_no_credentials_anywhere_is_other_and_names_the_problem(harness, canned):
    error = failure(harness.client(env={"AWS_ENDPOINT_URL_SECRETS_MANAGER": canned.endpoint}, fetcher=None).get,
                    "prod/db")
    _check(error, Reason.OTHER, "boto3 found no AWS credentials")
    assert canned.requests == 0


def test_no_region_anywhere_is_other_and_names_the_variables(harness, aws_keys):
    error = failure(harness.client(env={"AWS_REGION": ""}, fetcher=None).get, "prod/db")
    _check(error, Reason.OTHER, "no region to call Secrets Manager in", "AWS_REGION", "AWS_DEFAULT_REGION")
