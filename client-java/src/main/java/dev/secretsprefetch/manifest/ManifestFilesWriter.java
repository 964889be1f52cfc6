// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The secrets directory and the files in it: the manifest and the optional per-secret plain files, for the
 * extension and for tests ({@link ManifestFiles} reads). Files are replaced atomically (temporary file in the
 * same directory, rename) with mode 0600 in a 0700 directory that must not be a symbolic link or belong to
 * another user.
 *
 * <p>No fsync: readers are processes on the same kernel, which see a renamed file whole whether or not it has
 * reached the disk; an fsync only helps a file survive the machine's crash, and Lambda's {@code /tmp} does not
 * survive its execution environment. Elsewhere a manifest torn by a power loss reads as corrupt, which clients
 * answer with a direct call. The pending manifest is written before the extension registers, where the syncs
 * cost 1.4-1.8 ms of the ~14 ms before the runtime could start (docs/benchmarks.md).
 */
public final class ManifestFilesWriter {

    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** {@code .NAME.RANDOM.tmp}, as {@link #writeAtomically} names its temporary files. */
    private static final Pattern TEMPORARY_FILE = Pattern.compile("\\..+\\.[0-9a-f]{12}\\.tmp");

    private ManifestFilesWriter() {
    }

    /** Atomically replaces the manifest in {@code directory}, creating the directory if needed. */
    public static void write(Path directory, Manifest manifest) throws IOException {
        ensureDirectory(directory);
        replaceManifest(directory, manifest);
    }

    /**
     * Atomically replaces the manifest in {@code directory}, which the caller has just created or checked with
     * {@link #ensureDirectory}: for a writer that writes other files there first, the check is not made twice.
     */
    public static void replaceManifest(Path directory, Manifest manifest) throws IOException {
        writeAtomically(directory, ManifestFiles.MANIFEST_FILE, ManifestJson.write(manifest));
    }

    /**
     * Creates the secrets directory with mode 0700, or checks an existing one: it must be a real directory
     * (not a symbolic link) owned by this process's user; its mode is tightened to 0700.
     */
    public static void ensureDirectory(Path directory) throws IOException {
        try {
            Path parent = directory.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        } catch (FileAlreadyExistsException e) {
            checkExistingDirectory(directory);
        }
        // The umask may have narrowed the mode further; it never widens it, but set it exactly.
        Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
    }

    private static void checkExistingDirectory(Path directory) throws IOException {
        BasicFileAttributes attributes =
                Files.readAttributes(directory, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new IOException("secrets directory " + directory + " is a symbolic link; refusing to follow it. "
                    + "Remove the link or point SECRETS_PREFETCH_DIR at a directory of your own");
        }
        if (!attributes.isDirectory()) {
            throw new IOException("secrets directory " + directory + " exists but is not a directory; remove it or "
                    + "point SECRETS_PREFETCH_DIR elsewhere");
        }
        Optional<Integer> processUid = uid(Path.of("/proc/self"));
        Optional<Integer> directoryUid = uid(directory);
        if (processUid.isPresent() && directoryUid.isPresent() && !processUid.equals(directoryUid)) {
            throw new IOException("secrets directory " + directory + " belongs to uid " + directoryUid.get()
                    + ", not to this process (uid " + processUid.get() + "); refusing to write secrets into it. "
                    + "Remove it or point SECRETS_PREFETCH_DIR at a directory of your own");
        }
    }

    private static Optional<Integer> uid(Path path) {
        try {
            return Optional.of((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Atomically replaces {@code directory/fileName} with {@code content} (mode 0600): readers see the old or
     * the new file, never a partial one, even if this process is killed half-way.
     */
    public static void writeAtomically(Path directory, String fileName, byte[] content) throws IOException {
        Path target = directory.resolve(fileName);
        if (!directory.equals(target.getParent())) {
            throw new IllegalArgumentException("file name must not contain a path: " + fileName);
        }
        Path temporary = directory.resolve("." + fileName + "." + HexFormat.of().formatHex(randomBytes()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(FILE_MODE))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Removes the temporary files of {@link #writeAtomically} that a writer killed half-way left in
     * {@code directory} (they may hold values); writers call it before they start writing. Never follows links.
     */
    public static void deleteTemporaryFiles(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory,
                file -> TEMPORARY_FILE.matcher(file.getFileName().toString()).matches())) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * A temporary file's name only has to differ from a concurrent writer's: it is created with CREATE_NEW in a
     * directory only its owner can write to, so a guessed name gains nothing. Hence no SecureRandom, whose
     * provider is instantiated by reflection (method handles spun on a cold start, ~5 ms).
     */
    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** Removes the secrets directory and everything in it, without following symbolic links. */
    public static void deleteDirectory(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
