// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import java.util.Objects;

/**
 * Secrets Manager secrets and SSM Parameter Store parameters for a Lambda handler, prefetched by the
 * secrets-prefetch extension during the function's init and read from its manifest
 * ({@code $SECRETS_PREFETCH_DIR/manifest.json}, default {@code /tmp/secrets-prefetch}) without any AWS SDK code.
 * Whenever the extension is not there, has not got a secret, or failed to fetch it, the value comes from a direct
 * {@code GetSecretValue} call instead ({@code GetParameter} with decryption for a parameter), cached for 300
 * seconds, so the same code runs with and without the layer.
 *
 * <pre>{@code
 * public class Handler implements RequestHandler<Map<String, Object>, String> {
 *     public String handleRequest(Map<String, Object> event, Context context) {
 *         String apiKey = Secrets.get("api-key");                    // a plain-text secret
 *         String password = Secrets.getField("db", "password");      // one field of a JSON secret
 *         DbCredentials db = Secrets.getJson("db", DbCredentials.class);
 *         byte[] key = Secrets.getBinary("signing-key");             // a SecretBinary secret
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>A name is looked up in the manifest first by the name the extension's configuration gave the secret,
 * then by its secret id, parameter or ARN; an SSM parameter ARN is otherwise the name of a direct
 * {@code GetParameter}, and anything else (a bare {@code /a/b} too) the {@code SecretId} of a direct
 * {@code GetSecretValue}, so {@code Secrets.get("prod/db")} works with or without the extension. While the extension is still fetching
 * (a {@code pending} manifest) a call waits for it, up to the manifest's deadline and at most
 * {@code SECRETS_PREFETCH_WAIT_MS} (default 10000). A newer manifest (refresh, rotation) is noticed within one
 * second.
 *
 * <p>All methods are thread-safe. The environment is read once, on the first call: an invalid
 * {@code SECRETS_PREFETCH_*} setting makes every call throw an {@link IllegalStateException} naming it.
 */
public final class Secrets {

    private Secrets() {
    }

    /** The process-wide client, configured from the environment on first use. */
    private static final class Holder {
        static final SecretsClient CLIENT;
        static final IllegalArgumentException PROBLEM;

        static {
            SecretsClient client = null;
            IllegalArgumentException problem = null;
            try {
                client = SecretsClient.fromEnvironment(System.getenv());
            } catch (IllegalArgumentException e) {
                problem = e;
            }
            CLIENT = client;
            PROBLEM = problem;
        }
    }

    /**
     * Set when a test first opens a scope of fake secrets ({@link TestScopes}), never in a function: until then a
     * call costs one read of this field, and TestScopes is not loaded. Only the thread that opens a scope uses
     * it, and that thread set it itself, so it needs no {@code volatile}.
     */
    static boolean testScopes;

    private static SecretsClient client() {
        if (testScopes) {
            SecretsClient scoped = TestScopes.current();
            if (scoped != null) {
                return scoped;
            }
        }
        if (Holder.PROBLEM != null) {
            throw new IllegalStateException("secrets-prefetch is misconfigured: " + Holder.PROBLEM.getMessage(),
                    Holder.PROBLEM);
        }
        return Holder.CLIENT;
    }

    /**
     * The value of a string secret.
     *
     * <pre>{@code
     * String apiKey = Secrets.get("api-key");
     * }</pre>
     *
     * @param name the name configured for the extension, or a secret id or ARN
     * @return the secret's {@code SecretString}
     * @throws SecretsException if the secret cannot be read, or is binary ({@link SecretsException.Reason#WRONG_TYPE})
     * @throws IllegalArgumentException if {@code name} is empty or only whitespace
     */
    public static String get(String name) {
        return client().get(Objects.requireNonNull(name, "name"));
    }

    /**
     * The exact bytes of a binary secret, in a new array the caller may change.
     *
     * <pre>{@code
     * byte[] signingKey = Secrets.getBinary("signing-key");
     * }</pre>
     *
     * @param name the name configured for the extension, or a secret id or ARN
     * @return a copy of the secret's {@code SecretBinary}
     * @throws SecretsException if the secret cannot be read, or is a string ({@link SecretsException.Reason#WRONG_TYPE})
     */
    public static byte[] getBinary(String name) {
        return client().getBinary(Objects.requireNonNull(name, "name"));
    }

    /**
     * One top-level field of a JSON secret such as {@code {"username": "app", "password": "..."}}: a string
     * field decoded; a number, a boolean, an object or an array as its text exactly as the secret spells it
     * ({@code 1.10} stays {@code 1.10}). The secret must be strict JSON (no key twice, no comments; see
     * docs/java-client.md); a {@code null} field is no field.
     *
     * <pre>{@code
     * String password = Secrets.getField("db", "password");
     * }</pre>
     *
     * @param name the name configured for the extension, or a secret id or ARN
     * @param field the field's name
     * @return the field's value as text
     * @throws SecretsException if the secret cannot be read, is not a JSON object
     *         ({@link SecretsException.Reason#INVALID_JSON}) or has no such field, or it is {@code null}
     *         ({@link SecretsException.Reason#NO_SUCH_FIELD})
     */
    public static String getField(String name, String field) {
        return client().getField(Objects.requireNonNull(name, "name"), Objects.requireNonNull(field, "field"));
    }

    /**
     * A JSON secret bound to a type with Jackson; fields the type does not declare are ignored.
     *
     * <pre>{@code
     * record DbCredentials(String username, String password, int port) { }
     *
     * DbCredentials db = Secrets.getJson("db", DbCredentials.class);
     * }</pre>
     *
     * @param name the name configured for the extension, or a secret id or ARN
     * @param type the class to bind the JSON to
     * @param <T> the type
     * @return a new instance of {@code type}
     * @throws SecretsException if the secret cannot be read, or is not JSON that fits {@code type}
     *         ({@link SecretsException.Reason#INVALID_JSON})
     */
    public static <T> T getJson(String name, Class<T> type) {
        return client().getJson(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
    }
}
