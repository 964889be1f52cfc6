// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secretsprefetch.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every golden file in fixtures/manifest reads as fixtures/manifest/expectations.json says. */
class GoldenManifestFixturesTest {

    private static final Path DIR = Fixtures.manifests();

    @TestFactory
    Stream<DynamicTest> everyFixtureReadsAsExpected() throws IOException {
        JsonNode expectations = new ObjectMapper().readTree(DIR.resolve("expectations.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        expectations.properties().forEach(e -> tests.add(
                DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue()))));
        return tests.stream();
    }

    @Test
    void everyFixtureFileHasAnExpectation() throws IOException {
        JsonNode expectations = new ObjectMapper().readTree(DIR.resolve("expectations.json").toFile());
        try (Stream<Path> files = Files.list(DIR)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.equals("expectations.json"))
                    .forEach(n -> assertTrue(expectations.has(n), n + " has no entry in expectations.json"));
        }
    }

    private static void check(String file, JsonNode expected) throws Exception {
        byte[] bytes = Files.readAllBytes(DIR.resolve(file));
        String outcome = expected.get("outcome").asText();
        switch (outcome) {
            case "corrupt" -> assertFalse(assertThrows(ManifestFormatException.class,
                    () -> ManifestJson.read(bytes)).unknownVersion());
            case "unknown-version" -> assertTrue(assertThrows(ManifestFormatException.class,
                    () -> ManifestJson.read(bytes)).unknownVersion());
            case "pending" -> {
                Manifest manifest = ManifestJson.read(bytes);
                assertEquals(Manifest.State.PENDING, manifest.state());
                assertEquals(expected.get("generation").asLong(), manifest.generation());
                assertEquals(expected.get("deadlineEpochMs").asLong(), manifest.deadlineEpochMs());
            }
            case "ready" -> checkReady(ManifestJson.read(bytes), expected);
            default -> throw new AssertionError("unknown outcome " + outcome + " for " + file);
        }
    }

    private static void checkReady(Manifest manifest, JsonNode expected) {
        assertEquals(Manifest.State.READY, manifest.state());
        assertEquals(expected.get("generation").asLong(), manifest.generation());
        assertEquals(expected.get("entries").size(), manifest.secrets().size());
        expected.get("entries").properties().forEach(e -> {
            SecretEntry entry = manifest.secrets().get(e.getKey());
            JsonNode want = e.getValue();
            if (want.has("parameter")) {
                assertEquals(want.get("parameter").asText(),
                        assertInstanceOf(SecretEntry.Parameter.class, entry.source()).parameter(), e.getKey());
            } else {
                assertEquals(want.get("secretId").asText(),
                        assertInstanceOf(SecretEntry.Secret.class, entry.source()).secretId(), e.getKey());
            }
            // Values are compared without printing them, whether the comparison passes or not.
            switch (want.get("kind").asText()) {
                case "string" -> assertTrue(want.get("value").asText().equals(
                        assertInstanceOf(SecretValue.Text.class, entry.value()).value()), "value of " + e.getKey());
                case "binary" -> assertTrue(Arrays.equals(Base64.getDecoder().decode(want.get("base64").asText()),
                        assertInstanceOf(SecretValue.Binary.class, entry.value()).bytes()), "bytes of " + e.getKey());
                case "error" -> assertEquals(want.get("code").asText(),
                        assertInstanceOf(SecretValue.Failure.class, entry.value()).code(), e.getKey());
                default -> throw new AssertionError("unknown kind for " + e.getKey());
            }
        });
        JsonNode resolve = expected.get("resolve");
        if (resolve != null) {
            for (Map.Entry<String, JsonNode> r : iterable(resolve)) {
                String wanted = r.getValue().isNull() ? null : r.getValue().asText();
                assertEquals(wanted == null ? null : manifest.secrets().get(wanted),
                        manifest.resolve(r.getKey()).orElse(null), "resolve " + r.getKey());
            }
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node.properties();
    }
}
