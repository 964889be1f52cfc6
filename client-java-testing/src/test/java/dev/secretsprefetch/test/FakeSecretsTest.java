// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import static dev.secretsprefetch.test.Fingerprints.assertNoValueIn;
import static dev.secretsprefetch.test.Fingerprints.assertSameBytes;
import static dev.secretsprefetch.test.Fingerprints.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.Secrets;
import dev.secretsprefetch.SecretsException;
import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.testing.FakeValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The programmatic API: what a test declares is what {@link Secrets} serves, and nothing else. */
@SuppressWarnings("try") // scopes are opened for their effect on the thread, not referenced
class FakeSecretsTest {

    private static final String API_KEY = "fixture-fake-api-key-spv-Fk3y";
    private static final String PASSWORD = "fixture-fake-password-spv-Pw0d";
    private static final String INNER = "fixture-fake-inner-spv-1nnr";
    private static final byte[] SIGNING_KEY = FakeValues.binary(0, 1, 0xfe, 0xff);

    record Db(String username, String password, int port) {
    }

    private static final FakeSecrets SECRETS = FakeSecrets.builder()
            .string("api-key", API_KEY)
            .binary("signing-key", SIGNING_KEY)
            .json("db", Map.of("username", "app", "password", PASSWORD, "port", 5432))
            .failing("flags", Reason.ACCESS_DENIED)
            .build();

    @Test
    void everyKindOfDeclaredSecretIsServedThroughTheFacade() {
        try (FakeSecrets.Scope scope = SECRETS.open()) {
            assertSameValue(API_KEY, Secrets.get("api-key"), "api-key");
            assertSameBytes(SIGNING_KEY, Secrets.getBinary("signing-key"), "signing-key");
            assertSameValue(PASSWORD, Secrets.getField("db", "password"), "db.password");
            assertEquals("5432", Secrets.getField("db", "port"));
            Db db = Secrets.getJson("db", Db.class);
            assertEquals("app", db.username());
            assertSameValue(PASSWORD, db.password(), "db.password bound");
        }
    }

