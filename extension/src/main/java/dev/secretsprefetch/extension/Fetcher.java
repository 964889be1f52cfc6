// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.aws.AwsCallException;
import dev.secretsprefetch.extension.aws.FetchErrors;
import dev.secretsprefetch.extension.aws.Retries;
import dev.secretsprefetch.extension.aws.SecretsManager;
import dev.secretsprefetch.extension.aws.SecretsManagerJson.BatchAnswer;
import dev.secretsprefetch.extension.aws.SecretsManagerJson.BatchError;
import dev.secretsprefetch.extension.aws.SecretsManagerJson.SecretVersion;
import dev.secretsprefetch.extension.aws.SecretsManagerJson;
import dev.secretsprefetch.extension.aws.SignedCalls;
import dev.secretsprefetch.extension.aws.Ssm;
import dev.secretsprefetch.extension.aws.SsmJson.ParameterValue;
import dev.secretsprefetch.extension.aws.SsmJson.ParametersAnswer;
import dev.secretsprefetch.extension.aws.SsmJson;
import dev.secretsprefetch.extension.config.ParameterSpec;
import dev.secretsprefetch.extension.config.SecretArn;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.extension.config.SsmParameter;
import dev.secretsprefetch.extension.config.ValueSpec;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs fetch rounds: every call of a {@link FetchPlan} in parallel, Secrets Manager's and SSM's alike, bounded by
 * one deadline, each retried by {@link Retries}. Whatever is not answered by then becomes a {@code Timeout} error
 * entry. A batch call refused for a reason of its own (no permission for BatchGetSecretValue, say) falls back to
 * one GetSecretValue per secret; one that failed because Secrets Manager or the network is struggling fails its
 * secrets with that error instead, rather than multiplying the calls. A GetParameters call refused for a reason of
 * its own (IAM refuses the whole call when one of its parameters is denied) is made again for each parameter alone,
 * so that only the refused ones get error entries.
 */
final class Fetcher implements AutoCloseable {

    /** The error code of a parameter GetParameters reported in its InvalidParameters. */
    static final String PARAMETER_NOT_FOUND = "ParameterNotFound";

