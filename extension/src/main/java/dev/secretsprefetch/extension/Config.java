package dev.secretsprefetch.extension;

import dev.secretsprefetch.manifest.Log;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The extension's validated configuration (docs/configuration.md), parsed once at start-up.
 *
 * @param directory the secrets directory
 * @param secrets the secrets to prefetch, in configured order; never empty, names unique
 * @param refreshInterval how old values may get before an INVOKE refreshes them; zero turns refresh off
 * @param fetchDeadline the budget of one fetch round, from the pending manifest to the ready one
 * @param keepOnShutdown whether SHUTDOWN leaves the directory in place
 * @param logLevel the log threshold
 * @param source where the configuration came from, for messages
 */
record Config(Path directory, List<SecretSpec> secrets, Duration refreshInterval, Duration fetchDeadline,
        boolean keepOnShutdown, Log.Level logLevel, String source) {

    static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(300);
    static final Duration DEFAULT_FETCH_DEADLINE = Duration.ofMillis(5000);

    Config {
        Objects.requireNonNull(directory, "directory");
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(fetchDeadline, "fetchDeadline");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(source, "source");
    }
}
