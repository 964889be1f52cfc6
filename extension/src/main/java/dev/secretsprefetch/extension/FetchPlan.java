package dev.secretsprefetch.extension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which calls a fetch round makes: secrets that follow their current version go into
 * {@code BatchGetSecretValue} calls of at most {@value #MAX_BATCH} distinct ids per region; pinned versions
 * are fetched one by one with {@code GetSecretValue}; secrets without a region cannot be fetched at all.
 *
 * @param batches one entry per BatchGetSecretValue call
 * @param singles one entry per GetSecretValue call
 * @param withoutRegion secrets named without an ARN while no default region is set
 */
record FetchPlan(List<Batch> batches, List<Single> singles, List<SecretSpec> withoutRegion) {

    /** BatchGetSecretValue takes at most 20 secret ids. */
    static final int MAX_BATCH = 20;

    FetchPlan {
        batches = List.copyOf(batches);
        singles = List.copyOf(singles);
        withoutRegion = List.copyOf(withoutRegion);
    }

    /**
     * One BatchGetSecretValue call.
     *
     * @param secretsById the configured secrets by the id they ask for; several names may share an id
     */
    record Batch(String region, Map<String, List<SecretSpec>> secretsById) {
        Batch {
            Map<String, List<SecretSpec>> copy = new LinkedHashMap<>();
            secretsById.forEach((id, specs) -> copy.put(id, List.copyOf(specs)));
            secretsById = java.util.Collections.unmodifiableMap(copy);
        }

        List<String> secretIds() {
            return List.copyOf(secretsById.keySet());
        }
    }

    /** One GetSecretValue call. */
    record Single(String region, SecretSpec secret) {
    }

    static FetchPlan of(List<SecretSpec> secrets, Optional<String> defaultRegion) {
        Map<String, Map<String, List<SecretSpec>>> unpinnedByRegion = new LinkedHashMap<>();
        List<Single> singles = new ArrayList<>();
        List<SecretSpec> withoutRegion = new ArrayList<>();
        for (SecretSpec secret : secrets) {
            Optional<String> region = secret.arnRegion().or(() -> defaultRegion);
            if (region.isEmpty()) {
                withoutRegion.add(secret);
            } else if (secret.pinsVersion()) {
                singles.add(new Single(region.get(), secret));
            } else {
                unpinnedByRegion.computeIfAbsent(region.get(), r -> new LinkedHashMap<>())
                        .computeIfAbsent(secret.secretId(), id -> new ArrayList<>())
                        .add(secret);
            }
        }
        List<Batch> batches = new ArrayList<>();
        unpinnedByRegion.forEach((region, byId) -> {
            Map<String, List<SecretSpec>> chunk = new LinkedHashMap<>();
            for (Map.Entry<String, List<SecretSpec>> entry : byId.entrySet()) {
                if (chunk.size() == MAX_BATCH) {
                    batches.add(new Batch(region, chunk));
                    chunk = new LinkedHashMap<>();
                }
                chunk.put(entry.getKey(), entry.getValue());
            }
            if (!chunk.isEmpty()) {
                batches.add(new Batch(region, chunk));
            }
        });
        return new FetchPlan(batches, singles, withoutRegion);
    }
}
