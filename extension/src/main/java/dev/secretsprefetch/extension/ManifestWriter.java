package dev.secretsprefetch.extension;

import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Writes the secrets directory: the manifest through the shared model, and the optional per-secret files. */
final class ManifestWriter {

    static final String WRITER = "secrets-prefetch-extension/" + version();

    private final Path directory;
    private final List<SecretSpec> secrets;

    ManifestWriter(Path directory, List<SecretSpec> secrets) {
        this.directory = directory;
        this.secrets = List.copyOf(secrets);
    }

    Path directory() {
        return directory;
    }

    void pending(long generation, long deadlineEpochMs, long nowMs) throws IOException {
        ManifestFiles.write(directory, Manifest.pending(generation, deadlineEpochMs, nowMs, WRITER));
    }

    /**
     * Writes the files of the secrets named in {@code changed} that have one and a value, then the manifest: a
     * reader that sees {@code ready} finds the files in place.
     */
    void ready(long generation, long nowMs, Map<String, SecretEntry> entries, Collection<String> changed)
            throws IOException {
        ManifestFiles.ensureDirectory(directory);
        for (SecretSpec secret : secrets) {
            SecretEntry entry = entries.get(secret.name());
            if (secret.file().isPresent() && entry != null && changed.contains(secret.name())) {
                SecretValue value = entry.value();
                if (value instanceof SecretValue.Text text) {
                    ManifestFiles.writeAtomically(directory, secret.file().get(),
                            text.value().getBytes(StandardCharsets.UTF_8));
                } else if (value instanceof SecretValue.Binary binary) {
                    ManifestFiles.writeAtomically(directory, secret.file().get(), binary.bytes());
                }
            }
        }
        ManifestFiles.write(directory, Manifest.ready(generation, nowMs, WRITER, entries));
    }

    void delete() throws IOException {
        ManifestFiles.deleteDirectory(directory);
    }

    private static String version() {
        String version = ManifestWriter.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
