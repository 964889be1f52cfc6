// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One manifest as written by the extension: either {@link State#PENDING} (still fetching, wait until the
 * deadline) or {@link State#READY} (every configured secret and parameter present, as a value or an error).
 */
public final class Manifest {

    /** The format version this model reads and writes. */
    public static final int FORMAT_VERSION = 1;

    /** Whether readers should wait for the extension or use what is there. */
    public enum State {
        PENDING("pending"),
        READY("ready");

        private final String json;

        State(String json) {
            this.json = json;
        }

        String json() {
            return json;
        }

        static Optional<State> fromJson(String value) {
            for (State state : values()) {
                if (state.json.equals(value)) {
                    return Optional.of(state);
                }
            }
            return Optional.empty();
        }
    }

    private final long generation;
    private final State state;
    private final long deadlineEpochMs;
    private final long writtenAtEpochMs;
    private final String writer;
    private final Map<String, SecretEntry> secrets;

    private Manifest(long generation, State state, long deadlineEpochMs, long writtenAtEpochMs, String writer,
            Map<String, SecretEntry> secrets) {
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be >= 1, was " + generation);
        }
        this.generation = generation;
        this.state = state;
        this.deadlineEpochMs = deadlineEpochMs;
        this.writtenAtEpochMs = writtenAtEpochMs;
        this.writer = Objects.requireNonNull(writer, "writer");
        this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    }

    /** A manifest that tells readers to wait for the extension until {@code deadlineEpochMs}. */
    public static Manifest pending(long generation, long deadlineEpochMs, long writtenAtEpochMs, String writer) {
        return new Manifest(generation, State.PENDING, deadlineEpochMs, writtenAtEpochMs, writer, Map.of());
    }

    /** A manifest with the final result of a fetch round: an entry per configured secret. */
    public static Manifest ready(long generation, long writtenAtEpochMs, String writer,
            Map<String, SecretEntry> secrets) {
        return new Manifest(generation, State.READY, 0, writtenAtEpochMs, writer, secrets);
    }

    public long generation() {
        return generation;
    }

    public State state() {
        return state;
    }

    /** Epoch milliseconds after which readers stop waiting; 0 unless {@link State#PENDING}. */
    public long deadlineEpochMs() {
        return deadlineEpochMs;
    }

    public long writtenAtEpochMs() {
        return writtenAtEpochMs;
    }

    public String writer() {
        return writer;
    }

    /** Entries by the name handlers use, in the order they were configured. */
    public Map<String, SecretEntry> secrets() {
        return secrets;
    }

    /**
     * Resolves what a handler asked for: the entry of that name, else an entry that pins no version and
     * whose secret id, parameter or ARN equals it (docs/manifest.md, "Rules for readers").
     */
    public Optional<SecretEntry> resolve(String nameOrId) {
        SecretEntry byName = secrets.get(nameOrId);
        if (byName != null) {
            return Optional.of(byName);
        }
        for (SecretEntry entry : secrets.values()) {
            // No method reference (Optional.filter): bootstrapping one costs a cold start milliseconds.
            if (!entry.pinsVersion() && (entry.source().id().equals(nameOrId)
                    || (entry.arn().isPresent() && entry.arn().get().equals(nameOrId)))) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest m
                && generation == m.generation
                && state == m.state
                && deadlineEpochMs == m.deadlineEpochMs
                && writtenAtEpochMs == m.writtenAtEpochMs
                && writer.equals(m.writer)
                && secrets.equals(m.secrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(generation, state, deadlineEpochMs, writtenAtEpochMs, writer, secrets);
    }

    /** Names and states only: a manifest's string form never contains a value. */
    @Override
    public String toString() {
        return "Manifest[generation=" + generation + ", state=" + state.json + ", secrets=" + secrets.keySet() + "]";
    }
}
