// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The secrets directory and the files in it: the manifest and the optional per-secret plain files. Writers
 * replace files atomically (temporary file in the same directory, rename) with mode 0600 in a 0700 directory
 * that must not be a symbolic link or belong to another user.
 *
 * <p>No fsync: readers are processes on the same kernel, which see a renamed file whole whether or not it has
 * reached the disk; an fsync only helps a file survive the machine's crash, and Lambda's {@code /tmp} does not
 * survive its execution environment. Elsewhere a manifest torn by a power loss reads as corrupt, which clients
 * answer with a direct call. The pending manifest is written before the extension registers, where the syncs
 * cost 1.4-1.8 ms of the ~14 ms before the runtime could start (docs/benchmarks.md).
 */
public final class ManifestFiles {

    /** The manifest's file name inside the secrets directory. */
    public static final String MANIFEST_FILE = "manifest.json";

    /** Readers refuse larger files unread: they are not manifests an extension wrote (values are at most 64 KB). */
    public static final long MAX_MANIFEST_BYTES = 64L * 1024 * 1024;

    /**
     * Only writers need the modes and the pattern: readers must not pay for them on a cold start, where the first
     * EnumSet of an enum reads its constants reflectively and spins method handles for it (about 10 ms), and
     * compiling the pattern spins more (5-40 ms).
     */
    private static final class Modes {
        static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
        static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
        /** {@code .NAME.RANDOM.tmp}, as {@link #writeAtomically} names its temporary files. */
        static final Pattern TEMPORARY_FILE = Pattern.compile("\\..+\\.[0-9a-f]{12}\\.tmp");
    }

    private static final String SYMBOLIC_LINK = "a symbolic link, which readers never follow";

    private ManifestFiles() {
    }

    /**
     * Reads the manifest in {@code directory}.
     *
     * @return empty when there is no manifest file (no extension, or it has not started yet)
     * @throws ManifestFormatException when the file is there but is not a manifest this reader can use
     * @throws IOException when the file is there but cannot be read
     */
    public static Optional<Manifest> read(Path directory) throws IOException, ManifestFormatException {
        Optional<byte[]> bytes = readBytes(directory.resolve(MANIFEST_FILE), null);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ManifestJson.read(bytes.get()));
    }

    /**
     * Reads through {@code java.io} when it can prove it read the regular file it looked at: its attributes
     * ({@code lstat}) before the open and after the read name the same file. The first use of a {@code java.nio}
     * channel in a JVM loads about 30 classes and {@code libnet}, 3-4 ms of every function's cold start
     * (docs/benchmarks.md), while {@code FileInputStream} is loaded with the JVM. It cannot open with
     * {@code O_NOFOLLOW}, hence the two looks; whenever they disagree or the open fails, the file is read again
     * through a channel opened with {@code O_NOFOLLOW}, which also names a failure precisely.
     *
     * @param betweenStatAndOpen for tests, else null (not a no-op lambda: a JVM's first lambda costs milliseconds):
     *     what another process may do between the first look and the open
     */
    static Optional<byte[]> readBytes(Path file, Runnable betweenStatAndOpen)
            throws IOException, ManifestFormatException {
        BasicFileAttributes before;
        try {
            before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!before.isRegularFile()) {
            // Never opened: a link is not followed, and opening a FIFO would block the reader.
            throw new FileSystemException(file.toString(), null, notRegularFile(before));
        }
        if (before.size() > MAX_MANIFEST_BYTES) {
            throw tooLarge(before.size());
        }
        if (betweenStatAndOpen != null) {
            betweenStatAndOpen.run();
        }
        byte[] bytes;
        try (InputStream in = new FileInputStream(file.toFile())) {
            bytes = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
        } catch (FileNotFoundException e) {
            return readThroughChannel(file);
        }
        BasicFileAttributes after;
        try {
            after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return readThroughChannel(file);
        }
        if (!sameFile(before, after)) {
            return readThroughChannel(file); // replaced while read, or something swapped in and out
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw tooLarge(bytes.length);
        }
        return Optional.of(bytes);
    }

    /** Why readers never open a file that an {@code lstat} shows is not a regular file, for their messages. */
    public static String notRegularFile(BasicFileAttributes attributes) {
        return attributes.isSymbolicLink() ? SYMBOLIC_LINK : "a directory, FIFO or device, which readers never open";
    }

    /**
     * Whether two {@code lstat}s ({@link LinkOption#NOFOLLOW_LINKS}; null for no file) saw the same file unchanged:
     * inode (file key), modification time, size and type. Every atomic replace changes the inode at least.
     */
    public static boolean sameFile(BasicFileAttributes a, BasicFileAttributes b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.fileKey(), b.fileKey()) && a.lastModifiedTime().equals(b.lastModifiedTime())
                && a.size() == b.size() && a.isRegularFile() == b.isRegularFile()
                && a.isSymbolicLink() == b.isSymbolicLink();
    }

    private static Optional<byte[]> readThroughChannel(Path file) throws IOException, ManifestFormatException {
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size > MAX_MANIFEST_BYTES) {
                throw tooLarge(size);
            }
            // Bounded: the file may grow after the size check.
            try (InputStream in = Channels.newInputStream(channel)) {
                bytes = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // O_NOFOLLOW fails with ELOOP, which Java reports as a bare IOException.
            if (Files.isSymbolicLink(file)) {
                throw new FileSystemException(file.toString(), null, SYMBOLIC_LINK);
            }
            throw e;
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw tooLarge(bytes.length);
        }
        return Optional.of(bytes);
    }

    private static ManifestFormatException tooLarge(long size) {
        return ManifestFormatException.corrupt("manifest is " + size + " bytes, more than a manifest can be ("
                + MAX_MANIFEST_BYTES + "); remove it");
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
        writeAtomically(directory, MANIFEST_FILE, ManifestJson.write(manifest));
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
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(Modes.DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            checkExistingDirectory(directory);
        }
        // The umask may have narrowed the mode further; it never widens it, but set it exactly.
        Files.setPosixFilePermissions(directory, Modes.DIRECTORY);
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
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(Modes.FILE))) {
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
                file -> Modes.TEMPORARY_FILE.matcher(file.getFileName().toString()).matches())) {
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
