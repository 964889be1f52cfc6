// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.config.ParameterSpec;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.extension.config.ValueSpec;
import dev.secretsprefetch.manifest.SecretEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When to refresh, what, and what a refresh changes. A new manifest generation is written only when a
 * secret's VersionId or a parameter's Version changed (or a failed one now has a value); a secret or parameter
 * whose refresh fails keeps its previous value.
 */
final class Refresh {

    private final Duration interval;

    /** @param interval zero turns refresh off */
    Refresh(Duration interval) {
        this.interval = interval;
    }

    /** Whether values from a round started at {@code lastRoundStartedMs} are too old at {@code nowMs}. */
    boolean due(long nowMs, long lastRoundStartedMs) {
        return !interval.isZero() && nowMs - lastRoundStartedMs >= interval.toMillis();
    }

    /**
     * The secrets and parameters worth fetching again: all but those pinned to a VersionId (a parameter's version
     * number) that already have its value. A label, like a stage, can move.
     */
    static List<ValueSpec> candidates(List<? extends ValueSpec> secrets, Map<String, SecretEntry> current) {
        List<ValueSpec> candidates = new ArrayList<>(secrets.size());
        for (ValueSpec secret : secrets) {
            SecretEntry entry = current.get(secret.name());
            boolean pinned = secret instanceof SecretSpec s ? s.versionId().isPresent()
                    : ((ParameterSpec) secret).parameter().version().isPresent();
            boolean immutable = pinned && entry != null && !entry.failed();
            if (!immutable) {
                candidates.add(secret);
            }
        }
        return candidates;
    }

    /**
     * The entries after a refresh.
     *
     * @param entries the entries to publish, in the order of {@code current}
     * @param changed names whose value is new: a different VersionId, or a value where there was an error
     * @param keptAfterFailure names whose refresh failed and that keep their previous value
     */
    record Outcome(Map<String, SecretEntry> entries, List<String> changed, List<String> keptAfterFailure) {
        Outcome {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            changed = List.copyOf(changed);
            keptAfterFailure = List.copyOf(keptAfterFailure);
        }

        boolean anyChange() {
            return !changed.isEmpty();
        }
    }

    static Outcome merge(Map<String, SecretEntry> current, Map<String, SecretEntry> fresh) {
        Map<String, SecretEntry> merged = new LinkedHashMap<>(current);
        List<String> changed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        fresh.forEach((name, next) -> {
            SecretEntry previous = current.get(name);
            if (previous == null) {
                merged.put(name, next);
                changed.add(name);
            } else if (next.failed()) {
                if (!previous.failed()) {
                    kept.add(name);
                }
            } else if (previous.failed() || !sameVersion(previous, next)) {
                merged.put(name, next);
                changed.add(name);
            }
        });
        return new Outcome(merged, changed, kept);
    }

    private static boolean sameVersion(SecretEntry previous, SecretEntry next) {
        if (previous.source() instanceof SecretEntry.Parameter before
                && next.source() instanceof SecretEntry.Parameter after
                && (before.parameterVersion().isPresent() || after.parameterVersion().isPresent())) {
            return before.parameterVersion().equals(after.parameterVersion());
        }
        if (previous.versionId().isPresent() || next.versionId().isPresent()) {
            return previous.versionId().equals(next.versionId());
        }
        return Objects.equals(previous.value(), next.value());
    }
}
