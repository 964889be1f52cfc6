// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * Reading the manifest file in the secrets directory, which {@link ManifestFilesWriter} creates and writes. The
 * writing code lives there so that a function reading the manifest never loads or verifies it: verifying it
 * loads channel, visitor and exception classes from outside the JDK's class-data archive, a cold start's cost.
 */
public final class ManifestFiles {

    /** The manifest's file name inside the secrets directory. */
    public static final String MANIFEST_FILE = "manifest.json";

    /** Readers refuse larger files unread: they are not manifests an extension wrote (values are at most 64 KB). */
    public static final long MAX_MANIFEST_BYTES = 64L * 1024 * 1024;

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
     * through a stream opened with {@code O_NOFOLLOW}, which also names a failure precisely.
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
            return readWithoutFollowingLinks(file);
        }
        BasicFileAttributes after;
        try {
            after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return readWithoutFollowingLinks(file);
        }
        if (!sameFile(before, after)) {
            return readWithoutFollowingLinks(file); // replaced while read, or something swapped in and out
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

    /**
     * Opened with {@code O_NOFOLLOW}; bounded, since the file may have grown since it was looked at. A stream,
     * not a {@code FileChannel} in this class's code: verifying that loads channel classes on every cold start.
     */
    private static Optional<byte[]> readWithoutFollowingLinks(Path file) throws IOException, ManifestFormatException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
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
}
