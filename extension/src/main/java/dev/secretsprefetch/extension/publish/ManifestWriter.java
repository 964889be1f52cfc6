// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.publish;

import dev.secretsprefetch.extension.config.ValueSpec;
import dev.secretsprefetch.extension.config.Version;
import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Writes the secrets directory: the manifest through the shared model, and the optional per-secret files. */
public final class ManifestWriter {

    static final String WRITER = "secrets-prefetch-extension/" + Version.VALUE;

    private final Path directory;
    private final List<ValueSpec> secrets;

    public ManifestWriter(Path directory, List<ValueSpec> secrets) {
        this.directory = directory;
        this.secrets = List.copyOf(secrets);
    }

    public Path directory() {
        return directory;
    }

    /**
     * Prepares the directory (removing what a killed writer left behind) and writes the pending manifest.
     *
     * @throws IOException when the file system is out of space: that may pass
     * @throws UnusableDirectoryException when the directory cannot be used at all: that will not pass
     */
    public void pending(long generation, long deadlineEpochMs, long nowMs) throws IOException, UnusableDirectoryException {
        try {
            ManifestFilesWriter.ensureDirectory(directory);
            ManifestFilesWriter.deleteTemporaryFiles(directory);
            // Files an earlier process left (one that was killed, or an init retried in the same environment) may
            // hold values since rotated: until this round writes them, there are none.
            for (ValueSpec secret : secrets) {
                if (secret.file().isPresent()) {
                    Files.deleteIfExists(directory.resolve(secret.file().get()));
                }
            }
            ManifestFilesWriter.replaceManifest(directory, Manifest.pending(generation, deadlineEpochMs, nowMs, WRITER));
        } catch (IOException e) {
            if (outOfSpace(e)) {
                throw e;
            }
            throw new UnusableDirectoryException(unusable(e));
        }
    }

    /**
     * Writes the files of the secrets named in {@code changed} that have one and a value, removes those of
     * secrets that have an error entry, then writes the manifest: a reader that sees {@code ready} finds each
     * file holding its entry's value, or no file.
     */
    public void ready(long generation, long nowMs, Map<String, SecretEntry> entries, Collection<String> changed)
            throws IOException {
        ManifestFilesWriter.ensureDirectory(directory);
        for (ValueSpec secret : secrets) {
            SecretEntry entry = entries.get(secret.name());
            if (secret.file().isPresent() && entry != null && entry.failed()) {
                Files.deleteIfExists(directory.resolve(secret.file().get()));
            } else if (secret.file().isPresent() && entry != null && changed.contains(secret.name())) {
                SecretValue value = entry.value();
                if (value instanceof SecretValue.Text text) {
                    ManifestFilesWriter.writeAtomically(directory, secret.file().get(),
                            text.value().getBytes(StandardCharsets.UTF_8));
                } else if (value instanceof SecretValue.Binary binary) {
                    ManifestFilesWriter.writeAtomically(directory, secret.file().get(), binary.bytes());
                }
            }
        }
        ManifestFilesWriter.replaceManifest(directory, Manifest.ready(generation, nowMs, WRITER, entries));
    }

    public void delete() throws IOException {
        ManifestFilesWriter.deleteDirectory(directory);
    }

    /** Removes the manifest, if any, so that readers call Secrets Manager instead of waiting or reading old values. */
    public void removeManifest() throws IOException {
        Files.deleteIfExists(directory.resolve(ManifestFiles.MANIFEST_FILE));
    }

    /** ENOSPC or EDQUOT: space may be freed (the function cleans /tmp), so writing is tried again later. */
    public static boolean outOfSpace(IOException e) {
        String message = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return message != null
                && (message.contains("No space left on device") || message.contains("Disk quota exceeded"));
    }

    private String unusable(IOException e) {
        String fix = "; point " + EnvironmentVariables.DIR + " at a directory of its own that the function's user can "
                + "write, e.g. /tmp/secrets-prefetch";
        if (e instanceof AccessDeniedException denied) {
            return "cannot write the secrets directory " + directory + ": permission denied on " + denied.getFile()
                    + fix;
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return "cannot write the secrets directory " + directory + ": " + f.getReason() + " (" + f.getFile() + ")"
                    + fix;
        }
        // ManifestFilesWriter's own refusals (a symbolic link, not a directory, another user's) say what to do.
        return e.getMessage() != null
                ? e.getMessage()
                : "cannot write the secrets directory " + directory + ": " + e.getClass().getSimpleName() + fix;
    }

    /** The secrets directory cannot be used at all: a deployment problem that will not pass by itself. */
    public static final class UnusableDirectoryException extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableDirectoryException(String message) {
            super(message);
        }
    }
}
