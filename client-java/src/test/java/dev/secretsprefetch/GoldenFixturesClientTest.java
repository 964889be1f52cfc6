// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.Values.assertSameBytes;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secretsprefetch.testing.FakeSecretsManager;
import dev.secretsprefetch.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over every golden fixture: what fixtures/manifest/expectations.json says a reader concludes is
 * what a handler gets, from the manifest or from a direct call.
 */
class GoldenFixturesClientTest {

    @TempDir
    Path root;

    @TestFactory
    Stream<DynamicTest> everyFixtureServesWhatTheExpectationsSay() throws IOException {
        JsonNode expectations = new ObjectMapper().readTree(Fixtures.manifests().resolve("expectations.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> fixture : expectations.properties()) {
            tests.add(DynamicTest.dynamicTest(fixture.getKey(),
                    () -> check(fixture.getKey(), fixture.getValue(), root.resolve(fixture.getKey()))));
        }
        return tests.stream();
    }

    private static void check(String file, JsonNode expected, Path dir) {
        try (ClientHarness harness = new ClientHarness(dir)) {
            harness.writeFixture(file);
            SecretsClient client = harness.client();
            switch (expected.get("outcome").asText()) {
                case "ready" -> checkReady(harness, client, expected);
                case "pending" -> {
                    // Past the fixture's deadline a pending manifest no longer holds calls back.
                    harness.clock.set(expected.get("deadlineEpochMs").asLong() + 1);
                    checkDirect(harness, client, "db");
                }
                case "unknown-version", "corrupt" -> {
                    checkDirect(harness, client, "db");
                    checkDirect(harness, client, "api-key");
                    assertEquals(1, harness.warnings(), file + ": one warning per process, got log:\n" + harness.log());
                }
                default -> throw new AssertionError("unknown outcome for " + file);
            }
        }
    }

    private static void checkReady(ClientHarness harness, SecretsClient client, JsonNode expected) {
        JsonNode entries = expected.get("entries");
        Set<String> directIds = new TreeSet<>();
        for (Map.Entry<String, JsonNode> resolve : expected.get("resolve").properties()) {
            String asked = resolve.getKey();
            if (resolve.getValue().isNull()) {
                checkDirectFor(harness, client, asked, asked, SecretRequest.isParameterArn(asked));
                directIds.add(asked);
                continue;
            }
            JsonNode entry = entries.get(resolve.getValue().asText());
            switch (entry.get("kind").asText()) {
                case "string" -> assertSameValue(entry.get("value").asText(), client.get(asked), asked);
                case "binary" -> assertSameBytes(Base64.getDecoder().decode(entry.get("base64").asText()),
                        client.getBinary(asked), asked);
                case "error" -> {
                    String id = entry.has("parameter") ? entry.get("parameter").asText() : entry.get("secretId").asText();
                    checkDirectFor(harness, client, asked, id, entry.has("parameter"));
                    directIds.add(id);
                }
                default -> throw new AssertionError("unknown kind for " + asked);
            }
        }
        // Direct calls only for error entries and unknown names, each made once and then cached.
        assertEquals(directIds, harness.fake.calls().stream().map(FakeSecretsManager.Call::secretId)
                .collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(directIds.size(), harness.fake.requestCount(), "each direct call is made once, then cached");
    }

    private static void checkDirect(ClientHarness harness, SecretsClient client, String asked) {
        checkDirectFor(harness, client, asked, asked, false);
    }

    /** A direct call for {@code asked}: GetParameter for {@code id} when {@code parameter}, else GetSecretValue. */
    private static void checkDirectFor(ClientHarness harness, SecretsClient client, String asked, String id,
            boolean parameter) {
        String direct = "fixture-direct-for-" + id + "-spv-Dr3c";
        if (parameter) {
            harness.fake.putParameter(id, direct);
        } else {
            harness.fake.putString(id, direct);
        }
        assertSameValue(direct, client.get(asked), asked + " (direct call for " + id + ")");
        FakeSecretsManager.Call call = harness.fake.calls().get(harness.fake.requestCount() - 1);
        assertEquals(id, call.secretId(), "direct call for " + asked + " asks for " + id);
        assertEquals(parameter, call.parameter(), "direct call for " + asked + " is a GetParameter");
    }
}
