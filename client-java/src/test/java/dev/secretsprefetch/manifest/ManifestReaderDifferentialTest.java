// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import static dev.secretsprefetch.manifest.ManifestGenerators.documents;
import static dev.secretsprefetch.manifest.ManifestGenerators.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secretsprefetch.manifest.JsonSpelling.Corruption;
import dev.secretsprefetch.testing.Choices;
import dev.secretsprefetch.testing.Fixtures;
import dev.secretsprefetch.testing.ManifestMutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ManifestJson}'s own parser against the oracle, the Jackson-based reader it replaced
 * ({@link JacksonManifestOracle}): on every document, the same verdict (a manifest, corrupt, or of an unknown
 * version) and the same model. The documents: manifests in every spelling the syntax allows, with unknown members,
 * nesting to the limit, surrogate pairs and huge numbers; each corruption the fixtures name; random mutations of
 * those and of every golden fixture; and the golden fixtures themselves.
 *
 * <p>QuickTheories prints the seed of a failing run; {@code -DQT_SEED=<seed>} replays it (docs/reliability.md).
 */
class ManifestReaderDifferentialTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void manifestsInAnySpellingReadAsTheOracleReadsThem() {
        qt().withExamples(1000)
                .forAll(documents(c -> spelled(c, Corruption.NONE)))
                .checkAssert(document -> {
                    Outcome ours = assertSameOutcome(document);
                    assertEquals("manifest", ours.verdict(), "a valid spelling is a manifest");
                });
    }

    @Test
    void corruptedManifestsGetTheOraclesVerdict() {
        qt().withExamples(2000)
                .forAll(documents(c -> spelled(c, c.pick(List.of(Corruption.values())))))
                .checkAssert(ManifestReaderDifferentialTest::assertSameOutcome);
    }

    @Test
    void mutatedManifestsGetTheOraclesVerdictAndModel() {
        qt().withExamples(2000)
                .forAll(documents(c -> ManifestMutations.mutate(c.nextInt(3) == 0 ? c.pick(fixtures())
                        : spelled(c, c.nextInt(4) == 0 ? c.pick(List.of(Corruption.values())) : Corruption.NONE), c)))
                .checkAssert(ManifestReaderDifferentialTest::assertSameOutcome);
    }

    @Test
    void junkGetsTheOraclesVerdict() {
        qt().withExamples(1000)
                .forAll(documents(c -> ManifestMutations.junk(c, c.nextInt(8))))
                .checkAssert(ManifestReaderDifferentialTest::assertSameOutcome);
    }

    @Test
    void everyGoldenFixtureReadsAsTheOracleReadsIt() {
        for (byte[] fixture : fixtures()) {
            assertSameOutcome(fixture);
        }
    }

    /** A generated manifest, as the writer wrote it or respelled (with unknown members), maybe corrupted. */
    private static byte[] spelled(Choices c, Corruption corruption) {
        byte[] written = ManifestJson.write(manifest(c));
        if (corruption == Corruption.NONE && c.nextInt(4) == 0) {
            return written;
        }
        try {
            JsonNode tree = JSON.readTree(written);
            return JsonSpelling.spell(tree, c, corruption, c.nextBoolean()).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> fixtures() {
        List<byte[]> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(Fixtures.manifests())) {
            for (Path file : files.sorted().toList()) {
                if (file.toString().endsWith(".json") && !file.endsWith("expectations.json")) {
                    documents.add(Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** What a reader made of a document: {@code manifest} (with the model), {@code corrupt} or {@code unknown-version}. */
    record Outcome(String verdict, Manifest manifest) {
    }

    interface Reader {
        Manifest read(byte[] document) throws ManifestFormatException;
    }

    private static Outcome outcome(Reader reader, byte[] document) {
        try {
            return new Outcome("manifest", reader.read(document));
        } catch (ManifestFormatException e) {
            return new Outcome(e.unknownVersion() ? "unknown-version" : "corrupt", null);
        }
    }

    /** Compares without printing either model: their strings would carry the fake values' markers. */
    private static Outcome assertSameOutcome(byte[] document) {
        Outcome oracle = outcome(JacksonManifestOracle::read, document);
        Outcome ours = outcome(ManifestJson::read, document);
        assertEquals(oracle.verdict(), ours.verdict(), "the verdict on the document");
        if (oracle.manifest() != null) {
            assertTrue(oracle.manifest().equals(ours.manifest()), "the same verdict, but a different manifest");
        }
        return ours;
    }
}
