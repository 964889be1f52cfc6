// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.Log;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The test-only way to point {@link Secrets} at a directory, for the test support artifact
 * ({@code secrets-prefetch-testing}, {@code dev.secretsprefetch.test.FakeSecrets}): {@link #open} gives the calling
 * thread a client of its own, which reads the manifest in that directory and never calls Secrets Manager, until
 * the scope is closed. Why it has this shape (docs/java-client.md, "Testing your handler"):
 *
 * <ul>
 *   <li>Not reachable by accident: nothing here is public; the test support calls {@link #open} by reflection,
 *       and refuses to inside a Lambda function. The client's public API stays {@link Secrets} and
 *       {@link SecretsException}.</li>
 *   <li>No cost in a function: {@link Secrets} reads one static boolean per call, {@link Secrets#testScopes},
 *       which only {@link #open} sets; until then this class is not even loaded (ColdPathClassLoadingTest).</li>
 *   <li>Per thread: test classes running in parallel each see their own directory. The process environment and
 *       the process-wide client are never touched, so when the scope closes nothing of it remains: the thread's
 *       next call goes to the client the environment configures, as it would have without the scope.</li>
 * </ul>
 *
 * <p>Scopes nest: the innermost one open on a thread wins, and closing it restores the one it hid. A scope is
 * closed on the thread that opened it, innermost first.
 */
final class TestScopes {

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private TestScopes() {
    }

    /** The client of the innermost scope open on this thread, or null. */
    static SecretsClient current() {
        Scope scope = CURRENT.get();
        return scope == null ? null : scope.client;
    }

    /**
     * Opens a scope on this thread: until it is closed, {@link Secrets} on this thread reads the manifest in
     * {@code directory} and makes no direct call. A name that manifest cannot serve fails: with the reason in
     * {@code failingSecretIds} when a direct call would have been for one of its secret ids, else with the error
     * {@code undeclared} makes of the name.
     *
     * @return what closes the scope
     */
    static AutoCloseable open(Path directory, Map<String, Reason> failingSecretIds,
            Function<String, ? extends Error> undeclared) {
        // No waiting (the test writes a ready manifest first), the default region and endpoint, never used.
        ClientConfig config = new ClientConfig(directory, 0, Log.Level.WARN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
        SecretsClient client = new SecretsClient(config, WallClock.INSTANCE, System.out,
                new OfflineCalls(failingSecretIds, undeclared));
        Scope scope = new Scope(client, CURRENT.get(), Thread.currentThread());
        Secrets.testScopes = true;
        CURRENT.set(scope);
        return scope;
    }

    private static final class Scope implements AutoCloseable {
        final SecretsClient client;
        private final Scope hidden;
        private final Thread owner;
        private boolean closed;

        Scope(SecretsClient client, Scope hidden, Thread owner) {
            this.client = client;
            this.hidden = hidden;
            this.owner = owner;
        }

        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a fake-secrets scope must be closed on the thread that opened it ("
                        + owner.getName() + "), not on " + Thread.currentThread().getName());
            }
            if (closed) {
                return;
            }
            if (CURRENT.get() != this) {
                throw new IllegalStateException("fake-secrets scopes must be closed innermost first: another one, "
                        + "opened later on this thread, is still open");
            }
            closed = true;
            if (hidden == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(hidden);
            }
            client.close();
        }

        @Override
        public String toString() {
            return "fake-secrets scope on " + owner.getName() + (closed ? " (closed)" : "");
        }
    }
}
