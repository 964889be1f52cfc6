// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * {@link FakeSecrets} in force for the tests of a class: every piece of the test's own code (its constructor and
 * field initializers, {@code @BeforeAll}, {@code @BeforeEach}, the test, {@code @AfterEach}, {@code @AfterAll})
 * runs with {@code Secrets} serving these fakes on the thread that runs it. A name that was not declared fails
 * the test, even if the code under test caught the error it got.
 *
 * <pre>{@code
 * class HandlerTest {
 *
 *     @RegisterExtension
 *     static final FakeSecretsExtension SECRETS = new FakeSecretsExtension(FakeSecrets.builder()
 *             .string("api-key", "test-api-key")
 *             .json("db", Map.of("username", "app", "password", "test-password"))
 *             .build());
 *
 *     private final Handler handler = new Handler();   // its constructor reads the fakes too
 *
 *     @Test
 *     void answersWithTheUserName() {
 *         assertEquals("app", handler.handleRequest(Map.of(), null).get("user"));
 *     }
 * }
 * }</pre>
 *
 * <p>Register it in a {@code static} field: then the manifest is written once for the class, and the test's
 * constructor, field initializers and {@code @BeforeAll} methods see the fakes too. In an instance field it is
 * written for each test and covers only {@code @BeforeEach}, the test and {@code @AfterEach} (JUnit registers it
 * after constructing the test instance). Test classes running in parallel each see their own fakes; code the test
 * hands to another thread (an executor, a parallel stream) sees the client the environment configures.
 */
public final class FakeSecretsExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, InvocationInterceptor {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(FakeSecretsExtension.class);

    private final FakeSecrets fakes;

    /**
     * The extension for {@code fakes}.
     *
     * @param fakes the secrets the tests see
     */
    public FakeSecretsExtension(FakeSecrets fakes) {
        this.fakes = Objects.requireNonNull(fakes, "fakes");
    }

    /**
     * Writes the manifest for the class (registered in a static field).
     *
     * @param context the class's context
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        installation(context);
    }

    /**
     * Writes the manifest for this test, unless the class already has one.
     *
     * @param context the test's context
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        installation(context);
    }

    /**
     * Removes the manifest written for this test, if any.
     *
     * @param context the test's context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        remove(context);
    }

    /**
     * Removes the manifest written for the class.
     *
     * @param context the class's context
     */
    @Override
    public void afterAll(ExtensionContext context) {
        remove(context);
    }

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation,
            ReflectiveInvocationContext<Constructor<T>> invocationContext, ExtensionContext extensionContext)
            throws Throwable {
        return inScope(invocation, extensionContext);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        inScope(invocation, extensionContext);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        inScope(invocation, extensionContext);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        inScope(invocation, extensionContext);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        return inScope(invocation, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        inScope(invocation, extensionContext);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        inScope(invocation, extensionContext);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        inScope(invocation, extensionContext);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        inScope(invocation, extensionContext);
    }

    /**
     * The test's own code, inside a scope of its own on the thread that runs it: JUnit may run other classes' tests
     * on this thread in between (parallel execution), and they must not see these fakes.
     */
    private <T> T inScope(Invocation<T> invocation, ExtensionContext context) throws Throwable {
        FakeSecrets.Scope scope = fakes.openIn(installation(context), false);
        T result;
        try {
            result = invocation.proceed();
        } catch (Throwable failure) {
            // The failure says what went wrong, an undeclared name's AssertionError included.
            scope.closeWithoutCheck();
            throw failure;
        }
        scope.close();
        return result;
    }

    /** The manifest for {@code context}: the class's, else one written for it (found in a parent's store too). */
    private ManifestDirectory installation(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(this, key -> ManifestDirectory.write(fakes.entries()),
                ManifestDirectory.class);
    }

    private void remove(ExtensionContext context) {
        ManifestDirectory written = context.getStore(NAMESPACE).remove(this, ManifestDirectory.class);
        if (written != null) {
            written.close();
        }
    }

    /** The declared secrets' names and kinds, never a value. */
    @Override
    public String toString() {
        return "FakeSecretsExtension[" + fakes + "]";
    }
}
