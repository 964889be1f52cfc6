// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's shared {@code fixtures/} folder, wherever a module's tests run from. */
public final class Fixtures {

    private Fixtures() {
    }

    /** {@code fixtures/manifest}: the golden manifest files both clients' tests read. */
    public static Path manifests() {
        return root().resolve("manifest");
    }

    /** The repository's {@code fixtures/} folder. */
    public static Path root() {
        String configured = System.getProperty("secretsprefetch.fixtures");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("fixtures");
            if (Files.isDirectory(candidate.resolve("manifest"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the fixtures/ folder; run the tests from the repository "
                + "or set -Dsecretsprefetch.fixtures=/path/to/fixtures");
    }
}
