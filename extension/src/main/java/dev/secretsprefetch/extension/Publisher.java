// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.config.Config;
import dev.secretsprefetch.extension.config.ValueSpec;
import dev.secretsprefetch.extension.publish.ManifestWriter;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The code path the extension and the one-shot command share: pending manifest, fetch round, ready manifest,
 * and later refresh rounds. Keeps the generation and the published entries.
 */
final class Publisher {

    /** Between the end of the fetch budget and the pending manifest's deadline: time to write the ready one. */
    static final Duration PENDING_MARGIN = Duration.ofMillis(500);

    private final Config config;
    private final Fetcher fetcher;
    private final ManifestWriter writer;
    private final Refresh refresh;
    private final Log log;
    private final Clock clock;

    private long generation;
    private long pendingStartedNanos;
    private Map<String, SecretEntry> published = Map.of();
    private long lastRoundStartedMs;
    private boolean ready;
    /** A round whose ready manifest could not be written (the disk was full): written at a later INVOKE. */
    private Map<String, SecretEntry> unwritten;

    Publisher(Config config, Fetcher fetcher, Log log, Clock clock) {
        this.config = config;
        this.fetcher = fetcher;
        this.writer = new ManifestWriter(config.directory(), config.secrets());
        this.refresh = new Refresh(config.refreshInterval());
        this.log = log;
        this.clock = clock;
    }

    /**
     * Tells readers to wait: the ready manifest follows within the fetch deadline. Out of space, it removes any
     * manifest there is instead, so that readers call Secrets Manager rather than wait or read old values.
     *
     * @throws ManifestWriter.UnusableDirectoryException when the directory cannot be used at all
     */
    void pending() throws ManifestWriter.UnusableDirectoryException {
        pendingStartedNanos = System.nanoTime();
        long now = clock.millis();
        long deadline = now + config.fetchDeadline().toMillis() + PENDING_MARGIN.toMillis();
        try {
            writer.pending(++generation, deadline, now);
            log.debug("pending manifest written to " + writer.directory() + ", deadline in "
                    + (deadline - now) + " ms");
        } catch (IOException | RuntimeException e) {
            log.error("cannot write the pending manifest in " + writer.directory() + ": " + describe(e)
                    + "; clients call Secrets Manager themselves until a manifest can be written");
            removeManifest();
        }
    }

    /**
     * Fetches every configured secret within what is left of the fetch deadline since {@link #pending()}, at
     * most {@code cap}, and writes the ready manifest.
     *
     * @return the round, or empty when the ready manifest could not be written
     */
    Optional<FetchRound> initial(Duration cap) {
        Duration left = config.fetchDeadline().minusNanos(System.nanoTime() - pendingStartedNanos);
        Duration budget = left.compareTo(cap) < 0 ? left : cap;
        lastRoundStartedMs = clock.millis();
        FetchRound round = fetcher.fetch(config.secrets(), budget.isNegative() ? Duration.ZERO : budget);
        round.entries().forEach((name, entry) -> {
            if (entry.failed()) {
                logFailure(name, entry);
            }
        });
        log.info(round.summary("prefetch"));
        ready = publish(round.entries(), round.entries().keySet());
        unwritten = ready ? null : round.entries();
        if (!ready) {
            // Readers must not wait for a pending manifest that will not turn ready.
            removeManifest();
            log.warn("the manifest is written at the next invocation, if it can be by then");
        }
        return ready ? Optional.of(round) : Optional.empty();
    }

    boolean isReady() {
        return ready;
    }

    /** Whether a round's values wait to be written and are still fresh enough to write without fetching again. */
    boolean canRetryWrite() {
        return unwritten != null && !refresh.due(clock.millis(), lastRoundStartedMs);
    }

    /** Writes the round that could not be written before; true when it now is. */
    boolean retryWrite() {
        ready = publish(unwritten, unwritten.keySet());
        if (ready) {
            log.info("manifest written to " + writer.directory() + " (generation " + generation + ") on a later try");
            unwritten = null;
        }
        return ready;
    }

    boolean refreshDue() {
        return ready && refresh.due(clock.millis(), lastRoundStartedMs);
    }

    /**
     * Fetches the secrets and parameters that can change again, within {@code budget}; writes a new generation only
     * when a VersionId (a parameter's Version) changed.
     */
    Refresh.Outcome refresh(Duration budget) {
        lastRoundStartedMs = clock.millis();
        List<ValueSpec> candidates = Refresh.candidates(config.secrets(), published);
        if (candidates.isEmpty()) {
            return Refresh.merge(published, Map.of());
        }
        FetchRound round = fetcher.fetch(candidates, budget);
        Refresh.Outcome outcome = Refresh.merge(published, round.entries());
        for (String name : outcome.keptAfterFailure()) {
            SecretEntry failed = round.entries().get(name);
            log.warn("refresh of " + kind(failed) + " " + failed.secretId() + " (name " + name + ") failed with " + code(failed)
                    + "; keeping the previous value");
        }
        round.entries().forEach((name, entry) -> {
            if (entry.failed() && !outcome.keptAfterFailure().contains(name)) {
                logFailure(name, entry);
            }
        });
        log.info(round.summary("refresh") + ", " + outcome.changed().size() + " changed");
        if (outcome.anyChange() && publish(outcome.entries(), outcome.changed())) {
            log.info("new generation " + generation + " for " + outcome.changed());
        }
        return outcome;
    }

    private boolean publish(Map<String, SecretEntry> entries, Collection<String> changed) {
        try {
            writer.ready(++generation, clock.millis(), new LinkedHashMap<>(entries), changed);
            published = entries;
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("cannot write the manifest in " + writer.directory() + ": " + describe(e));
            return false;
        }
    }

    /** Removes the secrets directory, unless the configuration keeps it. */
    void cleanUp() {
        if (config.keepOnShutdown()) {
            log.debug("keeping " + writer.directory() + " (keepOnShutdown)");
            return;
        }
        try {
            writer.delete();
        } catch (IOException e) {
            log.warn("cannot remove " + writer.directory() + ": " + describe(e));
        }
    }

    private void removeManifest() {
        try {
            writer.removeManifest();
        } catch (IOException e) {
            log.error("cannot remove the manifest in " + writer.directory() + ": " + describe(e));
        }
    }

    private void logFailure(String name, SecretEntry entry) {
        log.warn(kind(entry) + " " + entry.secretId() + " (name " + name + ") not fetched: " + code(entry)
                + "; clients will call " + (entry.isParameter() ? "SSM" : "Secrets Manager") + " for it");
    }

    private static String kind(SecretEntry entry) {
        return entry.isParameter() ? "parameter" : "secret";
    }

    private static String code(SecretEntry entry) {
        return entry.value() instanceof SecretValue.Failure f
                ? f.code() + " (" + f.message() + ")"
                : "no error";
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