    @Test
    void anSsmParameterIsFakedByTheNameTheHandlerAsksFor() {
        String arn = "arn:aws:ssm:us-east-1:123456789012:parameter/prod/hosts";
        FakeSecrets parameters = FakeSecrets.builder()
                .string("/prod/db/url", API_KEY)
                .string(arn, PASSWORD)
                .failing("arn:aws:ssm:us-east-1:123456789012:parameter/prod/gone", Reason.NOT_FOUND)
                .build();

        try (FakeSecrets.Scope scope = parameters.open()) {
            assertSameValue(API_KEY, Secrets.get("/prod/db/url"), "a parameter by its name");
            assertSameValue(PASSWORD, Secrets.get(arn), "a parameter by its ARN");
            SecretsException e = assertThrows(SecretsException.class,
                    () -> Secrets.get("arn:aws:ssm:us-east-1:123456789012:parameter/prod/gone"));
            assertEquals(Reason.NOT_FOUND, e.reason());
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"NOT_FOUND", "ACCESS_DENIED", "THROTTLED", "TIMEOUT", "DECRYPTION_FAILURE", "OTHER"})
    void aSecretDeclaredFailingFailsWithThatReasonThroughEveryAccessor(Reason reason) {
        FakeSecrets failing = FakeSecrets.builder().failing("db", reason).build();

        try (FakeSecrets.Scope scope = failing.open()) {
            for (Runnable call : List.<Runnable>of(() -> Secrets.get("db"), () -> Secrets.getBinary("db"),
                    () -> Secrets.getField("db", "password"), () -> Secrets.getJson("db", Db.class))) {
                SecretsException e = assertThrows(SecretsException.class, call::run);
                assertEquals(reason, e.reason());
                assertEquals("db", e.secretName());
                assertTrue(e.getMessage().contains("no call to Secrets Manager was made"), e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"INVALID_JSON", "NO_SUCH_FIELD", "WRONG_TYPE"})
    void reasonsThatComeFromTheValueCannotBeDeclaredFailing(Reason reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FakeSecrets.builder().failing("db", reason));
        assertTrue(e.getMessage().contains("declare a value that causes it"), e.getMessage());
    }

    @Test
    void reasonsThatComeFromTheValueComeFromADeclaredValue() {
        try (FakeSecrets.Scope scope = SECRETS.open()) {
            assertEquals(Reason.WRONG_TYPE, assertThrows(SecretsException.class, () -> Secrets.get("signing-key"))
                    .reason());
            assertEquals(Reason.INVALID_JSON, assertThrows(SecretsException.class,
                    () -> Secrets.getField("api-key", "x")).reason());
            assertEquals(Reason.NO_SUCH_FIELD, assertThrows(SecretsException.class,
                    () -> Secrets.getField("db", "host")).reason());
        }
    }

    @Test
    void anUndeclaredNameFailsTheTestNamingItAndWhatWasDeclared() {
        FakeSecrets.Scope scope = SECRETS.open();
        AssertionError e = assertThrows(AssertionError.class, () -> Secrets.get("prod/db"));
        assertTrue(e.getMessage().startsWith("secret \"prod/db\" is not one of the fake secrets this test declared "
                + "(\"api-key\", \"signing-key\", \"db\", \"flags\")"), e.getMessage());
        assertTrue(e.getMessage().contains("No call to Secrets Manager was made"), e.getMessage());

        AssertionError atClose = assertThrows(AssertionError.class, scope::close);
        assertTrue(atClose.getMessage().contains("did not declare: \"prod/db\""), atClose.getMessage());
    }

    @Test
    void anUndeclaredNameTheCodeUnderTestSwallowedStillFailsWhenTheScopeCloses() {
        FakeSecrets.Scope scope = SECRETS.open();
        String answer;
        try {
            answer = Secrets.get("feature-flags");
        } catch (Throwable swallowed) { // what a careless handler does
            answer = "fallback";
        }
        assertEquals("fallback", answer);

        AssertionError e = assertThrows(AssertionError.class, scope::close);
        assertTrue(e.getMessage().contains("\"feature-flags\""), e.getMessage());
        assertTrue(e.getMessage().contains("the code caught it"), e.getMessage());
    }

    @Test
    void afterTheScopeTheThreadGetsTheClientTheEnvironmentConfigures() {
        try (FakeSecrets.Scope scope = SECRETS.open()) {
            assertSameValue(API_KEY, Secrets.get("api-key"), "api-key in the scope");
        }
        // This module's tests run with no manifest and a Secrets Manager endpoint nothing listens on (pom.xml).
        SecretsException e = assertThrows(SecretsException.class, () -> Secrets.get("api-key"));
        assertEquals(Reason.OTHER, e.reason());
        assertTrue(e.getMessage().contains("no connection"), e.getMessage());
    }

    @Test
    void nestedScopesServeTheInnermostDeclarationThenTheOuterOneAgain() {
        FakeSecrets inner = FakeSecrets.builder().string("api-key", INNER).build();

        try (FakeSecrets.Scope outer = SECRETS.open()) {
            try (FakeSecrets.Scope scope = inner.open()) {
                assertSameValue(INNER, Secrets.get("api-key"), "the inner declaration");
                assertThrows(AssertionError.class, () -> Secrets.get("db"), "the inner scope replaces, not merges");
                assertThrows(AssertionError.class, scope::close);
            }
            assertSameValue(API_KEY, Secrets.get("api-key"), "the outer declaration");
        }
    }

    @Test
    void badDeclarationsAreRefusedNamingTheProblem() {
        FakeSecrets.Builder builder = FakeSecrets.builder().string("db", PASSWORD);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.string("db", API_KEY)).getMessage()
                .contains("declared twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.string(" \t", API_KEY)).getMessage()
                .contains("must not be empty or only whitespace"));
        assertEquals("value", assertThrows(NullPointerException.class, () -> builder.string("x", null)).getMessage());
        assertEquals("name", assertThrows(NullPointerException.class, () -> builder.binary(null, SIGNING_KEY))
                .getMessage());
    }

    @Test
    void jsonJacksonCannotWriteIsRefusedWithoutShowingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FakeSecrets.builder().json("db", new Object()));
        assertTrue(e.getMessage().contains("cannot serialise java.lang.Object"), e.getMessage());
    }

    @Test
    void theStringFormNamesTheSecretsButNoValue() {
        String text = SECRETS.toString() + new FakeSecretsExtension(SECRETS);

        assertTrue(text.contains("api-key: string, signing-key: binary, db: string, flags: failing ACCESS_DENIED"), text);
        assertNoValueIn(text);
    }
}
