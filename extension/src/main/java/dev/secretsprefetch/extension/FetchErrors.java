package dev.secretsprefetch.extension;

import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.model.APIErrorType;

/**
 * Turns failed calls into manifest error entries: the Secrets Manager error code, or {@code Timeout} /
 * {@code ClientError} (docs/manifest.md). A message is Secrets Manager's own error message, or one written
 * here from the kind of failure: never the SDK's message for a broken or unreadable answer, because a JSON
 * parser quotes the text it choked on, and that text may be a secret value.
 */
final class FetchErrors {

    static final String TIMEOUT = "Timeout";
    static final String CLIENT_ERROR = "ClientError";
    private static final int MAX_MESSAGE = 300;

    private FetchErrors() {
    }

    static SecretValue.Failure from(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
            return new SecretValue.Failure(TIMEOUT, "no answer within the fetch deadline");
        }
        if (t instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() != null ? service.awsErrorDetails().errorCode() : null;
            String message = service.awsErrorDetails() != null ? service.awsErrorDetails().errorMessage() : null;
            if (code == null || code.isBlank()) {
                return new SecretValue.Failure(statusCode(service.statusCode()), "Secrets Manager answered HTTP "
                        + service.statusCode() + " without an error code");
            }
            return new SecretValue.Failure(code, trim(message == null ? "Secrets Manager answered HTTP "
                    + service.statusCode() : message));
        }
        if (t instanceof SdkClientException) {
            IOException io = ioCause(t);
            return new SecretValue.Failure(CLIENT_ERROR, io != null ? describeIo(io) : clientMessage(t));
        }
        return new SecretValue.Failure(CLIENT_ERROR, t.getClass().getSimpleName());
    }

    static SecretValue.Failure fromBatch(APIErrorType error) {
        return new SecretValue.Failure(error.errorCode() == null ? CLIENT_ERROR : error.errorCode(),
                trim(error.message() == null ? "BatchGetSecretValue reported an error" : error.message()));
    }

    /** A short description for log lines. */
    static String describe(Throwable failure) {
        SecretValue.Failure f = from(failure);
        return f.code() + ": " + f.message();
    }

    /** The first I/O exception among the causes, if any. */
    static IOException ioCause(Throwable failure) {
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /** A status without an error code (a load balancer's page, say) still gets a code a reader can act on. */
    private static String statusCode(int status) {
        return switch (status) {
            case 429 -> "TooManyRequestsException";
            case 502 -> "BadGateway";
            case 503 -> "ServiceUnavailable";
            case 504 -> "GatewayTimeout";
            default -> status >= 500 ? "InternalServiceError" : "HTTP" + status;
        };
    }

    /**
     * Socket-level messages come from the operating system ("Connection refused", "Connection reset") and are
     * kept; anything that read the answer (a JSON parser, a cut-off body) is named by its kind only.
     */
    private static String describeIo(IOException io) {
        String type = io.getClass().getName();
        if (type.startsWith("java.net.") && io.getMessage() != null) {
            return "connection to Secrets Manager failed: " + trim(io.getMessage()) + " ("
                    + io.getClass().getSimpleName() + ")";
        }
        if (type.contains("jackson") || type.contains("Json")) {
            return "the answer from Secrets Manager was not valid JSON (" + io.getClass().getSimpleName() + ")";
        }
        return "the connection to Secrets Manager broke while reading the answer (" + io.getClass().getSimpleName()
                + ")";
    }

    /** The SDK's own messages (credentials, configuration) are safe, except those about reading an answer. */
    private static String clientMessage(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.contains("unmarshall") || message.contains("response")) {
            return "the answer from Secrets Manager could not be read (" + t.getClass().getSimpleName() + ")";
        }
        return trim(message);
    }

    private static String trim(String message) {
        String oneLine = message.replaceAll("\\p{Cntrl}+", " ").replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "...";
    }
}
