// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.secretsprefetch.testing.FakeValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the disk and the operating system can do to a writer: a full file system, a kill in the middle of a
 * write, a directory or a link someone else put at the secrets path. The previous manifest always survives
 * whole, and secrets never land anywhere but a 0700 directory of the writer's own, in 0600 files.
 */
class ManifestWriteFaultsTest {

    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    private static Manifest small(long generation) {
        return Manifest.ready(generation, 1, "test/1", Map.of("db", entry(FakeValues.text("fixture-small"))));
    }

    private static SecretEntry entry(String value) {
        return new SecretEntry("prod/db", Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), 1, new SecretValue.Text(value));
    }

    @Test
    void aFullFileSystemFailsTheWriteAndLeavesThePreviousManifestAndNoTemporaryFile() throws Exception {
        assumeTrue(isRoot(), "mounting the small tmpfs this test fills needs root (run as root, as CI does)");
        Path mount = Files.createDirectory(tmp.resolve("tmpfs"));
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs",
                mount.toString()).redirectErrorStream(true).start();
        String mountOutput = new String(mounting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(mounting.waitFor() == 0, "cannot mount a tmpfs here (no CAP_SYS_ADMIN?): " + mountOutput);
        try {
            Path dir = mount.resolve("secrets");
            Manifest previous = small(1);
            ManifestFilesWriter.write(dir, previous);
            Manifest tooLarge = Manifest.ready(2, 1, "test/1", Map.of("big",
                    entry(FakeValues.text("fixture-big") + "b".repeat(100_000))));

            IOException e = assertThrows(IOException.class, () -> ManifestFilesWriter.write(dir, tooLarge));

            assertTrue(String.valueOf(e.getMessage()).contains("No space left on device"), e.toString());
            assertFalse(FakeValues.isMarked(e.toString()), "a value in the exception");
            assertEquals(Optional.of(previous), ManifestFiles.read(dir), "the previous manifest is intact");
            assertEquals(List.of(ManifestFiles.MANIFEST_FILE), names(dir), "no temporary file is left behind");
            ManifestFilesWriter.write(dir, small(3));
            assertEquals(3, ManifestFiles.read(dir).orElseThrow().generation(), "the space was given back");
        } finally {
            Process unmounting = new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start();
            assertEquals(0, unmounting.waitFor(), new String(unmounting.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }

    /**
     * A writer process (umask 000, so the modes come from the writer, not the umask) killed with SIGKILL while
     * rewriting a 2 MB manifest in a loop: readers, during and after, always see one whole generation; a
     * temporary file the kill left behind is 0600 and ignored by readers. Killed while its temporary file
     * exists, until one kill leaves it behind (the rename can still win the race).
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aWriterKilledMidWriteLeavesAWholeManifestForReaders() throws Exception {
        Path dir = tmp.resolve("secrets");
        ManifestFilesWriter.write(dir, ManifestWriterLoop.large(1));
        AtomicBoolean running = new AtomicBoolean(true);
        CompletableFuture<Integer> reads = CompletableFuture.supplyAsync(() -> readWhile(dir, running));
        List<Path> leftovers = List.of();
        try {
            for (int attempt = 0; attempt < 8 && leftovers.isEmpty(); attempt++) {
                long from = ManifestFiles.read(dir).orElseThrow().generation();
                Process writer = startWriter(dir, from + 1);
                awaitGeneration(dir, from + 3, writer);
                awaitTemporaryFile(dir); // the writer is between creating its temporary file and the rename
                writer.destroyForcibly().waitFor(); // SIGKILL on Linux
                leftovers = temporaryFiles(dir);
                checkWhole(ManifestFiles.read(dir).orElseThrow());
            }
        } finally {
            running.set(false);
        }
        assertTrue(reads.get() > 0, "readers read while writers wrote");
        assertFalse(leftovers.isEmpty(), "no kill landed mid-write in 8 attempts (no temporary file left)");
        for (Path leftover : leftovers) {
            assertEquals("rw-------", mode(leftover), "a temporary file holds values: 0600 like the manifest");
        }
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(dir.resolve(ManifestFiles.MANIFEST_FILE)));
        checkWhole(ManifestFiles.read(dir).orElseThrow());
    }

    private static Process startWriter(Path dir, long generation) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder("sh", "-c", "umask 000 && exec \"$0\" \"$@\"", java, "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), ManifestWriterLoop.class.getName(),
                dir.toString(), Long.toString(generation)).redirectErrorStream(true).start();
    }

    private static void awaitGeneration(Path dir, long generation, Process writer) throws Exception {
        while (ManifestFiles.read(dir).orElseThrow().generation() < generation) {
            if (!writer.isAlive()) {
                throw new AssertionError("writer exited early: "
                        + new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            Thread.sleep(5);
        }
    }

    /** Polls the directory listing, without sleeping: the window lasts only as long as one write. */
    private static void awaitTemporaryFile(Path dir) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (temporaryFiles(dir).isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static int readWhile(Path dir, AtomicBoolean running) {
        int reads = 0;
        try {
            while (running.get()) {
                checkWhole(ManifestFiles.read(dir).orElseThrow());
                reads++;
            }
            return reads;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ManifestFormatException e) {
            throw new AssertionError("a reader saw a partial manifest: " + e.getMessage(), e);
        }
    }

    private static void checkWhole(Manifest manifest) {
        assertEquals(32, manifest.secrets().size(), "entries of generation " + manifest.generation());
        String tag = "fixture-g" + manifest.generation() + "-spv-";
        for (SecretEntry entry : manifest.secrets().values()) {
            assertTrue(((SecretValue.Text) entry.value()).value().startsWith(tag),
                    "an entry of another generation in generation " + manifest.generation());
        }
    }

    @Test
    void aDirectoryOfAnotherUserAtTheSecretsPathIsRefused() throws Exception {
        assumeTrue(isRoot(), "handing a directory to another user needs root (run as root, as CI does)");
        Path dir = Files.createDirectory(tmp.resolve("secrets"));
        Files.setAttribute(dir, "unix:uid", NOBODY);

        IOException e = assertThrows(IOException.class, () -> ManifestFilesWriter.write(dir, small(1)));

        assertTrue(e.getMessage().contains("belongs to uid " + NOBODY + ", not to this process (uid 0)"), e.getMessage());
        assertEquals(List.of(), names(dir), "nothing was written into it");
    }

    @Test
    void aSymbolicLinkAtTheManifestPathIsReplacedNotFollowed() throws Exception {
        Path dir = tmp.resolve("secrets");
        ManifestFilesWriter.ensureDirectory(dir);
        Path target = Files.writeString(tmp.resolve("target.txt"), "keep");
        Files.createSymbolicLink(dir.resolve(ManifestFiles.MANIFEST_FILE), target);

        ManifestFilesWriter.write(dir, small(1));

        assertEquals("keep", Files.readString(target), "the link's target is untouched");
        assertFalse(Files.isSymbolicLink(dir.resolve(ManifestFiles.MANIFEST_FILE)));
        assertEquals("rw-------", mode(dir.resolve(ManifestFiles.MANIFEST_FILE)));
        assertEquals(1, ManifestFiles.read(dir).orElseThrow().generation());
    }

    @Test
    void replacingAWiderFileLeavesA0600File() throws Exception {
        Path dir = tmp.resolve("secrets");
        ManifestFilesWriter.ensureDirectory(dir);
        Path file = Files.writeString(dir.resolve("db.txt"), "old", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        ManifestFilesWriter.writeAtomically(dir, "db.txt", FakeValues.text("fixture-plain").getBytes(StandardCharsets.UTF_8));

        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(dir));
    }

    private static List<Path> temporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
