// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where tests put the output of the processes they start (moto, Lambda sandboxes, the packaged layer): the
 * build's {@code target/test-logs} when Maven runs the tests ({@value #PROPERTY}), so the hygiene scan at the
 * end of the build reads them (docs/reliability.md, "Hygiene"); a temporary directory otherwise.
 */
public final class TestLogs {

    /** The system property the parent pom sets for surefire and failsafe. */
    public static final String PROPERTY = "secretsprefetch.testLogs";

    private TestLogs() {
    }

    /** The configured directory, created if needed; empty outside a Maven test run. */
    public static Optional<Path> directory() throws IOException {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Files.createDirectories(Path.of(configured)));
    }

    /** A new, empty file for one process's output. */
    public static Path newFile(String prefix, String suffix) throws IOException {
        Optional<Path> dir = directory();
        return dir.isPresent() ? Files.createTempFile(dir.get(), prefix, suffix) : Files.createTempFile(prefix, suffix);
    }
}
