// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.SecretValue;
import java.net.SocketException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;

/**
 * Direct {@code GetSecretValue} and {@code GetParameter} calls, for whatever the manifest cannot serve. The only
 * class that touches the AWS SDK: it is created on the first fallback, so serving from the manifest loads no SDK
 * class. Clients (url-connection HTTP, default credential chain) are built once per service and region, on first
 * use, so a function that only reads secrets never loads the SSM module, and the other way round.
 */
final class DirectFetcher implements AutoCloseable {

    /** Error codes meaning "these credentials may not do this", whichever part of the chain refused. */
    private static final Set<String> ACCESS_DENIED_CODES = Set.of("AccessDeniedException", "AccessDenied",
            "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
            "InvalidClientTokenId", "MissingAuthenticationTokenException");
    private static final String SDK_DEFAULT_REGION = "";

    private final ClientConfig config;
    private final ConcurrentHashMap<String, SecretsManagerClient> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SsmClient> parameterClients = new ConcurrentHashMap<>();

    DirectFetcher(ClientConfig config) {
        this.config = config;
    }

    /**
     * Calls Secrets Manager or SSM for {@code request}, in the region of its ARN, else the configured region.
     *
     * @param name the name the caller asked for, for messages
     * @throws SecretsException with the reason the call failed
     */
    SecretValue fetch(String name, SecretRequest request) {
        String region = request.arnRegion().or(config::region).orElse(SDK_DEFAULT_REGION);
        try {
            return request.parameter() ? getParameter(name, request, region) : getSecretValue(name, request, region);
        } catch (SdkException e) {
            throw translate(e, name, request, region);
        }
    }

    private SecretValue getSecretValue(String name, SecretRequest request, String region) {
        GetSecretValueRequest.Builder call = GetSecretValueRequest.builder().secretId(request.id());
        request.versionId().ifPresent(call::versionId);
        request.versionStage().ifPresent(call::versionStage);
        GetSecretValueResponse response = clients.computeIfAbsent(region,
                r -> build(SecretsManagerClient.builder(), r, config.endpoint())).getSecretValue(call.build());
        if (response.secretString() != null) {
            return new SecretValue.Text(response.secretString());
        }
        if (response.secretBinary() != null) {
            return new SecretValue.Binary(response.secretBinary().asByteArrayUnsafe());
        }
        throw new SecretsException(Reason.OTHER, name, "Secrets Manager returned no value for " + request.describe());
    }

    /** The name carries the selector ({@code /a/b:3}, {@code /a/b:live}); SecureString values come decrypted. */
    private SecretValue getParameter(String name, SecretRequest request, String region) {
        GetParameterResponse response = parameterClients.computeIfAbsent(region,
                r -> build(SsmClient.builder(), r, config.ssmEndpoint()))
                .getParameter(GetParameterRequest.builder().name(request.id()).withDecryption(true).build());
        if (response.parameter() != null && response.parameter().value() != null) {
            return new SecretValue.Text(response.parameter().value());
        }
        throw new SecretsException(Reason.OTHER, name, "SSM Parameter Store returned no value for "
                + request.describe());
    }

