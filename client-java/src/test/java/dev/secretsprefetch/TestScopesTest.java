// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.binary;
import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.failed;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertNoValueIn;
import static dev.secretsprefetch.Values.assertSameBytes;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.testing.FakeValues;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test-only hook behind secrets-prefetch-testing, through the facade a handler calls. Every call to
 * {@link Secrets} here is made inside a scope: outside one it would build the process-wide client, which only
 * {@link SecretsFacadeTest} may do (it configures the environment first).
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread, not referenced
class TestScopesTest {

    private static final String API_KEY = "fixture-scope-api-key-spv-Sc0p";
    private static final String INNER = "fixture-scope-inner-spv-Inn3r";
    private static final byte[] KEY = FakeValues.binary(1, 2, 3);

    @TempDir
    Path outer;

    @TempDir
    Path inner;

    @Test
    void aScopeServesItsDirectorysManifestThroughTheFacade() throws IOException {
        ManifestFilesWriter.write(outer, ready(1, entries("api-key", text("api-key", API_KEY), "key", binary("key", KEY))));

        try (AutoCloseable scope = TestScopes.open(outer, Map.of(), TestScopesTest::undeclared)) {
            assertSameValue(API_KEY, Secrets.get("api-key"), "api-key");
            assertSameBytes(KEY, Secrets.getBinary("key"), "key");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertNull(TestScopes.current(), "nothing of the scope remains on the thread");
    }

    @Test
    void aNameTheManifestCannotServeFailsWithTheTestSupportsErrorInsteadOfACall() throws Exception {
        ManifestFilesWriter.write(outer, ready(1, entries("api-key", text("api-key", API_KEY))));

        try (AutoCloseable scope = TestScopes.open(outer, Map.of(), TestScopesTest::undeclared)) {
            AssertionError e = assertThrows(AssertionError.class, () -> Secrets.get("db"));
            assertEquals("undeclared: db", e.getMessage());
        }
    }

    @Test
    void aSecretDeclaredFailingFailsWithItsReasonWithoutACall() throws Exception {
        ManifestFilesWriter.write(outer, ready(1, entries("db", failed("db", "AccessDeniedException"))));

        try (AutoCloseable scope = TestScopes.open(outer, Map.of("db", Reason.ACCESS_DENIED),
                TestScopesTest::undeclared)) {
            SecretsException e = assertThrows(SecretsException.class, () -> Secrets.get("db"));
            assertEquals(Reason.ACCESS_DENIED, e.reason());
            assertEquals("db", e.secretName());
            assertTrue(e.getMessage().contains("no call to Secrets Manager was made"), e.getMessage());
        }
    }

    @Test
    void theInnermostScopeWinsAndClosingItRestoresTheOneItHid() throws Exception {
        ManifestFilesWriter.write(outer, ready(1, entries("api-key", text("api-key", API_KEY))));
        ManifestFilesWriter.write(inner, ready(1, entries("api-key", text("api-key", INNER))));

        try (AutoCloseable first = TestScopes.open(outer, Map.of(), TestScopesTest::undeclared)) {
            try (AutoCloseable second = TestScopes.open(inner, Map.of(), TestScopesTest::undeclared)) {
                assertSameValue(INNER, Secrets.get("api-key"), "the inner scope's value");
            }
            assertSameValue(API_KEY, Secrets.get("api-key"), "the outer scope's value again");
        }
        assertNull(TestScopes.current());
    }

    @Test
    void scopesCloseInnermostFirstAndOnlyOnTheirOwnThread() throws Exception {
        ManifestFilesWriter.write(outer, ready(1, entries("api-key", text("api-key", API_KEY))));
        AutoCloseable first = TestScopes.open(outer, Map.of(), TestScopesTest::undeclared);
        AutoCloseable second = TestScopes.open(outer, Map.of(), TestScopesTest::undeclared);

        IllegalStateException order = assertThrows(IllegalStateException.class, first::close);
        assertTrue(order.getMessage().contains("innermost first"), order.getMessage());
        AtomicReference<Throwable> elsewhere = new AtomicReference<>();
        Thread other = new Thread(() -> elsewhere.set(assertThrows(IllegalStateException.class, second::close)));
        other.start();
        other.join();
        assertTrue(elsewhere.get().getMessage().contains("on the thread that opened it"), elsewhere.get().getMessage());

        second.close();
        second.close(); // closing twice is harmless
        first.close();
        assertNull(TestScopes.current());
    }

    @Test
    void anotherThreadDoesNotSeeTheScope() throws Exception {
        ManifestFilesWriter.write(outer, ready(1, entries("api-key", text("api-key", API_KEY))));
        AtomicReference<SecretsClient> seen = new AtomicReference<>();

        try (AutoCloseable scope = TestScopes.open(outer, Map.of(), TestScopesTest::undeclared)) {
            SecretsClient mine = TestScopes.current();
            Thread other = new Thread(() -> seen.set(TestScopes.current()));
            other.start();
            other.join();
            assertNull(seen.get(), "a thread without a scope of its own gets the normal client");
            assertSame(mine, TestScopes.current());
        }
    }

    @Test
    void errorsNameTheSecretButNeverItsValue() throws Exception {
        ManifestFilesWriter.write(outer, ready(1, entries("key", binary("key", KEY))));

        try (AutoCloseable scope = TestScopes.open(outer, Map.of(), TestScopesTest::undeclared)) {
            SecretsException e = assertThrows(SecretsException.class, () -> Secrets.get("key"));
            assertEquals(Reason.WRONG_TYPE, e.reason());
            assertNoValueIn(e.getMessage(), "spv-");
        }
    }

    private static AssertionError undeclared(String name) {
        return new AssertionError("undeclared: " + name);
    }
}
