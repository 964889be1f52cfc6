// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.aws.Ssm;
import dev.secretsprefetch.extension.config.ParameterSpec;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.extension.config.ValueSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which calls a fetch round makes: secrets that follow their current version go into
 * {@code BatchGetSecretValue} calls of at most {@value #MAX_BATCH} distinct ids per region; pinned versions
 * are fetched one by one with {@code GetSecretValue}; SSM parameters go into {@code GetParameters} calls of at
 * most {@value Ssm#MAX_NAMES} per region, never two of the same name in one call (an answer names the parameter,
 * not the selector it was asked for with); secrets and parameters without a region cannot be fetched at all.
 *
 * @param batches one entry per BatchGetSecretValue call
 * @param singles one entry per GetSecretValue call
 * @param parameterCalls one entry per GetParameters call
 * @param withoutRegion secrets and parameters named without an ARN while no default region is set
 */
record FetchPlan(List<Batch> batches, List<Single> singles, List<ParameterCall> parameterCalls,
        List<ValueSpec> withoutRegion) {

    /** BatchGetSecretValue takes at most 20 secret ids. */
    static final int MAX_BATCH = 20;

    FetchPlan {
        batches = List.copyOf(batches);
        singles = List.copyOf(singles);
        parameterCalls = List.copyOf(parameterCalls);
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

    /**
     * One GetParameters call.
     *
     * @param specsByParameter the configured parameters by the parameter they ask for (selector included); several
     *     names may share one
     */
    record ParameterCall(String region, Map<String, List<ParameterSpec>> specsByParameter) {
        ParameterCall {
            Map<String, List<ParameterSpec>> copy = new LinkedHashMap<>();
            specsByParameter.forEach((parameter, specs) -> copy.put(parameter, List.copyOf(specs)));
            specsByParameter = java.util.Collections.unmodifiableMap(copy);
        }

        List<String> names() {
            return List.copyOf(specsByParameter.keySet());
        }
    }

    static FetchPlan of(List<? extends ValueSpec> values, Optional<String> defaultRegion) {
        Map<String, Map<String, List<SecretSpec>>> unpinnedByRegion = new LinkedHashMap<>();
        Map<String, Map<String, List<ParameterSpec>>> parametersByRegion = new LinkedHashMap<>();
        List<Single> singles = new ArrayList<>();
        List<ValueSpec> withoutRegion = new ArrayList<>();
        for (ValueSpec value : values) {
            Optional<String> region = value.arnRegion().or(() -> defaultRegion);
            if (region.isEmpty()) {
                withoutRegion.add(value);
            } else if (value instanceof ParameterSpec parameter) {
                parametersByRegion.computeIfAbsent(region.get(), r -> new LinkedHashMap<>())
                        .computeIfAbsent(parameter.parameter().configured(), p -> new ArrayList<>())
                        .add(parameter);
            } else if (value instanceof SecretSpec secret && secret.pinsVersion()) {
                singles.add(new Single(region.get(), secret));
            } else if (value instanceof SecretSpec secret) {
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
        List<ParameterCall> parameterCalls = new ArrayList<>();
        parametersByRegion.forEach((region, byParameter) -> {
            List<Map<String, List<ParameterSpec>>> calls = new ArrayList<>();
            for (Map.Entry<String, List<ParameterSpec>> entry : byParameter.entrySet()) {
                String name = entry.getValue().get(0).parameter().name();
                Map<String, List<ParameterSpec>> call = calls.stream()
                        .filter(c -> c.size() < Ssm.MAX_NAMES && c.values().stream()
                                .noneMatch(specs -> specs.get(0).parameter().name().equals(name)))
                        .findFirst()
                        .orElseGet(() -> {
                            Map<String, List<ParameterSpec>> added = new LinkedHashMap<>();
                            calls.add(added);
                            return added;
                        });
                call.put(entry.getKey(), entry.getValue());
            }
            calls.forEach(call -> parameterCalls.add(new ParameterCall(region, call)));
        });
        return new FetchPlan(batches, singles, parameterCalls, withoutRegion);
    }
}