    private final SecretsManager secretsManager;
    private final Ssm ssm;
    private final Optional<String> defaultRegion;
    private final Log log;
    private final Clock clock;
    private final Retries retries;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "secrets-prefetch-fetch");
        thread.setDaemon(true);
        return thread;
    });

    Fetcher(SignedCalls calls, Optional<String> defaultRegion, Log log, Clock clock) {
        this.secretsManager = new SecretsManager(calls);
        this.ssm = new Ssm(calls);
        this.defaultRegion = defaultRegion;
        this.log = log;
        this.clock = clock;
        this.retries = new Retries(log);
    }

    /** Fetches {@code secrets} (and parameters); the result has an entry for each of them, in the same order. */
    FetchRound fetch(List<? extends ValueSpec> secrets, Duration budget) {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        FetchPlan plan = FetchPlan.of(secrets, defaultRegion);
        Round round = new Round(deadline);
        for (ValueSpec value : plan.withoutRegion()) {
            round.results.put(value.name(), failed(value, FetchErrors.CLIENT_ERROR, "no region: set AWS_REGION or "
                    + "give the " + (value instanceof ParameterSpec ? "parameter's" : "secret's") + " ARN"));
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (FetchPlan.Batch batch : plan.batches()) {
            calls.add(CompletableFuture.runAsync(() -> round.batch(batch), executor));
        }
        for (FetchPlan.Single single : plan.singles()) {
            calls.add(CompletableFuture.runAsync(() -> round.single(single.region(), single.secret()), executor));
        }
        for (FetchPlan.ParameterCall call : plan.parameterCalls()) {
            calls.add(CompletableFuture.runAsync(() -> round.parameters(call), executor));
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.debug("fetch deadline of " + budget.toMillis() + " ms reached");
        } catch (ExecutionException e) {
            log.error("fetch failed unexpectedly: " + FetchErrors.describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, SecretEntry> entries = new LinkedHashMap<>();
        for (ValueSpec value : secrets) {
            SecretEntry entry = round.results.get(value.name());
            entries.put(value.name(), entry != null ? entry : failed(value, FetchErrors.TIMEOUT,
                    "not fetched within the fetch deadline of " + budget.toMillis() + " ms"));
        }
        return new FetchRound(entries, round.batchCalls.get(), round.getCalls.get(), round.parameterCalls.get(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** An error entry for {@code value}. */
    private SecretEntry failed(ValueSpec value, String code, String message) {
        if (value instanceof ParameterSpec parameter) {
            return SecretEntry.failed(source(parameter.parameter(), Optional.empty(), OptionalLong.empty()),
                    clock.millis(), code, message);
        }
        SecretSpec secret = (SecretSpec) value;
        return SecretEntry.failed(secret.secretId(), secret.versionId(), secret.versionStage(), clock.millis(), code,
                message);
    }

    private static SecretEntry.Parameter source(SsmParameter parameter, Optional<String> type,
            OptionalLong version) {
        return new SecretEntry.Parameter(parameter.configured(), type, version, parameter.version(),
                parameter.label());
    }

    /** The state of one round; results arriving after the deadline land here but are no longer read. */
    private final class Round {
        final long deadline;
        final Map<String, SecretEntry> results = new ConcurrentHashMap<>();
        final AtomicInteger batchCalls = new AtomicInteger();
        final AtomicInteger getCalls = new AtomicInteger();
        final AtomicInteger parameterCalls = new AtomicInteger();

        Round(long deadline) {
            this.deadline = deadline;
        }

        void batch(FetchPlan.Batch batch) {
            if (batch.secretsById().size() == 1) {
                // One id: GetSecretValue costs the same and needs one permission fewer.
                batch.secretsById().values().iterator().next().forEach(s -> single(batch.region(), s));
                return;
            }
            Map<String, List<SecretSpec>> open = new HashMap<>(batch.secretsById());
            try {
                Optional<String> nextToken = Optional.empty();
                do {
                    Optional<String> token = nextToken;
                    BatchAnswer answer = retries.call("BatchGetSecretValue in " + batch.region(), deadline,
                            timeout -> {
                                batchCalls.incrementAndGet();
                                return secretsManager.batchGetSecretValue(batch.region(), batch.secretIds(), token,
                                        timeout);
                            });
                    for (SecretVersion value : answer.values()) {
                        for (String id : matching(open, value.name().orElse(null), value.arn().orElse(null))) {
                            open.remove(id).forEach(s -> put(s, fromBatch(s, value)));
                        }
                    }
                    for (BatchError error : answer.errors()) {
                        // A secret that failed for a passing reason stays open: it is asked for on its own below.
                        List<SecretSpec> failed = Retries.retryableCode(error.code().orElse(null))
                                ? null
                                : open.remove(error.secretId());
                        if (failed != null) {
                            failed.forEach(s -> put(s, failure(s, FetchErrors.fromBatch(error))));
                        }
                    }
                    nextToken = answer.nextToken();
                } while (nextToken.isPresent() && !open.isEmpty());
            } catch (RuntimeException e) {
                // GetSecretValue has its own quota, about a hundred times BatchGetSecretValue's: a throttled
                // batch falls back to it. Other passing failures would only repeat on each secret.
                boolean throttled = Retries.throttling(e);
                if (!throttled && (Retries.retryable(e) || FetchErrors.TIMEOUT.equals(FetchErrors.from(e).code()))) {
                    log.debug("BatchGetSecretValue in " + batch.region() + " failed (" + FetchErrors.describe(e)
                            + "); " + open.size() + " secret(s) not fetched");
                    SecretValue.Failure failure = FetchErrors.from(e);
                    open.values().forEach(specs -> specs.forEach(s -> put(s, failure(s, failure))));
                    return;
                }
                log.debug("BatchGetSecretValue in " + batch.region() + " failed (" + FetchErrors.describe(e)
                        + "); falling back to GetSecretValue for " + open.size() + " secret(s)");
            }
            // Ids the batch did not answer for (or all of them, when it was refused) are fetched one by one.
            CompletableFuture.allOf(open.values().stream().flatMap(List::stream)
                    .map(s -> CompletableFuture.runAsync(() -> single(batch.region(), s), executor))
                    .toArray(CompletableFuture[]::new)).join();
        }

        void single(String region, SecretSpec secret) {
            try {
                SecretVersion version = retries.call("GetSecretValue " + secret.secretId(), deadline, timeout -> {
                    getCalls.incrementAndGet();
                    return secretsManager.getSecretValue(region, secret.secretId(), secret.versionId(),
                            secret.versionStage(), timeout);
                });
                put(secret, new SecretEntry(secret.secretId(), version.arn(), version.versionId(),
                        version.versionStages(), secret.versionId(), secret.versionStage(), clock.millis(),
                        version.value()));
            } catch (RuntimeException e) {
                put(secret, failure(secret, FetchErrors.from(e)));
            }
        }

        void parameters(FetchPlan.ParameterCall call) {
            Map<String, List<ParameterSpec>> open = new HashMap<>(call.specsByParameter());
            try {
                ParametersAnswer answer = retries.call("GetParameters in " + call.region(), deadline, timeout -> {
                    parameterCalls.incrementAndGet();
                    return ssm.getParameters(call.region(), call.names(), timeout);
                });
                for (ParameterValue value : answer.parameters()) {
                    for (String requested : matchingParameters(open, value)) {
                        open.remove(requested).forEach(p -> put(p, new SecretEntry(source(p.parameter(), value.type(),
                                value.version()), value.arn(), clock.millis(), value.value())));
                    }
                }
                for (String invalid : answer.invalid()) {
                    List<ParameterSpec> missing = open.remove(invalid);
                    if (missing != null) {
                        missing.forEach(p -> put(p, failed(p, PARAMETER_NOT_FOUND, "SSM has no parameter "
                                + p.parameter().name() + (p.parameter().pinsVersion() ? " with that version or label"
                                : "") + " (GetParameters reported it invalid)")));
                    }
                }
                open.values().forEach(specs -> specs.forEach(p -> put(p, failed(p, FetchErrors.CLIENT_ERROR,
                        "GetParameters answered neither a value nor InvalidParameters for it"))));
            } catch (RuntimeException e) {
                if (open.size() > 1 && refusedForItsOwnReason(e)) {
                    log.debug("GetParameters in " + call.region() + " failed (" + FetchErrors.describe(e)
                            + "); asking for each of its " + open.size() + " parameter(s) alone");
                    CompletableFuture.allOf(open.entrySet().stream()
                            .map(one -> CompletableFuture.runAsync(() -> parameters(new FetchPlan.ParameterCall(
                                    call.region(), Map.of(one.getKey(), one.getValue()))), executor))
                            .toArray(CompletableFuture[]::new)).join();
                    return;
                }
                SecretValue.Failure failure = FetchErrors.from(e);
                open.values().forEach(specs -> specs.forEach(p -> put(p, failed(p, failure.code(),
                        failure.message()))));
            }
        }

        private void put(ValueSpec value, SecretEntry entry) {
            results.put(value.name(), entry);
        }

        private SecretEntry fromBatch(SecretSpec secret, SecretVersion value) {
            return new SecretEntry(secret.secretId(), value.arn(), value.versionId(), value.versionStages(),
                    Optional.empty(), Optional.empty(), clock.millis(), value.value());
        }

        private SecretEntry failure(SecretSpec secret, SecretValue.Failure failure) {
            return SecretEntry.failed(secret.secretId(), secret.versionId(), secret.versionStage(), clock.millis(),
                    failure.code(), failure.message());
        }
    }

    /**
     * The requested ids a batch answer belongs to: the id is the secret's name, its full ARN, or its partial ARN
     * (the full one without the six-character suffix Secrets Manager appends).
     */
    static List<String> matching(Map<String, ?> requestedIds, String name, String arn) {
        List<String> ids = new ArrayList<>(1);
        for (String id : requestedIds.keySet()) {
            if (id.equals(name) || id.equals(arn)
                    || (arn != null && SecretArn.looksLikeArn(id) && arn.startsWith(id + "-")
                            && arn.length() == id.length() + 7)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * The parameters asked for that an answer's parameter is: a call never asks for two parameters of the same name,
     * so the name (or the ARN, for a parameter asked for by ARN) tells which.
     */
    static List<String> matchingParameters(Map<String, List<ParameterSpec>> requested, ParameterValue value) {
        List<String> matches = new ArrayList<>(1);
        requested.forEach((asked, specs) -> {
            SsmParameter parameter = specs.get(0).parameter();
            if (value.name().equals(parameter.name()) || value.name().equals(parameter.id())
                    || value.arn().filter(parameter.id()::equals).isPresent()) {
                matches.add(asked);
            }
        });
        return matches;
    }

    /** A service's refusal that concerns the request (access denied, say), not a passing failure. */
    private static boolean refusedForItsOwnReason(RuntimeException e) {
        return e instanceof AwsCallException call && call.kind() == AwsCallException.Kind.SERVICE
                && !call.retryable();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
