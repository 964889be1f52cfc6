// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestFilesTest {

    @TempDir
    Path tmp;

    @Test
    void absentManifestReadsAsEmpty() throws Exception {
        assertEquals(Optional.empty(), ManifestFiles.read(tmp.resolve("nothing-here")));
    }

    @Test
    void writtenManifestReadsBackWithPrivateModes() throws Exception {
        Path dir = tmp.resolve("secrets");
        Manifest manifest = ManifestJsonTest.sample();
        ManifestFilesWriter.write(dir, manifest);
        assertEquals(Optional.of(manifest), ManifestFiles.read(dir));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(ManifestFiles.MANIFEST_FILE))));
    }

    @Test
    void replacingLeavesNoTemporaryFiles() throws Exception {
        Path dir = tmp.resolve("secrets");
        for (int generation = 1; generation <= 5; generation++) {
            ManifestFilesWriter.write(dir, Manifest.pending(generation, 1, 1, "t"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        assertEquals(5, ManifestFiles.read(dir).orElseThrow().generation());
    }

    @Test
    void existingDirectoryIsTightenedTo0700() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("loose"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        ManifestFilesWriter.write(dir, Manifest.pending(1, 1, 1, "t"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void symbolicLinkAtTheDirectoryPathIsRefused() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("secrets"), target);
        IOException e = assertThrows(IOException.class, () -> ManifestFilesWriter.write(link, Manifest.pending(1, 1, 1, "t")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        try (Stream<Path> files = Files.list(target)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void symbolicLinkAtTheManifestPathIsNotFollowedByReaders() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("secrets"));
        Path elsewhere = Files.writeString(tmp.resolve("other.json"), "{}");
        Files.createSymbolicLink(dir.resolve(ManifestFiles.MANIFEST_FILE), elsewhere);
        assertThrows(IOException.class, () -> ManifestFiles.read(dir));
    }

    @Test
    void aLinkSwappedInBetweenTheLookAndTheOpenIsNotFollowed() throws Exception {
        Path dir = tmp.resolve("secrets");
        ManifestFilesWriter.write(dir, Manifest.pending(1, 1, 1, "t"));
        Path elsewhere = tmp.resolve("elsewhere.json");
        Files.write(elsewhere, ManifestJson.write(Manifest.pending(7, 1, 1, "t")));
        Path file = dir.resolve(ManifestFiles.MANIFEST_FILE);
        FileSystemException e = assertThrows(FileSystemException.class, () -> ManifestFiles.readBytes(file,
                () -> swap(file, () -> Files.createSymbolicLink(file, elsewhere))));
        assertEquals("a symbolic link, which readers never follow", e.getReason());
    }

    @Test
    void aManifestReplacedBetweenTheLookAndTheOpenIsReadWhole() throws Exception {
        Path dir = tmp.resolve("secrets");
        ManifestFilesWriter.write(dir, Manifest.pending(1, 1, 1, "t"));
        Manifest next = ManifestJsonTest.sample();
        byte[] read = ManifestFiles.readBytes(dir.resolve(ManifestFiles.MANIFEST_FILE),
                () -> swap(dir, () -> ManifestFilesWriter.write(dir, next))).orElseThrow();
        assertEquals(next, ManifestJson.read(read));
    }

    @Test
    void aManifestRemovedBetweenTheLookAndTheOpenReadsAsAbsent() throws Exception {
        Path dir = tmp.resolve("secrets");
        ManifestFilesWriter.write(dir, Manifest.pending(1, 1, 1, "t"));
        Path file = dir.resolve(ManifestFiles.MANIFEST_FILE);
        assertEquals(Optional.empty(), ManifestFiles.readBytes(file, () -> swap(file, () -> { })));
    }

    @Test
    void sameFileTellsAnUnchangedFileFromAReplacedOrMissingOne() throws Exception {
        Path dir = tmp.resolve("secrets");
        ManifestFilesWriter.write(dir, Manifest.pending(1, 1, 1, "t"));
        Path file = dir.resolve(ManifestFiles.MANIFEST_FILE);
        BasicFileAttributes first = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        BasicFileAttributes again = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertTrue(ManifestFiles.sameFile(first, again));
        ManifestFilesWriter.write(dir, Manifest.pending(1, 1, 1, "t")); // the same bytes, renamed over it
        BasicFileAttributes replaced = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertFalse(ManifestFiles.sameFile(first, replaced), "a new inode");
        assertFalse(ManifestFiles.sameFile(first, null), "gone");
        assertFalse(ManifestFiles.sameFile(null, replaced), "appeared");
        assertTrue(ManifestFiles.sameFile(null, null), "still absent");
    }

    @Test
    void aFifoAtTheManifestPathIsRefusedUnopened() throws Exception {
        Path dir = tmp.resolve("secrets");
        ManifestFilesWriter.ensureDirectory(dir);
        Path file = dir.resolve(ManifestFiles.MANIFEST_FILE);
        assertEquals(0, new ProcessBuilder("mkfifo", file.toString()).start().waitFor());
        FileSystemException e = assertThrows(FileSystemException.class, () -> ManifestFiles.read(dir));
        assertEquals("a directory, FIFO or device, which readers never open", e.getReason());
    }

    private interface FileChange {
        void run() throws IOException;
    }

    /** Deletes {@code path} (a file) and makes {@code change}, as another process could. */
    private static void swap(Path path, FileChange change) {
        try {
            if (Files.isRegularFile(path)) {
                Files.delete(path);
            }
            change.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fileNamesWithPathsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ManifestFilesWriter.writeAtomically(tmp, "../escape", new byte[] {1}));
    }

    @Test
    void deleteDirectoryRemovesEverythingButNotLinkTargets() throws Exception {
        Path dir = tmp.resolve("secrets");
        ManifestFilesWriter.write(dir, Manifest.pending(1, 1, 1, "t"));
        Path outside = Files.writeString(tmp.resolve("keep.txt"), "keep");
        Files.createSymbolicLink(dir.resolve("link"), outside);
        ManifestFilesWriter.deleteDirectory(dir);
        assertFalse(Files.exists(dir));
        assertTrue(Files.exists(outside));
    }
}
