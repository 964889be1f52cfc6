// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import dev.secretsprefetch.Secrets;
import dev.secretsprefetch.SecretsException.Reason;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * The one way in to the client's test-only hook, {@code dev.secretsprefetch.TestScopes}: package-private there, so
 * that no production code reaches it by accident and the client's public API stays {@code Secrets} and
 * {@code SecretsException}; reached here by reflection. The two artifacts are released together, with one version:
 * this module's tests fail if the hook moves.
 */
final class ClientHook {

    private static final String HOOK = "dev.secretsprefetch.TestScopes";

    private ClientHook() {
    }

    /** Opens a scope on this thread over {@code directory}; see {@link FakeSecrets#open()}. */
    static AutoCloseable open(Path directory, Map<String, Reason> failing, Function<String, ? extends Error> undeclared) {
        Method open = find();
        try {
            return (AutoCloseable) open.invoke(null, directory, failing, undeclared);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        } catch (IllegalAccessException e) {
            throw mismatch(e);
        }
    }

    /** Closes a scope {@link #open} returned. */
    static void close(AutoCloseable scope) {
        try {
            scope.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot close a fake-secrets scope", e); // the hook throws none
        }
    }

    private static Method find() {
        try {
            Method open = Class.forName(HOOK, false, Secrets.class.getClassLoader())
                    .getDeclaredMethod("open", Path.class, Map.class, Function.class);
            open.setAccessible(true);
            return open;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw mismatch(e);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("the client's test hook failed", cause);
    }

    private static IllegalStateException mismatch(Exception e) {
        return new IllegalStateException("secrets-prefetch-testing cannot reach its hook in secrets-prefetch-client ("
                + e.getClass().getSimpleName() + "): use the same version of both artifacts, with the client on the "
                + "class path (or as an automatic module)", e);
    }
}
