package dev.secretsprefetch.extension;

import dev.secretsprefetch.manifest.SecretValue;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.model.APIErrorType;

/**
 * Turns failed calls into manifest error entries: the Secrets Manager error code, or {@code Timeout} /
 * {@code ClientError} (docs/manifest.md). Messages come from Secrets Manager or the SDK, never from a value.
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
            String code = service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null
                    ? service.awsErrorDetails().errorCode()
                    : "HTTP" + service.statusCode();
            String message = service.awsErrorDetails() != null && service.awsErrorDetails().errorMessage() != null
                    ? service.awsErrorDetails().errorMessage()
                    : "Secrets Manager answered " + service.statusCode();
            return new SecretValue.Failure(code, trim(message));
        }
        if (t instanceof SdkClientException && t.getMessage() != null) {
            return new SecretValue.Failure(CLIENT_ERROR, trim(t.getMessage()));
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

    private static String trim(String message) {
        String oneLine = message.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "...";
    }
}
