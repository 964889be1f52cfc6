// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.testing.FakeSecretsManager;
import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients' shared contract (fixtures/client-contract): settings, secret names and JSON secrets, case by case,
 * as every client must read them.
 */
class ClientContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode contract(String file) throws IOException {
        return JSON.readTree(Fixtures.root().resolve("client-contract").resolve(file).toFile());
    }

    @TestFactory
    Stream<DynamicTest> settingsAreReadAsTheContractSays() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : contract("settings.json").get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("case").asText(), () -> checkSettings(c)));
        }
        return tests.stream();
    }

    private static void checkSettings(JsonNode c) {
        Map<String, String> env = new LinkedHashMap<>();
        c.get("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        if (c.has("error")) {
            String variable = c.get("error").asText();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientConfig.from(env));
            assertTrue(e.getMessage().startsWith(variable + " must be"), e.getMessage());
            return;
        }
        ClientConfig config = ClientConfig.from(env);
        if (c.has("manifest")) {
            assertEquals(c.get("manifest").asText(), config.directory().resolve(ManifestFiles.MANIFEST_FILE).toString());
        }
        if (c.has("waitMs")) {
            assertEquals(c.get("waitMs").asLong(), config.waitCapMs());
        }
        if (c.has("logLevel")) {
            assertEquals(c.get("logLevel").asText(), config.logLevel().name().toLowerCase(Locale.ROOT));
        }
    }

    @TestFactory
    Stream<DynamicTest> namesAreAcceptedOrRefusedAsTheContractSays() throws IOException {
        JsonNode names = contract("names.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode name : names.get("accepted")) {
            tests.add(DynamicTest.dynamicTest("accepted " + JSON.writeValueAsString(name.asText()),
                    () -> checkAccepted(name.asText())));
        }
        for (JsonNode name : names.get("refused")) {
            tests.add(DynamicTest.dynamicTest("refused " + JSON.writeValueAsString(name.asText()),
                    () -> checkRefused(name.asText())));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aNameWithoutAnEntryIsTheDirectCallNamesJsonSays() throws IOException {
        JsonNode directCalls = contract("names.json").get("directCalls");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : directCalls.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                try (ClientHarness harness = new ClientHarness(dir.resolve("direct"))) {
                    String id = c.get("id").asText();
                    boolean parameter = c.get("call").asText().equals("GetParameter");
                    String value = FakeValues.text("fixture-contract-direct");
                    if (parameter) {
                        harness.fake.putParameter(id, value);
                    } else {
                        harness.fake.putString(id, value);
                    }
                    SecretsClient client = harness.client(EnvironmentVariables.AWS_REGION,
                            directCalls.get("region").asText());
                    assertSameValue(value, client.get(c.get("name").asText()), "the direct call's value");
                    FakeSecretsManager.Call call = harness.fake.calls().get(0);
                    assertEquals(List.of(id, parameter), List.of(call.secretId(), call.parameter()), "the call");
                    assertEquals(c.get("region").asText(), harness.fake.regions().get(0), "the call's region");
                }
            }));
        }
        return tests.stream();
    }

    /** An accepted name is looked up: served from the manifest when it is an entry, else asked for directly. */
    private void checkAccepted(String name) {
        String value = FakeValues.text("fixture-contract-name");
        try (ClientHarness harness = new ClientHarness(dir.resolve("accepted"))) {
            harness.write(ready(1, entries(name, text("prod/contract", value))));
            SecretsClient client = harness.client();
            assertSameValue(value, client.get(name), "a secret by an accepted name");
            SecretsException notThere = assertThrows(SecretsException.class, () -> client.get(name + "-elsewhere"));
            assertEquals(Reason.NOT_FOUND, notThere.reason(), notThere.getMessage());
            assertEquals(1, harness.fake.requestCount(), "a name not in the manifest is asked for directly");
        }
    }

    /** A refused name is the caller's mistake: every accessor says so before reading or calling anything. */
    private void checkRefused(String name) {
        try (ClientHarness harness = new ClientHarness(dir.resolve("refused"))) {
            SecretsClient client = harness.client();
            for (Executable call : List.<Executable>of(() -> client.get(name), () -> client.getBinary(name),
                    () -> client.getField(name, "x"), () -> client.getJson(name, Object.class))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
                assertTrue(e.getMessage().startsWith("secret name must not be empty or only whitespace"),
                        e.getMessage());
            }
            assertEquals(0, harness.fake.requestCount());
            assertEquals("", harness.log(), "nothing was looked at");
        }
    }

    @TestFactory
    Stream<DynamicTest> jsonFieldsAreReadAsTheContractSays() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (JsonNode c : contract("json-values.json").get("fields")) {
            String title = "field " + index++ + (c.has("note") ? ": " + c.get("note").asText() : "");
            tests.add(DynamicTest.dynamicTest(title, () -> checkField(c)));
        }
        return tests.stream();
    }

    private static void checkField(JsonNode c) {
        String secret = c.get("secret").asText();
        String field = c.get("field").asText();
        if (c.has("error")) {
            SecretsException e = assertThrows(SecretsException.class, () -> JsonSecrets.field("s", secret, field));
            assertEquals(Reason.valueOf(c.get("error").asText()), e.reason(), e.getMessage());
            assertEquals(null, e.getCause(), "nothing that could quote the secret is chained");
            assertTrue(secret.length() < 6 || !e.getMessage().contains(secret), "the message quotes the secret");
        } else {
            assertEquals(c.get("value").asText(), JsonSecrets.field("s", secret, field));
        }
    }

    @TestFactory
    Stream<DynamicTest> jsonDocumentsAreAcceptedOrRefusedAsTheContractSays() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (JsonNode c : contract("json-values.json").get("documents")) {
            String title = "document " + index++ + (c.has("note") ? ": " + c.get("note").asText() : "");
            tests.add(DynamicTest.dynamicTest(title, () -> checkDocument(c)));
        }
        return tests.stream();
    }

    private static void checkDocument(JsonNode c) {
        String secret = c.get("secret").asText();
        if (c.get("valid").asBoolean()) {
            JsonBinding.read("s", secret, Object.class);
            JsonBinding.read("s", secret, JsonNode.class);
        } else {
            for (Class<?> type : List.of(Object.class, JsonNode.class)) {
                SecretsException e = assertThrows(SecretsException.class, () -> JsonBinding.read("s", secret, type));
                assertEquals(Reason.INVALID_JSON, e.reason(), e.getMessage());
                assertEquals(null, e.getCause());
            }
        }
    }
}
