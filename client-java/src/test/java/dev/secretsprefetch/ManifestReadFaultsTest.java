// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.FakeValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the disk can do to a reader: an unreadable directory, a manifest replaced while it is being read. */
class ManifestReadFaultsTest {

    private static final int NOBODY = 65534;

    @TempDir
    Path root;

    @Test
    void anUnreadableDirectoryFallsBackWithOneWarning() throws Exception {
        Path dir = root.resolve("secrets");
        try (ClientHarness harness = new ClientHarness(dir)) {
            harness.write(ready(1, entries("db", text("prod/db", FakeValues.text("fixture-unreachable")))));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("---------"));
            if (!isRoot()) {
                String direct = FakeValues.text("fixture-direct");
                harness.fake.putString("db", direct);
                SecretsClient client = harness.client();
                for (int i = 0; i < 3; i++) {
                    assertSameValue(direct, client.get("db"), "db");
                    harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);
                }
                assertEquals(1, harness.fake.requestCount(), "one direct call, then the fallback cache");
                assertEquals(1, harness.warnings(), harness.log());
                assertTrue(harness.log().contains("cannot be read (AccessDeniedException)"), harness.log());
                return;
            }
            // Root reads anything: look at the directory as nobody, in a JVM of its own.
            String output = runAsNobody(ManifestCacheProbe.class, dir.toString());
            assertTrue(output.endsWith("absent\n"), output);
            assertEquals(1, output.lines().filter(l -> l.startsWith("[secrets-prefetch] WARN ")).count(), output);
            assertTrue(output.contains("cannot be read (AccessDeniedException)"), output);
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** A failed open (EACCES here; EMFILE or ENOMEM in the field) is retried, although the file did not change. */
    @Test
    void aReadThatFailedIsRetriedAtTheNextCheck() throws Exception {
        Path dir = root.resolve("secrets");
        ManifestFilesWriter.write(dir, ready(1, entries("db", text("prod/db", FakeValues.text("fixture-retried")))));
        String seen;
        if (!isRoot()) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            seen = ManifestCacheProbe.transientDenial(dir, new PrintStream(log, true, StandardCharsets.UTF_8));
        } else {
            for (Path path : List.of(dir, dir.resolve(ManifestFiles.MANIFEST_FILE))) {
                Files.setAttribute(path, "unix:uid", NOBODY);
                Files.setAttribute(path, "unix:gid", NOBODY);
            }
            String output = runAsNobody(ManifestCacheProbe.class, "--transient", dir.toString());
            seen = output.lines().reduce((first, last) -> last).orElse("");
        }
        assertEquals("absent present absent present", seen, "the file looked at again after each failed read");
    }

    /** Readers read through the file they opened: a rename over it mid-read leaves them the whole old one. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aManifestReplacedWhileBeingReadIsReadWholeOldOrNew() throws Exception {
        Path dir = root.resolve("secrets");
        ManifestFilesWriter.write(dir, large(1));
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> reads = CompletableFuture.supplyAsync(() -> readUntil(dir, writing));
        for (long generation = 2; generation <= 30; generation++) {
            ManifestFilesWriter.write(dir, large(generation));
        }
        writing.set(false);
        assertTrue(reads.get() > 0, "the reader read while the writer wrote");
    }

    private static int readUntil(Path dir, AtomicBoolean writing) {
        int reads = 0;
        try {
            while (writing.get() || reads == 0) {
                Manifest manifest = ManifestFiles.read(dir).orElseThrow();
                String tag = "-g" + manifest.generation() + "-";
                for (SecretEntry entry : manifest.secrets().values()) {
                    String value = ((SecretValue.Text) entry.value()).value();
                    assertTrue(value.contains(tag), "an entry of another generation in generation "
                            + manifest.generation());
                }
                reads++;
            }
            return reads;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("a read failed while the manifest was replaced: " + e.getMessage(), e);
        }
    }

    /** 16 values of 64 KB: reading and parsing it takes long enough for renames to land mid-read. */
    private static Manifest large(long generation) {
        Map<String, SecretEntry> secrets = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            String value = "fixture-g" + generation + "-spv-Big" + i + "-" + "v".repeat(65_000 + (int) generation);
            secrets.put("s" + i, text("prod/s" + i, value));
        }
        return ready(generation, secrets);
    }

    static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /**
     * Runs {@code main} of a test class as uid/gid 65534 with setpriv (util-linux), on a copy of the class path it
     * needs (the client's classes, jackson-core, the test classes) that nobody can read: root's Maven repository is
     * not.
     */
    private String runAsNobody(Class<?> main, String... args) throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        assumeTrue(Files.isExecutable(setpriv), "setpriv (util-linux) is needed to run the probe as nobody: root "
                + "reads any file, so without it an unreadable directory cannot be tested as root");
        Path classPath = Files.createDirectory(root.resolve("classpath"));
        copyTree(location(ManifestCache.class), classPath.resolve("classes"));
        Files.copy(location(JsonFactory.class), classPath.resolve("jackson-core.jar"));
        copyTree(location(main), classPath.resolve("probe"));
        openToEveryone(root);
        List<String> command = new ArrayList<>(List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", classPath.resolve("classes") + ":"
                + classPath.resolve("jackson-core.jar") + ":" + classPath.resolve("probe"), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Directories 0755 and files 0644 under {@code dir}, except the secrets directory the test locked. */
    private static void openToEveryone(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes) throws IOException {
                if (d.getFileName().toString().equals("secrets")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
