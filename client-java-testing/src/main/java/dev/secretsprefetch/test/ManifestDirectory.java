// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.manifest.SecretEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A temporary secrets directory holding a {@code ready} manifest of fake secrets, written by the project's own
 * manifest writer exactly as the extension writes one (mode 0700, file 0600, atomically), and removed on
 * {@link #close()}. It lives under {@code java.io.tmpdir}, never in the build's output, where the values would
 * be mistaken for a leak.
 */
final class ManifestDirectory implements AutoCloseable {

    /** Lambda sets these for a function's processes: fake secrets are refused there. */
    private static final String[] LAMBDA_VARIABLES = {"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_RUNTIME_API"};

    private final Path path;

    private ManifestDirectory(Path path) {
        this.path = path;
    }

    /**
     * Writes the manifest of {@code entries} into a new temporary directory.
     *
     * @throws IllegalStateException inside a Lambda function
     */
    static ManifestDirectory write(Map<String, SecretEntry> entries) {
        refuseInsideLambda();
        Path parent = null;
        try {
            parent = Files.createTempDirectory("secrets-prefetch-test-");
            Path directory = parent.resolve("secrets");
            ManifestFilesWriter.write(directory, Manifest.ready(1, System.currentTimeMillis(), "secrets-prefetch-testing/1",
                    entries));
            return new ManifestDirectory(directory);
        } catch (IOException e) {
            delete(parent);
            throw new UncheckedIOException("cannot write the fake secrets' manifest under "
                    + System.getProperty("java.io.tmpdir") + "; check that java.io.tmpdir is writable", e);
        }
    }

    Path path() {
        return path;
    }

    /** Removes the directory (and its parent, made for it). */
    @Override
    public void close() {
        delete(path.getParent());
    }

    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try {
            ManifestFilesWriter.deleteDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the fake secrets' manifest directory " + directory, e);
        }
    }

    private static void refuseInsideLambda() {
        for (String variable : LAMBDA_VARIABLES) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                throw new IllegalStateException("fake secrets are test support: they refuse to run inside a Lambda "
                        + "function (" + variable + " is set), where they must never replace real secrets; keep "
                        + "secrets-prefetch-testing in the test scope of your build");
            }
        }
    }
}
