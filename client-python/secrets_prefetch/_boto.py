# SPDX-License-Identifier: Apache-2.0
"""``GetSecretValue`` and SSM's ``GetParameter`` through boto3 (shipped in Lambda's Python runtimes): the only module
that imports it, and only on the first direct call. One client per service and region, built on first use, with
boto3's default credential chain.

botocore's exception messages can quote response text, so they are never passed on (nor chained as causes):
each failure is mapped by its error code to a :class:`Reason` and a message of this package's own.
"""

from __future__ import annotations

import threading

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ReadTimeoutError,
)

from ._errors import Reason, SecretsPrefetchError
from ._version import VERSION

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._config import Config
    from ._fallback import Request
    from ._log import Log

_ACCESS_DENIED = frozenset(("AccessDeniedException", "AccessDenied", "UnrecognizedClientException",
                            "InvalidSignatureException", "IncompleteSignature", "InvalidClientTokenId",
                            "MissingAuthenticationToken", "MissingAuthenticationTokenException",
                            "ExpiredTokenException", "ExpiredToken"))
_THROTTLED = frozenset(("ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"))


class BotoFetcher:
    def __init__(self, config: Config, log: Log, connect_timeout_s: float, read_timeout_s: float) -> None:
        self._config = config
        self._log = log
        # Retries are left to boto3 (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE); the timeouts bound each attempt, where
        # botocore's defaults (60 s) would outlast most functions' timeouts.
        self._boto_config = BotoConfig(connect_timeout=connect_timeout_s, read_timeout=read_timeout_s,
                                       user_agent_extra=f"secrets-prefetch-python/{VERSION}")
        self._session: Any = None
        self._clients: dict[tuple[str, str | None], Any] = {}
        self._lock = threading.Lock()  # boto3 sessions are not thread-safe; their clients are

    def get_secret_value(self, name: str, request: Request, region: str | None) -> str | bytes:
        params = {"SecretId": request.secret_id}
        if request.version_id is not None:
            params["VersionId"] = request.version_id
        if request.version_stage is not None:
            params["VersionStage"] = request.version_stage
        try:
            response = self._client("secretsmanager", region).get_secret_value(**params)
        except Exception as e:  # noqa: BLE001 - every failure becomes a SecretsPrefetchError without its text
            raise _translate(e, name, request, region) from None
        if "SecretString" in response:
            return str(response["SecretString"])
        if "SecretBinary" in response:
            return bytes(response["SecretBinary"])
        raise SecretsPrefetchError(name, Reason.OTHER, f"Secrets Manager returned neither SecretString nor "
                                                       f"SecretBinary for {request.describe()}")

    def get_parameter(self, name: str, request: Request, region: str | None) -> str:
        """The parameter's value, a SecureString decrypted; the selector travels in the name."""
        try:
            response = self._client("ssm", region).get_parameter(Name=request.secret_id, WithDecryption=True)
        except Exception as e:  # noqa: BLE001 - every failure becomes a SecretsPrefetchError without its text
            raise _translate(e, name, request, region) from None
        value = response.get("Parameter", {}).get("Value")
        if isinstance(value, str):
            return value
        raise SecretsPrefetchError(name, Reason.OTHER, f"SSM returned no value for {request.describe()}")

    def _client(self, service: str, region: str | None) -> Any:
        with self._lock:
            client = self._clients.get((service, region))
            if client is None:
                if self._session is None:
                    self._session = boto3.session.Session()
                label = "SSM" if service == "ssm" else "Secrets Manager"
                self._log.debug(f"building a boto3 {label} client for {region or 'the default region'}")
                endpoint = self._config.ssm_endpoint if service == "ssm" else self._config.endpoint
                client = self._session.client(service, region_name=region, endpoint_url=endpoint,
                                              config=self._boto_config)
                self._clients[(service, region)] = client
            return client


def _translate(error: Exception, name: str, request: Request, region: str | None) -> SecretsPrefetchError:
    what = f"{request.describe()} in {region or 'the region boto3 finds'}"
    service = request.service
    if isinstance(error, ClientError):
        return _service_error(error, name, what, request)
    if isinstance(error, (ConnectTimeoutError, ReadTimeoutError)):
        return SecretsPrefetchError(name, Reason.TIMEOUT, f"no answer from {service} in time for {what} "
                                                          f"({type(error).__name__})")
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return SecretsPrefetchError(name, Reason.OTHER, f"boto3 found no AWS credentials to call {service} for "
                                                        f"{what} ({type(error).__name__}); Lambda provides them "
                                                        "from the function's role")
    if isinstance(error, NoRegionError):
        return SecretsPrefetchError(name, Reason.OTHER, f"no region to call {service} in for "
                                                        f"{request.describe()}; set AWS_REGION (Lambda sets it) or "
                                                        "AWS_DEFAULT_REGION, or ask for it by its ARN")
    if isinstance(error, EndpointConnectionError):
        return SecretsPrefetchError(name, Reason.OTHER, f"cannot reach {service} for {what} "
                                                        f"({type(error).__name__}); a function in a VPC needs a NAT "
                                                        f"gateway or a {'SSM' if request.parameter else service} "
                                                        "VPC endpoint")
    kind = "botocore" if isinstance(error, BotoCoreError) else "unexpected"
    return SecretsPrefetchError(name, Reason.OTHER, f"cannot call {service} for {what} ({kind} "
                                                    f"{type(error).__name__})")


def _service_error(error: ClientError, name: str, what: str, request: Request) -> SecretsPrefetchError:
    response = error.response if isinstance(error.response, dict) else {}
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    # "com.amazonaws.secretsmanager#ResourceNotFoundException" or "Code:http://..." to the bare code. botocore
    # puts the HTTP status in place of a code it cannot read (an XML or HTML body from something in between).
    code = str(response.get("Error", {}).get("Code") or "").split("#")[-1].split(":")[0][:100]
    if not code or code == str(status):
        code = f"HTTP {status}"
    service = request.service
    if code == "ResourceNotFoundException":
        return SecretsPrefetchError(name, Reason.NOT_FOUND, f"Secrets Manager has no secret {what} ({code}); check "
                                                            "the name, the ARN or the region")
    if code in ("ParameterNotFound", "ParameterVersionNotFound"):
        return SecretsPrefetchError(name, Reason.NOT_FOUND, f"SSM Parameter Store has no {what} ({code}); check "
                                                            "the name, the ARN, the version or label, or the region")
    if code == "DecryptionFailure":
        return SecretsPrefetchError(name, Reason.DECRYPTION_FAILURE, f"Secrets Manager cannot decrypt {what} ({code}); "
                                                                     "check the secret's KMS key and that the "
                                                                     "function's role has kms:Decrypt on it")
    if code in _THROTTLED or status == 429:
        return SecretsPrefetchError(name, Reason.THROTTLED, f"{service} throttled the call for {what} ({code}) "
                                                            "after boto3's retries; call less often or raise the quota")
    if code in _ACCESS_DENIED:
        needs = ("ssm:GetParameter on the parameter, and kms:Decrypt on the key of a SecureString if that is a "
                 "customer-managed key") if request.parameter else (
                 "secretsmanager:GetSecretValue on the secret, and kms:Decrypt on its key if that is a "
                 "customer-managed key")
        return SecretsPrefetchError(name, Reason.ACCESS_DENIED, f"access denied to {what} ({code}); the function's "
                                                                f"role needs {needs}")
    shown = code if code.startswith("HTTP ") else f"{code}, HTTP {status}"
    return SecretsPrefetchError(name, Reason.OTHER, f"{service} refused the call for {what} ({shown})")
