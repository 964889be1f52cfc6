// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import dev.secretsprefetch.manifest.SecretValue;
import java.util.concurrent.CompletionException;

/**
 * Turns failed calls into manifest error entries: the Secrets Manager error code, or {@code Timeout} /
 * {@code ClientError} (docs/manifest.md), with a message that is safe to write: Secrets Manager's own error
 * message or one {@link AwsCallException} wrote from the kind of failure.
 */
public final class FetchErrors {

    public static final String TIMEOUT = "Timeout";
    public static final String CLIENT_ERROR = "ClientError";

    private FetchErrors() {
    }

    public static SecretValue.Failure from(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof AwsCallException e) {
            return switch (e.kind()) {
                case SERVICE -> new SecretValue.Failure(e.code().orElseThrow(), e.getMessage());
                case TIMEOUT -> new SecretValue.Failure(TIMEOUT, e.getMessage());
                case CONNECTION, UNREADABLE, SETUP -> new SecretValue.Failure(CLIENT_ERROR, e.getMessage());
            };
        }
        // A bug of ours: its message could hold anything, its type names the problem well enough.
        return new SecretValue.Failure(CLIENT_ERROR, "unexpected " + t.getClass().getName());
    }

    public static SecretValue.Failure fromBatch(SecretsManagerJson.BatchError error) {
        return new SecretValue.Failure(error.code().orElse(CLIENT_ERROR),
                AwsCallException.oneLine(error.message().orElse("BatchGetSecretValue reported an error")));
    }

    /** A short description for log lines. */
    public static String describe(Throwable failure) {
        SecretValue.Failure f = from(failure);
        return f.code() + ": " + f.message();
    }
}
