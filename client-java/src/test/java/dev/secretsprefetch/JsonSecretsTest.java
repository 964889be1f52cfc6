// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.binary;
import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertNoValueIn;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.testing.FakeValues;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** JSON fields and typed reads, and the errors for secrets of the wrong shape or type. */
class JsonSecretsTest {

    record Credentials(String username, String password, int port) {
    }

    record Strict(int port) {
    }

    private static final String PASSWORD = "fixture-json-password-spv-Vb3n";
    private static final String DB = "{\"username\":\"app\",\"password\":\"" + PASSWORD + "\",\"port\":5432,"
            + "\"engine\":\"postgres\",\"tls\":true,\"replicas\":[\"r1\",\"r2\"],\"nothing\":null}";
    private static final String PLAIN = "fixture-plain-not-json-{spv-Cv4m";
    private static final String BAD_PORT = "{\"port\":\"fixture-not-a-number-spv-Df5g\"}";
    private static final String NUMBERS = "{\"tag\":\"fixture-numbers-spv-Nm7q\",\"a\":1.10,\"b\":1e2,"
            + "\"c\":12345678901234567.5,\"d\":1e400,\"e\":-0,\"o\":{\"x\":1.50, \"y\":[1E+2]}}";

    @TempDir
    Path dir;

    private ClientHarness harness;
    private SecretsClient client;

    @BeforeEach
    void start() {
        harness = new ClientHarness(dir);
        harness.write(ready(1, entries(
                "db", text("prod/db", DB),
                "plain", text("prod/plain", PLAIN),
                "array", text("prod/array", "[\"fixture-array-item-spv-Eh6j\"]"),
                "bad-port", text("prod/bad-port", BAD_PORT),
                "numbers", text("prod/numbers", NUMBERS),
                "key", binary("prod/key", FakeValues.binary(1, 2, 3)))));
        client = harness.client();
    }

    @AfterEach
    void stop() {
        assertEquals(0, harness.fake.requestCount());
        harness.assertNotLeaked(PASSWORD, PLAIN, BAD_PORT, NUMBERS, "spv-");
        harness.close();
    }

    @Test
    void fieldOfAJsonSecretIsReturnedAsText() {
        assertSameValue(PASSWORD, client.getField("db", "password"), "db.password");
        assertSameValue("5432", client.getField("db", "port"), "db.port");
        assertSameValue("true", client.getField("db", "tls"), "db.tls");
        assertSameValue("[\"r1\",\"r2\"]", client.getField("db", "replicas"), "db.replicas");
    }

    @Test
    void numbersAndNestedValuesComeBackExactlyAsWritten() {
        assertEquals("1.10", client.getField("numbers", "a"));
        assertEquals("1e2", client.getField("numbers", "b"));
        assertEquals("12345678901234567.5", client.getField("numbers", "c"));
        assertEquals("1e400", client.getField("numbers", "d"));
        assertEquals("-0", client.getField("numbers", "e"));
        assertEquals("{\"x\":1.50, \"y\":[1E+2]}", client.getField("numbers", "o"));
    }

    @Test
    void typedReadBindsTheFieldsTheTypeDeclaresAndIgnoresTheRest() {
        Credentials credentials = client.getJson("db", Credentials.class);

        assertSameValue("app", credentials.username(), "username");
        assertSameValue(PASSWORD, credentials.password(), "password");
        assertEquals(5432, credentials.port());
    }

    @Test
    void missingOrNullFieldFailsAsNoSuchField() {
        assertFails(Reason.NO_SUCH_FIELD, "db", () -> client.getField("db", "hostname"), "no field \"hostname\"");
        assertFails(Reason.NO_SUCH_FIELD, "db", () -> client.getField("db", "nothing"), "it is null");
    }

    @Test
    void secretThatIsNotJsonFailsAsInvalidJsonWithoutQuotingIt() {
        assertFails(Reason.INVALID_JSON, "plain", () -> client.getField("plain", "password"), "not valid JSON");
        assertFails(Reason.INVALID_JSON, "plain", () -> client.getJson("plain", Credentials.class), "not valid JSON");
    }

    @Test
    void jsonThatIsNotAnObjectHasNoFields() {
        assertFails(Reason.INVALID_JSON, "array", () -> client.getField("array", "x"), "not an object");
    }

    @Test
    void jsonThatDoesNotFitTheTypeNamesTheFieldButNotTheValue() {
        SecretsException e = assertFails(Reason.INVALID_JSON, "bad-port",
                () -> client.getJson("bad-port", Strict.class), "does not fit");
        assertTrue(e.getMessage().contains("at field port"), e.getMessage());
        assertEquals(null, e.getCause(), "Jackson's exception quotes the input, so it is not kept as the cause");
    }

    @Test
    void stringAccessorsOnABinarySecretFailAsWrongType() {
        assertFails(Reason.WRONG_TYPE, "key", () -> client.get("key"), "use Secrets.getBinary");
        assertFails(Reason.WRONG_TYPE, "key", () -> client.getField("key", "x"), "binary");
        assertFails(Reason.WRONG_TYPE, "key", () -> client.getJson("key", Credentials.class), "binary");
    }

    @Test
    void binaryAccessorOnAStringSecretFailsAsWrongType() {
        assertFails(Reason.WRONG_TYPE, "plain", () -> client.getBinary("plain"), "use Secrets.get");
    }

    @Test
    void blankOrNullNamesAreRejectedBeforeAnyLookup() {
        assertThrows(IllegalArgumentException.class, () -> client.get(" "));
        assertThrows(NullPointerException.class, () -> client.get(null));
        assertThrows(NullPointerException.class, () -> client.getField("db", null));
        assertThrows(NullPointerException.class, () -> client.getJson("db", null));
    }

    private static SecretsException assertFails(Reason reason, String name, Executable call, String hint) {
        SecretsException e = assertThrows(SecretsException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(name, e.secretName());
        assertTrue(e.getMessage().startsWith("secret \"" + name + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(hint), e.getMessage());
        for (String value : List.of(PASSWORD, PLAIN, BAD_PORT, "spv-")) {
            assertNoValueIn(e.getMessage(), value);
        }
        return e;
    }
}
