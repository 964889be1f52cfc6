// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import java.util.Locale;
import java.util.Optional;

/**
 * A call to an {@link AwsService} that failed. The message is safe to log: the service's own error message, or one
 * written here from the kind of failure, never text read from a broken answer (it may hold a secret value).
 */
public final class AwsCallException extends RuntimeException {

    public enum Kind {
        /** The service answered with an error: its HTTP status and {@link #code()} say which. */
        SERVICE,
        /** No answer before the call's deadline. */
        TIMEOUT,
        /** The connection could not be made or broke (refused, reset, cut short, timed out connecting). */
        CONNECTION,
        /** An answer arrived but could not be read (not JSON, or not the expected shape). */
        UNREADABLE,
        /** No call was made: no credentials, or an endpoint that cannot be used. */
        SETUP
    }

    private static final int MAX_MESSAGE = 300;
    private static final java.util.Set<String> THROTTLING_CODES = java.util.Set.of("ThrottlingException",
            "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled",
            "RequestThrottledException", "ThrottledException", "SlowDown");

    private final Kind kind;
    private final int status;
    private final String code;

    private AwsCallException(Kind kind, int status, String code, String message, Throwable cause) {
        super(oneLine(message), cause, false, false);
        this.kind = kind;
        this.status = status;
        this.code = code;
    }

    /**
     * An error answer. Without an error code (a load balancer's page, say) the status alone gives a code a reader
     * can act on.
     */
    static AwsCallException service(AwsService service, int status, String code, String message) {
        String effective = code == null || code.isBlank() ? statusCode(status) : code;
        String text = message == null || message.isBlank()
                ? service.title() + " answered HTTP " + status + (code == null || code.isBlank() ? " without an error code" : "")
                : message;
        return new AwsCallException(Kind.SERVICE, status, effective, text, null);
    }

    static AwsCallException timeout() {
        return new AwsCallException(Kind.TIMEOUT, 0, null, "no answer within the fetch deadline", null);
    }

    static AwsCallException connection(String message, Throwable cause) {
        return new AwsCallException(Kind.CONNECTION, 0, null, message, cause);
    }

    static AwsCallException unreadable(String message) {
        return new AwsCallException(Kind.UNREADABLE, 0, null, message, null);
    }

    static AwsCallException setup(String message, Throwable cause) {
        return new AwsCallException(Kind.SETUP, 0, null, message, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The error code of an error answer, e.g. {@code ResourceNotFoundException}. */
    Optional<String> code() {
        return Optional.ofNullable(code);
    }

    boolean throttling() {
        return kind == Kind.SERVICE && (status == 429 || THROTTLING_CODES.contains(code));
    }

    /** Whether another attempt may succeed where this one failed. */
    public boolean retryable() {
        return switch (kind) {
            case SERVICE -> throttling() || status == 500 || status == 502 || status == 503 || status == 504;
            case CONNECTION, UNREADABLE -> true;
            case TIMEOUT, SETUP -> false;
        };
    }

    private static String statusCode(int status) {
        return switch (status) {
            case 429 -> "TooManyRequestsException";
            case 502 -> "BadGateway";
            case 503 -> "ServiceUnavailable";
            case 504 -> "GatewayTimeout";
            default -> status >= 500 ? "InternalServiceError" : "HTTP" + status;
        };
    }

    /** A message on one line, at most {@value #MAX_MESSAGE} characters: what a manifest entry or log line takes. */
    static String oneLine(String message) {
        String text = message.replaceAll("\\p{Cntrl}+", " ").replaceAll("\\s+", " ").strip();
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }

    @Override
    public String toString() {
        return "AwsCallException[" + kind.name().toLowerCase(Locale.ROOT) + (code != null ? " " + code : "")
                + "]: " + getMessage();
    }
}
