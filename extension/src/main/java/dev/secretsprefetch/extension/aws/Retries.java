// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import dev.secretsprefetch.manifest.Log;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * The one retry policy for Secrets Manager calls. {@link SecretsManager} does not retry, so this is the only
 * place that decides: a call is tried at most {@value #MAX_ATTEMPTS} times, again only after
 * a failure that may pass (throttling, 5xx, a broken connection or answer), after an exponentially growing
 * wait with full jitter, and never past the round's deadline (no attempt starts once it has passed). When the next wait would not leave time for
 * another attempt, the last failure stands, so the error entry keeps its precise code (a
 * {@code ThrottlingException} stays one instead of becoming a {@code Timeout}).
 */
public final class Retries {

    public static final int MAX_ATTEMPTS = 4;
    /** Waits before attempts 2, 3 and 4 are drawn from [0, 25 ms], [0, 50 ms], [0, 100 ms]. */
    static final Duration BASE_DELAY = Duration.ofMillis(25);
    /** Throttling asks for more room: [0, 100 ms], [0, 200 ms], [0, 400 ms]. */
    static final Duration THROTTLING_BASE_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofSeconds(1);
    /** An attempt with less time than this left is not worth starting. */
    static final Duration MIN_ATTEMPT = Duration.ofMillis(20);

    /** Sleeps for the given nanoseconds; tests replace it. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final Log log;
    private final LongSupplier nanoTime;
    private final LongUnaryOperator jitter;
    private final Sleeper sleeper;

    public Retries(Log log) {
        this(log, System::nanoTime, bound -> ThreadLocalRandom.current().nextLong(bound + 1),
                TimeUnit.NANOSECONDS::sleep);
    }

    /** @param jitter given the upper bound of a wait in nanoseconds, picks the wait in [0, bound] */
    Retries(Log log, LongSupplier nanoTime, LongUnaryOperator jitter, Sleeper sleeper) {
        this.log = log;
        this.nanoTime = nanoTime;
        this.jitter = jitter;
        this.sleeper = sleeper;
    }

    /**
     * Runs {@code attempt} until it succeeds, fails for good, runs out of attempts or of time.
     *
     * @param what the call, for debug lines, e.g. {@code GetSecretValue prod/db}
     * @param deadlineNanos the round's deadline on the {@code nanoTime} clock
     * @param attempt one call, given the time left (its API call timeout)
     * @throws RuntimeException the last attempt's failure
     */
    public <T> T call(String what, long deadlineNanos, Function<Duration, T> attempt) {
        for (int number = 1; ; number++) {
            if (nanoTime.getAsLong() >= deadlineNanos) {
                // The round has ended and its entries are written: an answer now would only be thrown away.
                throw AwsCallException.timeout();
            }
            try {
                return attempt.apply(Duration.ofNanos(Math.max(1_000_000, deadlineNanos - nanoTime.getAsLong())));
            } catch (RuntimeException failure) {
                if (number >= MAX_ATTEMPTS || !retryable(failure)) {
                    throw failure;
                }
                long wait = jitter.applyAsLong(boundNanos(number, throttling(failure)));
                if (nanoTime.getAsLong() + wait + MIN_ATTEMPT.toNanos() > deadlineNanos) {
                    log.debug(what + ": " + FetchErrors.describe(failure) + "; no time left for attempt "
                            + (number + 1));
                    throw failure;
                }
                log.debug(what + ": " + FetchErrors.describe(failure) + "; attempt " + (number + 1) + " of "
                        + MAX_ATTEMPTS + " in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms");
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
            }
        }
    }

    /** The upper bound of the wait after failed attempt {@code number} (1-based). */
    static long boundNanos(int number, boolean throttling) {
        long base = (throttling ? THROTTLING_BASE_DELAY : BASE_DELAY).toNanos();
        return Math.min(MAX_DELAY.toNanos(), base << Math.min(number - 1, 20));
    }

    /** Whether another attempt may succeed where this one failed. */
    public static boolean retryable(Throwable failure) {
        return failure instanceof AwsCallException e && e.retryable();
    }

    public static boolean throttling(Throwable failure) {
        return failure instanceof AwsCallException e && e.throttling();
    }

    /** Whether an error code in a BatchGetSecretValue answer may pass when that secret is asked for again. */
    public static boolean retryableCode(String code) {
        return code != null && (code.equals("ThrottlingException") || code.equals("InternalServiceError")
                || code.equals("ServiceUnavailable") || code.equals("TooManyRequestsException"));
    }
}
