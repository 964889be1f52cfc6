// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.binary;
import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertSameBytes;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.testing.FakeValues;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests that are legal but extreme, or files that are not what they seem, read through the client: it
 * serves exactly what is there, or treats the file as absent with one warning and calls Secrets Manager. The
 * Ruby shim's hostile_manifest_test.rb checks the same cases.
 */
class HostileManifestTest {

    @TempDir
    Path root;

    @Test
    void namesAndIdsAreDataNeverPaths() throws IOException {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("../../etc/passwd", "../x");
        ids.put("a/b/c", "prod/a/b");
        ids.put("nul\u0000name", "prod/\u0000");
        ids.put("\u00e9\u6f22\ud83d\udd11", "prod/\u00fcn\u00ef");
        ids.put("long-" + "n".repeat(10_000), "prod/" + "i".repeat(10_000));
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, SecretEntry> entries = new LinkedHashMap<>();
        ids.forEach((name, id) -> {
            values.put(name, FakeValues.text("fixture-hostile-name"));
            entries.put(name, text(id, values.get(name)));
        });
        try (ClientHarness harness = new ClientHarness(root.resolve("secrets"))) {
            harness.write(ready(1, entries));
            SecretsClient client = harness.client();
            ids.forEach((name, id) -> {
                assertSameValue(values.get(name), client.get(name), "entry of a " + name.length() + "-char name");
                assertSameValue(values.get(name), client.get(id), "entry by a " + id.length() + "-char secret id");
            });
            assertEquals(0, harness.fake.requestCount());
            try (Stream<Path> files = Files.list(root.resolve("secrets"))) {
                assertEquals(List.of(ManifestFiles.MANIFEST_FILE), files.map(p -> p.getFileName().toString()).toList(),
                        "nothing was written anywhere else");
            }
        }
    }

    /** 64 KB (65,536 bytes) is the largest value Secrets Manager stores, string or binary. */
    @Test
    void valuesOf64KbAndEveryByteValueComeBackExactly() {
        StringBuilder text = new StringBuilder(FakeValues.text("fixture-64k")).append(' ');
        text.append("\u00e9\u6f22\ud83d\udd11\u0000\"\\\n".repeat(3000));
        text.append("x".repeat(65_536 - text.toString().getBytes(StandardCharsets.UTF_8).length));
        byte[] payload = new byte[65_536 - FakeValues.binary().length];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        byte[] bytes = FakeValues.binary(payload);
        try (ClientHarness harness = new ClientHarness(root.resolve("secrets"))) {
            harness.write(ready(1, entries("text", text("prod/text", text.toString()), "bin", binary("prod/bin", bytes))));
            SecretsClient client = harness.client();

            assertEquals(65_536, text.toString().getBytes(StandardCharsets.UTF_8).length);
            assertEquals(65_536, bytes.length);
            assertSameValue(text.toString(), client.get("text"), "text");
            assertSameBytes(bytes, client.getBinary("bin"), "bin");
            harness.assertNotLeaked(text.toString(), "spv-");
        }
    }

    @Test
    void aHugeFileIsRefusedUnreadWithOneWarning() throws IOException {
        Path dir = Files.createDirectory(root.resolve("secrets"));
        try (FileChannel file = FileChannel.open(dir.resolve(ManifestFiles.MANIFEST_FILE), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {'}'}), ManifestFiles.MAX_MANIFEST_BYTES); // sparse: no disk used
        }
        try (ClientHarness harness = new ClientHarness(dir)) {
            String direct = FakeValues.text("fixture-direct");
            harness.fake.putString("db", direct);
            assertSameValue(direct, harness.client().get("db"), "db");
            assertEquals(1, harness.warnings(), harness.log());
            assertTrue(harness.log().contains("manifest is 67108865 bytes, more than a manifest can be (67108864)"),
                    harness.log());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aFifoAtTheManifestPathIsNeverOpened() throws Exception {
        Path dir = Files.createDirectory(root.resolve("secrets"));
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve(ManifestFiles.MANIFEST_FILE).toString()).start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo failed"); // opening a FIFO blocks until a writer comes
        try (ClientHarness harness = new ClientHarness(dir)) {
            String direct = FakeValues.text("fixture-direct");
            harness.fake.putString("db", direct);
            assertSameValue(direct, harness.client().get("db"), "db");
            assertEquals(1, harness.warnings(), harness.log());
            assertTrue(harness.log().contains("is not a regular file"), harness.log());
        }
    }

    @Test
    void aSymbolicLinkAtTheManifestPathIsNeverFollowed() throws IOException {
        Path dir = Files.createDirectory(root.resolve("secrets"));
        Path elsewhere = root.resolve("elsewhere");
        try (ClientHarness writer = new ClientHarness(elsewhere)) {
            writer.write(ready(1, entries("db", text("prod/db", FakeValues.text("fixture-via-link")))));
        }
        Files.createSymbolicLink(dir.resolve(ManifestFiles.MANIFEST_FILE), elsewhere.resolve(ManifestFiles.MANIFEST_FILE));
        try (ClientHarness harness = new ClientHarness(dir)) {
            String direct = FakeValues.text("fixture-direct");
            harness.fake.putString("db", direct);
            assertSameValue(direct, harness.client().get("db"), "db");
            assertEquals(1, harness.warnings(), harness.log());
            assertTrue(harness.log().contains("a symbolic link, which readers never follow"), harness.log());
        }
    }
}
