// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFormatException;
import dev.secretsprefetch.manifest.ManifestJson;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.Fixtures;
import dev.secretsprefetch.testing.ManifestMutations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java, Ruby, Python and Node.js manifest readers reach the same conclusion on the same bytes: the golden fixtures,
 * ~1,000 damaged manifests and JSON-shaped junk (fixed seeds, so a disagreement reproduces), and base64 edge
 * cases. Same conclusion means the same outcome (ready, pending, corrupt, unknown version) and, for a usable
 * manifest, the same generation, deadline, entries, ids and values (compared as SHA-256 digests, never shown).
 */
class ManifestReadersAgreeTest {

    private static final List<String> BASES = List.of("valid.json", "pending.json", "binary.json", "error-entry.json",
            "hostile-names.json");

    @TempDir
    Path dir;

    @Test
    void rubyPythonAndNodeReadersAgreeWithTheJavaReaderOnEveryDocument() throws Exception {
        Path cases = Files.createDirectory(dir.resolve("cases"));
        Map<String, byte[]> corpus = corpus();
        for (Map.Entry<String, byte[]> document : corpus.entrySet()) {
            Files.write(cases.resolve(document.getKey()), document.getValue());
        }
        Path root = Locations.repositoryRoot();
        Map<String, Map<String, String>> readers = new LinkedHashMap<>();
        readers.put("ruby", outcomes(List.of("ruby", "-I", root.resolve("client-ruby-shim/lib").toString(),
                resource("manifest_outcomes.rb").toString(), cases.toString()), Map.of()));
        // The Python client keeps its script with its tests; it must write no bytecode into the source tree.
        readers.put("python", outcomes(List.of("python3",
                root.resolve("client-python/tests/manifest_outcomes.py").toString(), cases.toString()),
                Map.of("PYTHONPATH", root.resolve("client-python").toString(), "PYTHONDONTWRITEBYTECODE", "1")));
        readers.put("node", outcomes(List.of("node", resource("manifest_outcomes.js").toString(),
                root.resolve("client-node").toString(), cases.toString()), Map.of()));
        List<String> disagreements = new ArrayList<>();
        corpus.forEach((name, bytes) -> {
            String java = javaOutcome(bytes);
            readers.forEach((reader, outcomes) -> {
                if (!java.equals(outcomes.get(name))) {
                    disagreements.add(name + ": java " + java.split(" ")[0] + ", " + reader + " " + outcomes.get(name));
                }
            });
        });
        readers.forEach((reader, outcomes) -> assertEquals(corpus.size(), outcomes.size(),
                reader + " read every case"));
        assertTrue(disagreements.isEmpty(), disagreements.size() + " disagreements on " + corpus.size() + " cases "
                + "(regenerate a case from its name: ManifestMutations with that seed):\n"
                + String.join("\n", disagreements));
        long usable = corpus.values().stream().map(ManifestReadersAgreeTest::javaOutcome)
                .filter(o -> !o.startsWith("corrupt") && !o.startsWith("unknown")).count();
        assertTrue(usable > 20, "the corpus holds usable manifests too, not only broken ones: " + usable);
    }

    private static Map<String, byte[]> corpus() throws IOException {
        Map<String, byte[]> corpus = new TreeMap<>();
        List<byte[]> bases = new ArrayList<>();
        try (Stream<Path> fixtures = Files.list(Fixtures.manifests())) {
            for (Path fixture : fixtures.filter(p -> p.toString().endsWith(".json")).toList()) {
                String name = fixture.getFileName().toString();
                if (!name.equals("expectations.json")) {
                    corpus.put("fixture-" + name, Files.readAllBytes(fixture));
                }
                if (BASES.contains(name)) {
                    bases.add(Files.readAllBytes(fixture));
                }
            }
        }
        for (int seed = 0; seed < 800; seed++) {
            Random random = new Random(seed);
            corpus.put("mutation-seed-" + seed, ManifestMutations.mutate(bases.get(seed % bases.size()), random));
        }
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            corpus.put("junk-seed-" + seed, ManifestMutations.junk(random, random.nextInt(6)));
        }
        String alphabet = "AB/+=c3B2LUNtMDEF";
        for (int seed = 0; seed < 150; seed++) {
            Random random = new Random(seed);
            StringBuilder base64 = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                base64.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            corpus.put("base64-seed-" + seed, binaryManifest(base64.toString()));
        }
        return corpus;
    }

    private static byte[] binaryManifest(String base64) {
        return ("{\"formatVersion\":1,\"generation\":1,\"state\":\"ready\",\"writtenAtEpochMs\":1,\"writer\":\"t\","
                + "\"secrets\":{\"key\":{\"secretId\":\"k\",\"fetchedAtEpochMs\":1,\"secretBinary\":\"" + base64
                + "\"}}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A reader's script kept beside this class, copied out to run. */
    private Path resource(String name) throws IOException {
        Path script = dir.resolve(name);
        try (InputStream in = ManifestReadersAgreeTest.class.getResourceAsStream(name)) {
            Files.copy(in, script);
        }
        return script;
    }

    /** Runs a reader's script and reads its lines, {@code <case> <outcome>}. */
    private static Map<String, String> outcomes(List<String> command, Map<String, String> environment)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process reader = builder.start();
        String output = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(reader.waitFor(120, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, reader.exitValue(), command + ": " + output);
        Map<String, String> outcomes = new LinkedHashMap<>();
        output.lines().forEach(line -> {
            int space = line.indexOf(' ');
            outcomes.put(line.substring(0, space), line.substring(space + 1));
        });
        return outcomes;
    }

    /** The same line each reader's script (manifest_outcomes.rb, .py, .js) prints after the file name. */
    private static String javaOutcome(byte[] bytes) {
        try {
            Manifest manifest = ManifestJson.read(bytes);
            String state = manifest.state() == Manifest.State.PENDING ? "pending" : "ready";
            return state + " " + summary(manifest, state);
        } catch (ManifestFormatException e) {
            return (e.unknownVersion() ? "unknown-version" : "corrupt") + " -";
        }
    }

    private static String summary(Manifest manifest, String state) {
        List<String> parts = new ArrayList<>(List.of(Long.toString(manifest.generation()), state,
                manifest.state() == Manifest.State.PENDING ? Long.toString(manifest.deadlineEpochMs()) : "-"));
        manifest.secrets().forEach((name, entry) -> parts.add(String.join(",", hex(name),
                entry.isParameter() ? "-" : hex(entry.secretId()), entry.isParameter() ? hex(entry.secretId()) : "-",
                hex(entry.arn()), hex(entry.requestedVersionId()), hex(entry.requestedVersionStage()),
                entry.pinsVersion() ? "1" : "0", value(entry))));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(String.join("|", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String value(SecretEntry entry) {
        SecretValue value = entry.value();
        if (value instanceof SecretValue.Failure failure) {
            return "e:" + hex(failure.code());
        }
        if (value instanceof SecretValue.Binary binary) {
            return "b:" + HexFormat.of().formatHex(binary.bytes());
        }
        return "s:" + hex(((SecretValue.Text) value).value());
    }

    private static String hex(Optional<String> text) {
        return text.map(ManifestReadersAgreeTest::hex).orElse("-");
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
