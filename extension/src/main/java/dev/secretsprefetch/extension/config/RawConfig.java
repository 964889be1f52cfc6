// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.List;
import java.util.Optional;

/**
 * A configuration as written, each value checked on its own but not yet against the others or the
 * environment ({@link ConfigLoader} does that).
 */
record RawConfig(List<RawSecret> secrets, Optional<String> directory, Optional<Long> refreshIntervalSeconds,
        Optional<Long> fetchDeadlineMs, Optional<Boolean> keepOnShutdown, Optional<String> logLevel,
        Optional<String> runtimeStart) {

    RawConfig {
        secrets = List.copyOf(secrets);
    }

    static RawConfig of(List<RawSecret> secrets) {
        return new RawConfig(secrets, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static final class Builder {
        List<RawSecret> secrets;
        Optional<String> directory = Optional.empty();
        Optional<Long> refreshIntervalSeconds = Optional.empty();
        Optional<Long> fetchDeadlineMs = Optional.empty();
        Optional<Boolean> keepOnShutdown = Optional.empty();
        Optional<String> logLevel = Optional.empty();
        Optional<String> runtimeStart = Optional.empty();

        RawConfig build() {
            return new RawConfig(secrets, directory, refreshIntervalSeconds, fetchDeadlineMs, keepOnShutdown,
                    logLevel, runtimeStart);
        }
    }
}
