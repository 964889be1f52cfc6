package dev.secretsprefetch;

import dev.secretsprefetch.manifest.Log;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Looks at a secrets directory three times through a {@link ManifestCache} logging to standard output, then
 * prints {@code absent} or {@code present}: HostileManifestTest runs it as an unprivileged user, for whom a
 * directory can be unreadable (root reads anything).
 */
final class ManifestCacheProbe {

    private ManifestCacheProbe() {
    }

    public static void main(String[] args) {
        ManifestCache cache = new ManifestCache(Path.of(args[0]), Clock.systemUTC(), new Log(Log.Level.INFO, System.out));
        boolean present = cache.current().isPresent() | cache.reload().isPresent() | cache.reload().isPresent();
        System.out.println(present ? "present" : "absent");
    }
}