    /** One way to build a client of either service: url-connection HTTP, the region, the overrides. */
    private <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C build(B builder, String region,
            Optional<URI> endpoint) {
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        if (!region.isEmpty()) {
            builder.region(Region.of(region));
        }
        endpoint.ifPresent(builder::endpointOverride);
        config.callTimeout().ifPresent(timeout -> builder.overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        return builder.build();
    }

    private SecretsException translate(SdkException e, String name, SecretRequest request, String region) {
        String what = request.describe() + " in " + (region.isEmpty() ? "the SDK's default region" : region);
        String service = request.service();
        if (e instanceof ResourceNotFoundException) {
            return new SecretsException(Reason.NOT_FOUND, name, "Secrets Manager has no secret " + what
                    + " (ResourceNotFoundException); check the name, the ARN or the region", e);
        }
        // Guarded by the request's kind: a secret's error never loads an SSM class.
        if (request.parameter()
                && (e instanceof ParameterNotFoundException || e instanceof ParameterVersionNotFoundException)) {
            return new SecretsException(Reason.NOT_FOUND, name, "SSM Parameter Store has no " + what + " ("
                    + (e instanceof ParameterNotFoundException ? "ParameterNotFound" : "ParameterVersionNotFound")
                    + "); check the name, the ARN, the version or label, or the region", e);
        }
        if (e instanceof DecryptionFailureException) {
            return new SecretsException(Reason.DECRYPTION_FAILURE, name, "Secrets Manager cannot decrypt " + what
                    + " (DecryptionFailure" + detail(e) + "); check the secret's KMS key and that the function's "
                    + "role has kms:Decrypt on it", e);
        }
        if (e instanceof AwsServiceException awsError) {
            // An answer without an error code (an XML or HTML 403 from something in between) has a null one.
            String code = awsError.awsErrorDetails() == null || awsError.awsErrorDetails().errorCode() == null
                    ? "HTTP " + awsError.statusCode() : awsError.awsErrorDetails().errorCode();
            if (awsError.isThrottlingException() || awsError.statusCode() == 429) {
                return new SecretsException(Reason.THROTTLED, name, service + " throttled the call for " + what
                        + " (" + code + ") after the SDK's retries; call less often or raise the quota", e);
            }
            if (ACCESS_DENIED_CODES.contains(code)) {
                return new SecretsException(Reason.ACCESS_DENIED, name, "access denied to " + what + " (" + code
                        + detail(e) + "); the function's role needs "
                        + (request.parameter() ? "ssm:GetParameter on the parameter, and kms:Decrypt on the key of a "
                                + "SecureString if that is a customer-managed key"
                                : "secretsmanager:GetSecretValue on the secret, and kms:Decrypt on its key if that "
                                + "is a customer-managed key"), e);
            }
            return new SecretsException(Reason.OTHER, name, service + " refused the call for " + what + " ("
                    + code + detail(e) + ")", e);
        }
        // A client-side exception's message (and its causes') can quote the answer, e.g. 256 characters of an
        // unreadable 200 response, which holds the value: only the exceptions' types are passed on, never chained.
        String types = types(e);
        if (isTimeout(e)) {
            return new SecretsException(Reason.TIMEOUT, name, "no answer from " + service + " in time for " + what
                    + " (" + types + ")");
        }
        if (has(e, SocketException.class) || has(e, UnknownHostException.class) || has(e, SSLException.class)) {
            return new SecretsException(Reason.OTHER, name, "cannot call " + service + " for " + what + ": no "
                    + "connection (" + types + "); check the network path (a function in a VPC needs a NAT gateway or "
                    + (request.parameter() ? "an SSM VPC endpoint) and " + EnvironmentVariables.ENDPOINT_URL_SSM
                            : "a Secrets Manager VPC endpoint) and " + EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER));
        }
        String sdkMessage = e.getMessage();
        if (sdkMessage != null && sdkMessage.startsWith("Unable to load credentials")) {
            return new SecretsException(Reason.OTHER, name, "cannot call " + service + " for " + what + ": no AWS "
                    + "credentials (" + types + "); in Lambda they come from the function's role, elsewhere from "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or an instance role");
        }
        return new SecretsException(Reason.OTHER, name, "cannot call " + service + " for " + what + ": the AWS SDK "
                + "failed (" + types + "); its message is not shown, as it can quote the answer, which holds the value");
    }

    /** {@code SdkClientException, caused by JsonParseException}: the types along the cause chain, no messages. */
    private static String types(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        int depth = 0;
        for (Throwable t = e.getCause(); t != null && t != e && depth < 4; t = t.getCause(), depth++) {
            text.append(depth == 0 ? ", caused by " : " < ").append(t.getClass().getSimpleName());
        }
        return text.toString();
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String detail(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorMessage() != null) {
            return ": " + service.awsErrorDetails().errorMessage();
        }
        return "";
    }

    private static boolean isTimeout(Throwable e) {
        return has(e, ApiCallTimeoutException.class) || has(e, ApiCallAttemptTimeoutException.class)
                || has(e, SocketTimeoutException.class);
    }

    @Override
    public void close() {
        clients.values().forEach(SecretsManagerClient::close);
        clients.clear();
        parameterClients.values().forEach(SsmClient::close);
        parameterClients.clear();
    }
}
