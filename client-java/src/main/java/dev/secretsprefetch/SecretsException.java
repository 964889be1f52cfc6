// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import java.util.Objects;

/**
 * A secret could not be returned. The message names the secret and the cause, and never contains a value;
 * {@link #reason()} says what kind of failure it was, for code that wants to react to it.
 *
 * <pre>{@code
 * try {
 *     String token = Secrets.get("feature-flags-token");
 * } catch (SecretsException e) {
 *     if (e.reason() == SecretsException.Reason.NOT_FOUND) {
 *         // optional secret: run without it
 *     } else {
 *         throw e;
 *     }
 * }
 * }</pre>
 */
public final class SecretsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure it was. */
    public enum Reason {
        /** Secrets Manager has no such secret (SSM no such parameter), or no such version, in that region. */
        NOT_FOUND,
        /** The function's role may not read the secret ({@code secretsmanager:GetSecretValue}, {@code kms:Decrypt}). */
        ACCESS_DENIED,
        /** Secrets Manager throttled the calls, even after the SDK's retries. */
        THROTTLED,
        /** Secrets Manager did not answer in time. */
        TIMEOUT,
        /** Secrets Manager could not decrypt the secret with its KMS key. */
        DECRYPTION_FAILURE,
        /** A JSON accessor was used on a secret that is not JSON of the expected shape. */
        INVALID_JSON,
        /** The JSON secret has no such field, or the field is {@code null}. */
        NO_SUCH_FIELD,
        /** A string accessor was used on a binary secret, or the other way round. */
        WRONG_TYPE,
        /** Anything else; the message says what. */
        OTHER
    }

    /** What kind of failure it was. */
    private final Reason reason;
    /** The name the caller asked for. */
    private final String secretName;

    SecretsException(Reason reason, String secretName, String message) {
        this(reason, secretName, message, null);
    }

    SecretsException(Reason reason, String secretName, String message, Throwable cause) {
        super("secret \"" + secretName + "\": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.secretName = Objects.requireNonNull(secretName, "secretName");
    }

    /** {@return what kind of failure it was} */
    public Reason reason() {
        return reason;
    }

    /** {@return the name the caller asked for} */
    public String secretName() {
        return secretName;
    }
}
