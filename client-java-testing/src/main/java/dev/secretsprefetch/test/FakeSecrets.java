// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secretsprefetch.Secrets;
import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.manifest.Whitespace;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fake secrets for a unit test of a handler that calls {@link Secrets}: declared once, served by the real client
 * from a real manifest, with no AWS call, no credentials and no emulator. While a scope is open ({@link #open()},
 * or {@link FakeSecretsExtension} around every test), {@code Secrets} on that thread reads the manifest of these
 * secrets, which is written to a temporary directory; a name that was not declared fails the test with an
 * {@link AssertionError} naming it, instead of calling Secrets Manager. Other threads, other tests running in
 * parallel, and this thread once the scope is closed, see the client as the environment configures it.
 *
 * <pre>{@code
 * FakeSecrets secrets = FakeSecrets.builder()
 *         .string("api-key", "test-api-key")
 *         .json("db", Map.of("username", "app", "password", "test-password"))
 *         .binary("signing-key", new byte[] {1, 2, 3})
 *         .failing("feature-flags", SecretsException.Reason.ACCESS_DENIED)
 *         .build();
 *
 * try (FakeSecrets.Scope scope = secrets.open()) {
 *     assertEquals(200, new Handler().handleRequest(event, context).statusCode());
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; their string form names the secrets, never a value.
 */
public final class FakeSecrets {

    /** What the extension writes into a manifest when Secrets Manager fails for that reason. */
    private static final Map<Reason, String> ERROR_CODES = errorCodes();

    private final Map<String, SecretEntry> entries;
    private final Map<String, Reason> failing;

    private FakeSecrets(Map<String, SecretEntry> entries, Map<String, Reason> failing) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.failing = Map.copyOf(failing);
    }

    /**
     * Starts a declaration of fake secrets.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes these secrets' manifest to a new temporary directory and points {@link Secrets} on the calling thread
     * at it, until the returned scope is closed (on this thread). Scopes nest: the innermost one wins.
     *
     * @return the scope, to close with try-with-resources
     * @throws IllegalStateException inside a Lambda function, where fakes must never replace real secrets
     */
    public Scope open() {
        ManifestDirectory directory = ManifestDirectory.write(entries);
        try {
            return openIn(directory, true);
        } catch (RuntimeException | Error e) {
            directory.close();
            throw e;
        }
    }

    /** A scope on this thread over a directory that already holds these secrets' manifest. */
    Scope openIn(ManifestDirectory directory, boolean ownsDirectory) {
        UndeclaredNames undeclared = new UndeclaredNames(entries.keySet());
        AutoCloseable hook = ClientHook.open(directory.path(), failing, undeclared::record);
        return new Scope(hook, ownsDirectory ? directory : null, undeclared);
    }

    /** The manifest's entries, in the order they were declared. */
    Map<String, SecretEntry> entries() {
        return entries;
    }

    /** The declared names and what each is, never a value. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("FakeSecrets[");
        String separator = "";
        for (Map.Entry<String, SecretEntry> e : entries.entrySet()) {
            SecretValue value = e.getValue().value();
            String kind = value instanceof SecretValue.Text ? "string" : value instanceof SecretValue.Binary
                    ? "binary" : "failing " + failing.get(e.getKey());
            text.append(separator).append(e.getKey()).append(": ").append(kind);
            separator = ", ";
        }
        return text.append(']').toString();
    }

    /**
     * The fake secrets a test declares, each under the name the handler asks for. A name is declared once.
     */
    public static final class Builder {

        private final Map<String, SecretEntry> entries = new LinkedHashMap<>();
        private final Map<String, Reason> failing = new LinkedHashMap<>();
        private final long declaredAtEpochMs = System.currentTimeMillis();

        private Builder() {
        }

        /**
         * A string secret ({@code SecretString}), for {@code Secrets.get}, {@code getField} and {@code getJson}; an
         * SSM parameter's value too (a {@code StringList} comma-joined, as SSM returns it).
         *
         * @param name the name the handler asks for (a configured name, a secret id, a parameter or an ARN)
         * @param value the secret's value
         * @return this builder
         */
        public Builder string(String name, String value) {
            return add(name, new SecretValue.Text(Objects.requireNonNull(value, "value")));
        }

        /**
         * A binary secret ({@code SecretBinary}), for {@code Secrets.getBinary}.
         *
         * @param name the name the handler asks for
         * @param value the secret's bytes (copied)
         * @return this builder
         */
        public Builder binary(String name, byte[] value) {
            return add(name, new SecretValue.Binary(Objects.requireNonNull(value, "value")));
        }

        /**
         * A string secret holding {@code value} as JSON, written with Jackson: a {@code Map}, a record, a bean,
         * a list, a number.
         *
         * @param name the name the handler asks for
         * @param value what to write as the secret's JSON
         * @return this builder
         * @throws IllegalArgumentException if Jackson cannot write {@code value}
         */
        public Builder json(String name, Object value) {
            Objects.requireNonNull(value, "value");
            try {
                return string(name, Json.MAPPER.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                // Jackson's message may quote the value: only the types are shown.
                throw new IllegalArgumentException("cannot write fake secret \"" + name + "\" as JSON: Jackson "
                        + "cannot serialise " + value.getClass().getName() + " (" + e.getClass().getSimpleName() + ")");
            }
        }

        /**
         * A secret that fails with {@code reason}, as if Secrets Manager had refused it: every call for it throws a
         * {@link dev.secretsprefetch.SecretsException} with that reason, without any call.
         *
         * @param name the name the handler asks for
         * @param reason {@code NOT_FOUND}, {@code ACCESS_DENIED}, {@code THROTTLED}, {@code TIMEOUT},
         *     {@code DECRYPTION_FAILURE} or {@code OTHER}
         * @return this builder
         * @throws IllegalArgumentException for a reason that comes from the value, not from Secrets Manager
         *     ({@code INVALID_JSON}, {@code NO_SUCH_FIELD}, {@code WRONG_TYPE}): declare such a value instead
         */
        public Builder failing(String name, Reason reason) {
            String code = ERROR_CODES.get(Objects.requireNonNull(reason, "reason"));
            if (code == null) {
                throw new IllegalArgumentException("a secret cannot be declared failing with " + reason + ": that "
                        + "reason comes from the value, not from Secrets Manager; declare a value that causes it "
                        + "(a string that is not JSON, an object without the field, a binary secret)");
            }
            add(name, new SecretValue.Failure(code, "declared failing by the test"));
            failing.put(name, reason);
            return this;
        }

        /**
         * The declared secrets.
         *
         * @return an immutable set of fake secrets
         */
        public FakeSecrets build() {
            return new FakeSecrets(entries, failing);
        }

        private Builder add(String name, SecretValue value) {
            Objects.requireNonNull(name, "name");
            if (Whitespace.isBlank(name)) {
                throw new IllegalArgumentException("a fake secret's name must not be empty or only whitespace: "
                        + "handlers cannot ask for such a name");
            }
            if (entries.containsKey(name)) {
                throw new IllegalArgumentException("fake secret \"" + UndeclaredNames.shown(name) + "\" is declared "
                        + "twice; declare each name once");
            }
            entries.put(name, value instanceof SecretValue.Failure failure
                    ? SecretEntry.failed(name, Optional.empty(), Optional.empty(), declaredAtEpochMs, failure.code(),
                            failure.message())
                    : new SecretEntry(name, Optional.empty(), Optional.empty(), List.of("AWSCURRENT"), Optional.empty(),
                            Optional.empty(), declaredAtEpochMs, value));
            return this;
        }
    }

    /**
     * Fake secrets in force on the thread that opened them, until {@link #close()}.
     */
    public static final class Scope implements AutoCloseable {

        private final AutoCloseable hook;
        private final ManifestDirectory directory;
        private final UndeclaredNames undeclared;
        private boolean closed;

        Scope(AutoCloseable hook, ManifestDirectory directory, UndeclaredNames undeclared) {
            this.hook = hook;
            this.directory = directory;
            this.undeclared = undeclared;
        }

        /**
         * Puts the client back as it was on this thread and removes the manifest. Closing it again does nothing.
         *
         * @throws AssertionError if the code under test asked for a secret that was not declared, even if it caught
         *     the error it got
         * @throws IllegalStateException on another thread than the one that opened the scope, or while a scope
         *     opened after this one is still open
         */
        @Override
        public void close() {
            if (closeWithoutCheck()) {
                undeclared.check();
            }
        }

        /** Closes the scope, unless it is closed already; returns whether this call closed it. */
        boolean closeWithoutCheck() {
            if (closed) {
                return false;
            }
            ClientHook.close(hook);
            closed = true;
            if (directory != null) {
                directory.close();
            }
            return true;
        }
    }

    /** Built on the first JSON declaration only: a test without one loads no Jackson class for it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static Map<Reason, String> errorCodes() {
        Map<Reason, String> codes = new EnumMap<>(Reason.class);
        codes.put(Reason.NOT_FOUND, "ResourceNotFoundException");
        codes.put(Reason.ACCESS_DENIED, "AccessDeniedException");
        codes.put(Reason.THROTTLED, "ThrottlingException");
        codes.put(Reason.TIMEOUT, "Timeout");
        codes.put(Reason.DECRYPTION_FAILURE, "DecryptionFailure");
        codes.put(Reason.OTHER, "InternalServiceError");
        return Collections.unmodifiableMap(codes);
    }
}
