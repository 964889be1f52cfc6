package dev.secretsprefetch.manifest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.ManifestMutations;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of manifest parsing: every manifest the model can hold survives {@link ManifestJson} write and
 * read; any bytes at all, damaged manifests and JSON-shaped junk either parse or fail with a
 * {@link ManifestFormatException} (nothing else, ever), whose message is printable ASCII, names no content and
 * carries no cause. Every string in the generated manifests carries a marker, so a quoted one would show.
 */
class ManifestJsonPropertiesTest {

    /** What a message may look like: our own words, field names and numbers; never a character from the file. */
    private static final Pattern MESSAGE = Pattern.compile("manifest [ -~]{1,300}");

    @Property(tries = 200, edgeCases = EdgeCasesMode.MIXIN)
    void everyManifestSurvivesWriteAndRead(@ForAll("manifests") Manifest manifest) throws Exception {
        // equals, not assertEquals: a failure message must not print the manifest (its names carry markers).
        assertTrue(manifest.equals(ManifestJson.read(ManifestJson.write(manifest))), "differs after write and read");
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.MIXIN)
    void anyBytesParseOrAreRefusedCleanly(@ForAll @Size(max = 300) byte[] bytes) {
        parseOrRefuseCleanly(bytes);
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.MIXIN)
    void damagedManifestsParseOrAreRefusedCleanly(@ForAll("manifests") Manifest manifest, @ForAll long seed) {
        byte[] damaged = ManifestMutations.mutate(ManifestJson.write(manifest), new Random(seed));
        Optional<Manifest> parsed = parseOrRefuseCleanly(damaged);
        parsed.ifPresent(m -> assertTrue(m.equals(roundTrip(m)), "what parses is a manifest the model can hold"));
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.MIXIN)
    void jsonShapedJunkParsesOrIsRefusedCleanly(@ForAll long seed) {
        Random random = new Random(seed);
        parseOrRefuseCleanly(ManifestMutations.junk(random, random.nextInt(8)));
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
            throw new AssertionError("a parsed manifest does not read back: " + e.getMessage(), e);
        }
    }

    @Provide
    Arbitrary<Manifest> manifests() {
        Arbitrary<Long> generations = Arbitraries.longs().greaterOrEqual(1);
        Arbitrary<Long> times = Arbitraries.longs();
        Arbitrary<Manifest> pending = Combinators.combine(generations, times, times, texts())
                .as(Manifest::pending);
        Arbitrary<Map<String, SecretEntry>> secrets = Arbitraries.maps(texts(), entries()).ofMaxSize(5);
        Arbitrary<Manifest> ready = Combinators.combine(generations, times, texts(), secrets).as(Manifest::ready);
        return Arbitraries.oneOf(pending, ready, ready);
    }

    /** Any text, unpaired surrogates aside (no UTF-8 can hold one), with a marker in it. */
    private static Arbitrary<String> texts() {
        Arbitrary<String> any = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\uffff')
                .ofMaxLength(24);
        Arbitrary<String> emoji = Arbitraries.of("", "\ud83d\udd11", "\ud83d\ude00\u200d");
        return Combinators.combine(any, emoji, Arbitraries.strings().alpha().numeric().ofLength(4))
                .as((text, pair, id) -> text + pair + "spv-" + id);
    }

    private static Arbitrary<SecretEntry> entries() {
        Arbitrary<Optional<String>> optional = texts().optional();
        Arbitrary<List<String>> stages = texts().list().ofMaxSize(3);
        Arbitrary<SecretValue> values = Arbitraries.oneOf(
                texts().map(SecretValue.Text::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> new SecretValue.Binary(
                        FakeValues.binary(b))),
                Combinators.combine(texts(), texts()).as(SecretValue.Failure::new));
        return Combinators.combine(texts(), optional, optional, stages, optional, optional, Arbitraries.longs(), values)
                .as(SecretEntry::new);
    }
}
