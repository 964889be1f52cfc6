// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import dev.secretsprefetch.manifest.Log;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The extension's validated configuration (docs/configuration.md), parsed once at start-up.
 *
 * @param directory the secrets directory
 * @param secrets the secrets and parameters to prefetch, in configured order; never empty, names unique
 * @param refreshInterval how old values may get before an INVOKE refreshes them; zero turns refresh off
 * @param fetchDeadline the budget of one fetch round, from the pending manifest to the ready one
 * @param keepOnShutdown whether SHUTDOWN leaves the directory in place
 * @param logLevel the log threshold
 * @param runtimeStart whether the function's runtime starts while the secrets are fetched, or after
 * @param source where the configuration came from, for messages
 */
public record Config(Path directory, List<ValueSpec> secrets, Duration refreshInterval, Duration fetchDeadline,
        boolean keepOnShutdown, Log.Level logLevel, RuntimeStart runtimeStart, String source) {

    /** When Lambda may start the function's runtime: it does once every extension has registered. */
    public enum RuntimeStart {
        /** Register, then fetch while the runtime boots: the shorter cold start; clients wait for the values. */
        OVERLAP("overlap"),
        /** Fetch and write every file and the ready manifest, then register: no code of the function runs before. */
        AFTER_SECRETS("afterSecrets");

        private final String text;

        RuntimeStart(String text) {
            this.text = text;
        }

        /** The value as the configuration writes it. */
        public String text() {
            return text;
        }
    }

    static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(300);
    static final Duration DEFAULT_FETCH_DEADLINE = Duration.ofMillis(5000);

    public Config {
        Objects.requireNonNull(directory, "directory");
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(fetchDeadline, "fetchDeadline");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(runtimeStart, "runtimeStart");
        Objects.requireNonNull(source, "source");
    }
}
