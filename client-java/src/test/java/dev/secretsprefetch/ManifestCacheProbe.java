// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.testing.TestClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

/**
 * Looks at a secrets directory through a {@link ManifestCache} logging to standard output, as an unprivileged
 * user for whom a file or directory can be unreadable (root reads anything); ManifestReadFaultsTest runs it.
 * {@code ManifestCacheProbe DIR} looks three times and prints {@code absent} or {@code present};
 * {@code ManifestCacheProbe --transient DIR} runs {@link #transientDenial}.
 */
final class ManifestCacheProbe {

    private ManifestCacheProbe() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("--transient")) {
            System.out.println(transientDenial(Path.of(args[1]), System.out));
            return;
        }
        ManifestCache cache = new ManifestCache(Path.of(args[0]), Clock.systemUTC(), new Log(Log.Level.INFO, System.out));
        boolean present = cache.current().isPresent() | cache.reload().isPresent() | cache.reload().isPresent();
        System.out.println(present ? "present" : "absent");
    }

    /**
     * Makes the manifest in {@code dir} (owned by the caller) unreadable for one look at a time, with chmod, which
     * leaves its inode, mtime and size alone: a forced reload and then a timed re-check must each see the file
     * again once it is readable. Returns what the four looks saw, e.g. {@code "absent present absent present"}.
     */
    static String transientDenial(Path dir, PrintStream logStream) throws IOException {
        Path file = dir.resolve(ManifestFiles.MANIFEST_FILE);
        TestClock clock = TestClock.startingNow();
        ManifestCache cache = new ManifestCache(dir, clock, new Log(Log.Level.INFO, logStream));
        StringBuilder seen = new StringBuilder();

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        look(seen, cache.current().isPresent());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        look(seen, cache.reload().isPresent()); // what PendingWait does while it waits

        ManifestFilesWriter.writeAtomically(dir, ManifestFiles.MANIFEST_FILE, Files.readAllBytes(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        clock.advance(ManifestCache.RECHECK_INTERVAL_MS);
        look(seen, cache.current().isPresent());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        clock.advance(ManifestCache.RECHECK_INTERVAL_MS);
        look(seen, cache.current().isPresent());
        return seen.toString();
    }

    private static void look(StringBuilder seen, boolean present) {
        seen.append(seen.length() == 0 ? "" : " ").append(present ? "present" : "absent");
    }
}
