package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.SecretsManagerJson.BatchAnswer;
import dev.secretsprefetch.extension.SecretsManagerJson.BatchError;
import dev.secretsprefetch.extension.SecretsManagerJson.SecretVersion;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs fetch rounds: every call of a {@link FetchPlan} in parallel, bounded by one deadline, each retried by
 * {@link Retries}. Whatever is not answered by then becomes a {@code Timeout} error entry. A batch call refused
 * for a reason of its own (no permission for BatchGetSecretValue, say) falls back to one GetSecretValue per
 * secret; one that failed because Secrets Manager or the network is struggling fails its secrets with that
 * error instead, rather than multiplying the calls.
 */
final class Fetcher implements AutoCloseable {

    private final SecretsManager secretsManager;
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
        this.defaultRegion = defaultRegion;
        this.log = log;
        this.clock = clock;
        this.retries = new Retries(log);
    }

    /** Fetches {@code secrets}; the result has an entry for each of them, in the same order. */
    FetchRound fetch(List<SecretSpec> secrets, Duration budget) {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        FetchPlan plan = FetchPlan.of(secrets, defaultRegion);
        Round round = new Round(deadline);
        for (SecretSpec secret : plan.withoutRegion()) {
            round.results.put(secret.name(), SecretEntry.failed(secret.secretId(), secret.versionId(),
                    secret.versionStage(), clock.millis(), FetchErrors.CLIENT_ERROR, "no region: set AWS_REGION or "
                            + "give the secret's ARN"));
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (FetchPlan.Batch batch : plan.batches()) {
            calls.add(CompletableFuture.runAsync(() -> round.batch(batch), executor));
        }
        for (FetchPlan.Single single : plan.singles()) {
            calls.add(CompletableFuture.runAsync(() -> round.single(single.region(), single.secret()), executor));
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
        for (SecretSpec secret : secrets) {
            SecretEntry entry = round.results.get(secret.name());
            entries.put(secret.name(), entry != null ? entry : SecretEntry.failed(secret.secretId(), secret.versionId(),
                    secret.versionStage(), clock.millis(), FetchErrors.TIMEOUT,
                    "not fetched within the fetch deadline of " + budget.toMillis() + " ms"));
        }
        return new FetchRound(entries, round.batchCalls.get(), round.getCalls.get(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** The state of one round; results arriving after the deadline land here but are no longer read. */
    private final class Round {
        final long deadline;
        final Map<String, SecretEntry> results = new ConcurrentHashMap<>();
        final AtomicInteger batchCalls = new AtomicInteger();
        final AtomicInteger getCalls = new AtomicInteger();

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

        private void put(SecretSpec secret, SecretEntry entry) {
            results.put(secret.name(), entry);
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

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
