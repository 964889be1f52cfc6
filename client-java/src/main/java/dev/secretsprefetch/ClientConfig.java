// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.Whitespace;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The client's settings, parsed once from the environment into an immutable value.
 *
 * @param directory the secrets directory holding {@code manifest.json}
 * @param waitCapMs the longest a call waits for a {@code pending} manifest to become ready
 * @param logLevel the threshold for the client's log lines
 * @param region the region of secrets named without an ARN; empty lets the SDK's own chain decide
 * @param endpoint the Secrets Manager endpoint override, e.g. an emulator
 * @param ssmEndpoint the SSM endpoint override, e.g. an emulator
 * @param callTimeout an overall timeout for one direct call; empty keeps the SDK's defaults
 * @param unknownVariables {@code SECRETS_PREFETCH_*} variables this client does not know (typos, or newer)
 */
record ClientConfig(
        Path directory,
        long waitCapMs,
        Log.Level logLevel,
        Optional<String> region,
        Optional<URI> endpoint,
        Optional<URI> ssmEndpoint,
        Optional<Duration> callTimeout,
        List<String> unknownVariables) {

    static final long DEFAULT_WAIT_MS = 10_000;
    /** Lambda's longest invocation: waiting longer than that can never help. */
    static final long MAX_WAIT_MS = 900_000;

    private static final String PREFIX = "SECRETS_PREFETCH_";
    private static final Set<String> KNOWN = Set.of(EnvironmentVariables.DIR, EnvironmentVariables.CONFIG,
            EnvironmentVariables.SECRETS, EnvironmentVariables.WAIT_MS, EnvironmentVariables.LOG_LEVEL);

    ClientConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(ssmEndpoint, "ssmEndpoint");
        Objects.requireNonNull(callTimeout, "callTimeout");
        unknownVariables = List.copyOf(unknownVariables);
    }

    /**
     * Parses {@code environment}.
     *
     * @throws IllegalArgumentException naming the variable, the bad value and what is accepted
     */
    static ClientConfig from(Map<String, String> environment) {
        List<String> unknown = new ArrayList<>();
        for (String key : environment.keySet()) {
            if (key.startsWith(PREFIX) && !KNOWN.contains(key)) {
                unknown.add(key);
            }
        }
        if (unknown.size() > 1) {
            unknown.sort(null); // only then: sorting loads a sort class the usual empty list does not need
        }
        return new ClientConfig(
                EnvironmentVariables.secretsDirectory(environment),
                waitMs(environment.get(EnvironmentVariables.WAIT_MS)),
                Log.level(environment.get(EnvironmentVariables.LOG_LEVEL)),
                EnvironmentVariables.defaultRegion(environment),
                EnvironmentVariables.secretsManagerEndpoint(environment),
                EnvironmentVariables.ssmEndpoint(environment),
                Optional.empty(),
                unknown);
    }

    /** The same settings with an overall timeout per direct call. */
    ClientConfig withCallTimeout(Duration timeout) {
        return new ClientConfig(directory, waitCapMs, logLevel, region, endpoint, ssmEndpoint,
                Optional.of(timeout), unknownVariables);
    }

    /** ASCII digits only: not Long.parseLong, which takes "+5" and other scripts' digits ("\u0661\u0662"). */
    private static long waitMs(String value) {
        if (value == null || Whitespace.isBlank(value)) {
            return DEFAULT_WAIT_MS;
        }
        String digits = Whitespace.trim(value);
        long parsed = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw badWait(value);
            }
            parsed = parsed * 10 + (c - '0');
            if (parsed > MAX_WAIT_MS) {
                throw badWait(value);
            }
        }
        return parsed;
    }

    private static IllegalArgumentException badWait(String value) {
        return new IllegalArgumentException(EnvironmentVariables.WAIT_MS + " must be a whole number of milliseconds "
                + "from 0 to " + MAX_WAIT_MS + " (default " + DEFAULT_WAIT_MS + "); was \""
                + EnvironmentVariables.shown(value) + "\"");
    }
}
