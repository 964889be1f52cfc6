// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import static dev.secretsprefetch.manifest.ManifestGenerators.documents;
import static dev.secretsprefetch.manifest.ManifestGenerators.manifest;
import static dev.secretsprefetch.manifest.ManifestGenerators.manifests;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.ManifestMutations;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * Properties of manifest parsing: every manifest the model can hold survives {@link ManifestJson} write and
 * read; any bytes at all, damaged manifests and JSON-shaped junk either parse or fail with a
 * {@link ManifestFormatException} (nothing else, ever), whose message is printable ASCII, names no content and
 * carries no cause. Every string in the generated manifests carries a marker, so a quoted one would show.
 *
 * <p>QuickTheories prints the seed of a failing run; {@code -DQT_SEED=<seed>} replays it (docs/reliability.md).
 */
class ManifestJsonPropertiesTest {

    /** What a message may look like: our own words, field names and numbers; never a character from the file. */
    private static final Pattern MESSAGE = Pattern.compile("manifest [ -~]{1,300}");

    @Test
    void everyManifestSurvivesWriteAndRead() {
        // equals, not assertEquals: a failure message must not print the manifest (its names carry markers).
        qt().withExamples(200).forAll(manifests()).check(m -> m.equals(roundTrip(m)));
    }

    @Test
    void anyBytesParseOrAreRefusedCleanly() {
        qt().withExamples(500)
                .forAll(documents(c -> {
                    byte[] bytes = new byte[c.nextInt(301)];
                    c.nextBytes(bytes);
                    return bytes;
                }))
                .checkAssert(ManifestJsonPropertiesTest::parseOrRefuseCleanly);
    }

    @Test
    void damagedManifestsParseOrAreRefusedCleanly() {
        qt().withExamples(500)
                .forAll(documents(c -> ManifestMutations.mutate(ManifestJson.write(manifest(c)), c)))
                .checkAssert(damaged -> parseOrRefuseCleanly(damaged)
                        .ifPresent(m -> assertTrue(m.equals(roundTrip(m)), "what parses is a manifest the model can hold")));
    }

    @Test
    void jsonShapedJunkParsesOrIsRefusedCleanly() {
        qt().withExamples(500)
                .forAll(documents(c -> ManifestMutations.junk(c, c.nextInt(8))))
                .checkAssert(ManifestJsonPropertiesTest::parseOrRefuseCleanly);
    }

    @Test
    void emptyAndTinyDocumentsAreRefusedCleanly() {
        qt().forAll(Generate.pick(java.util.List.of("", " ", "{", "}", "{}", "[]", "null", "1", "\"\"", "\uFEFF{}")))
                .checkAssert(text -> parseOrRefuseCleanly(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static Optional<Manifest> parseOrRefuseCleanly(byte[] bytes) {
        try {
            return Optional.of(ManifestJson.read(bytes));
        } catch (ManifestFormatException e) {
            assertTrue(MESSAGE.matcher(e.getMessage()).matches(), "message in our own words only");
            assertFalse(FakeValues.isMarked(e.getMessage()), "message quotes content");
            assertNull(e.getCause(), "no parser exception (whose message quotes the document) is kept");
            return Optional.empty();
        }
    }

    private static Manifest roundTrip(Manifest manifest) {
        try {
            return ManifestJson.read(ManifestJson.write(manifest));
        } catch (ManifestFormatException e) {
            throw new AssertionError("a manifest does not read back: " + e.getMessage(), e);
        }
    }
}
