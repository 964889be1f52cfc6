// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import static dev.secretsprefetch.manifest.ManifestGenerators.documents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secretsprefetch.manifest.JsonSpelling.Corruption;
import dev.secretsprefetch.testing.Fixtures;
import dev.secretsprefetch.testing.ManifestMutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link StrictJson} against Jackson ({@link JacksonJsonOracle}) on JSON documents of any shape, the JSON secrets
 * getField and getJson read: the same verdict, and the same tree, down to each number's and each object's text as
 * written (what getField returns). The documents: random values in every spelling, with each corruption the
 * syntax forbids, random mutations of them, and every secret of fixtures/client-contract/json-values.json.
 *
 * <p>QuickTheories prints the seed of a failing run; {@code -DQT_SEED=<seed>} replays it (docs/reliability.md).
 */
class StrictJsonDifferentialTest {

    @Test
    void documentsInAnySpellingParseAsJacksonParsesThem() {
        qt().withExamples(2000)
                .forAll(documents(c -> JsonSpelling.randomDocument(c, Corruption.NONE).getBytes(StandardCharsets.UTF_8)))
                .checkAssert(document -> assertTrue(assertSameTree(utf8(document)), "a valid spelling parses"));
    }

    @Test
    void corruptedDocumentsAreRefusedAsJacksonRefusesThem() {
        qt().withExamples(3000)
                .forAll(documents(c -> JsonSpelling.randomDocument(c, c.pick(List.of(Corruption.values())))
                        .getBytes(StandardCharsets.UTF_8)))
                .checkAssert(document -> assertSameTree(utf8(document)));
    }

    @Test
    void mutatedDocumentsParseAsJacksonParsesThem() {
        qt().withExamples(3000)
                .forAll(documents(c -> ManifestMutations.mutate(JsonSpelling.randomDocument(c, Corruption.NONE)
                        .getBytes(StandardCharsets.UTF_8), c)))
                .checkAssert(document -> assertSameTree(utf8(document)));
    }

    @Test
    void everyJsonSecretOfTheClientContractParsesAsJacksonParsesIt() throws IOException {
        JsonNode contract = new ObjectMapper().readTree(Fixtures.root().resolve("client-contract")
                .resolve("json-values.json").toFile());
        int secrets = 0;
        for (String list : List.of("fields", "documents")) {
            for (JsonNode c : contract.get(list)) {
                assertSameTree(c.get("secret").asText());
                secrets++;
            }
        }
        assertTrue(secrets > 50, "read the contract's secrets");
    }

    /** Bytes as a function's code would see them in a String: invalid UTF-8 turned into U+FFFD. */
    private static String utf8(byte[] document) {
        return new String(document, StandardCharsets.UTF_8);
    }

    /** Whether both accepted it (and built the same tree) — or refused it, both. */
    private static boolean assertSameTree(String document) {
        Optional<JacksonJsonOracle.Node> oracle = JacksonJsonOracle.parse(document);
        JsonValue ours;
        try {
            ours = JsonValue.parse(document);
        } catch (JsonSyntaxException e) {
            ours = null;
        }
        assertEquals(oracle.isPresent(), ours != null, "whether the document is JSON");
        if (ours != null) {
            assertTrue(JacksonJsonOracle.same(oracle.orElseThrow(), ours), "the same tree");
        }
        return ours != null;
    }
}
