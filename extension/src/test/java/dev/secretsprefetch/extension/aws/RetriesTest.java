// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.Log;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The retry policy on a fake clock: which failures are retried, how long it waits, and when it stops. */
class RetriesTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> waits = new ArrayList<>();
    private final List<Long> bounds = new ArrayList<>();

    /** Waits the full bound each time (the largest jitter can draw), unless a test says otherwise. */
    private Retries retries(double jitterFraction) {
        return new Retries(new Log(Log.Level.OFF, System.out), now::get, bound -> {
            bounds.add(bound);
            return (long) (bound * jitterFraction);
        }, nanos -> {
            waits.add(nanos);
            now.addAndGet(nanos);
        });
    }

    private long deadlineIn(Duration duration) {
        return now.get() + duration.toNanos();
    }

    private static AwsCallException service(int status, String code) {
        return AwsCallException.service(AwsService.SECRETS_MANAGER, status, code, "it failed");
    }

    /** An attempt that fails with each of {@code failures} in turn, then answers "ok"; counts its calls. */
    private static Function<Duration, String> failing(List<RuntimeException> failures, List<Duration> timeouts) {
        return timeout -> {
            timeouts.add(timeout);
            if (timeouts.size() <= failures.size()) {
                throw failures.get(timeouts.size() - 1);
            }
            return "ok";
        };
    }

    @Test
    void throttlingIsRetriedAfterExponentiallyGrowingWaits() {
        List<Duration> attempts = new ArrayList<>();
        RuntimeException throttled = service(400, "ThrottlingException");
        assertEquals("ok", retries(1.0).call("test", deadlineIn(Duration.ofSeconds(5)),
                failing(List.of(throttled, throttled, throttled), attempts)));
        assertEquals(4, attempts.size());
        assertEquals(List.of(100_000_000L, 200_000_000L, 400_000_000L), waits);
    }

    @Test
    void otherPassingFailuresStartWithShorterWaits() {
        List<Duration> attempts = new ArrayList<>();
        assertEquals("ok", retries(1.0).call("test", deadlineIn(Duration.ofSeconds(5)), failing(List.of(
                service(500, "InternalServiceError"), service(503, null),
                AwsCallException.connection("Connection refused", new ConnectException("Connection refused"))),
                attempts)));
        assertEquals(List.of(25_000_000L, 50_000_000L, 100_000_000L), waits);
    }

    @Test
    void jitterDrawsEachWaitBetweenZeroAndTheBound() {
        RuntimeException throttled = service(400, "ThrottlingException");
        retries(0.5).call("test", deadlineIn(Duration.ofSeconds(5)),
                failing(List.of(throttled, throttled), new ArrayList<>()));
        assertEquals(List.of(100_000_000L, 200_000_000L), bounds);
        assertEquals(List.of(50_000_000L, 100_000_000L), waits);
    }

    @Test
    void attemptsAreBoundedAndTheLastFailureIsThrown() {
        List<Duration> attempts = new ArrayList<>();
        List<RuntimeException> failures = List.of(service(500, "InternalServiceError"),
                service(500, "InternalServiceError"), service(500, "InternalServiceError"),
                service(500, "InternalServiceError"), service(500, "InternalServiceError"));
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> retries(1.0).call("test", deadlineIn(Duration.ofSeconds(60)), failing(failures, attempts)));
        assertEquals(Retries.MAX_ATTEMPTS, attempts.size());
        assertSame(failures.get(Retries.MAX_ATTEMPTS - 1), thrown);
    }

    @Test
    void noCallStartsOnceTheDeadlineHasPassed() {
        List<Duration> attempts = new ArrayList<>();
        long deadline = deadlineIn(Duration.ofMillis(10));
        now.addAndGet(Duration.ofMillis(10).toNanos());
        AwsCallException thrown = assertThrows(AwsCallException.class,
                () -> retries(1.0).call("test", deadline, failing(List.of(), attempts)));
        assertEquals(AwsCallException.Kind.TIMEOUT, thrown.kind());
        assertEquals(List.of(), attempts, "a call past the deadline would only be thrown away");
    }

    @Test
    void noWaitRunsPastTheDeadlineAndTheFailureKeepsItsCode() {
        List<Duration> attempts = new ArrayList<>();
        RuntimeException throttled = service(400, "ThrottlingException");
        long deadline = deadlineIn(Duration.ofMillis(250));
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> retries(1.0).call("test", deadline,
                failing(List.of(throttled, throttled, throttled, throttled), attempts)));
        assertSame(throttled, thrown, "the caller sees ThrottlingException, not a timeout");
        assertEquals(2, attempts.size(), "100 ms fits before the deadline; 200 ms more does not");
        assertTrue(now.get() <= deadline);
        assertEquals(Duration.ofMillis(250), attempts.get(0), "each attempt is given the time left");
        assertEquals(Duration.ofMillis(150), attempts.get(1));
    }

    @Test
    void failuresThatWillNotPassAreThrownAtOnce() {
        for (RuntimeException failure : List.of(service(400, "ResourceNotFoundException"),
                service(400, "AccessDeniedException"), service(400, "DecryptionFailure"), service(501, null),
                AwsCallException.timeout(), AwsCallException.setup("no AWS credentials", null),
                new IllegalStateException("a bug"))) {
            List<Duration> attempts = new ArrayList<>();
            assertThrows(RuntimeException.class, () -> retries(1.0).call("test", deadlineIn(Duration.ofSeconds(5)),
                    failing(List.of(failure), attempts)));
            assertEquals(1, attempts.size(), failure.toString());
        }
        assertTrue(waits.isEmpty());
    }

    @Test
    void brokenConnectionsAndUnreadableAnswersMayPass() {
        assertTrue(Retries.retryable(AwsCallException.unreadable("the answer is not valid JSON")));
        assertTrue(Retries.retryable(AwsCallException.connection("Connection reset",
                new SocketException("Connection reset"))));
        assertTrue(Retries.retryable(service(502, null)));
        assertTrue(Retries.throttling(service(429, null)));
        assertTrue(Retries.retryable(service(429, "TooManyRequestsException")));
        assertTrue(Retries.retryable(service(400, "ThrottlingException")));
        assertFalse(Retries.retryable(new IllegalStateException("a bug")));
    }

    @Test
    void waitsNeverExceedTheCap() {
        assertEquals(Retries.MAX_DELAY.toNanos(), Retries.boundNanos(30, true));
        assertEquals(Retries.MAX_DELAY.toNanos(), Retries.boundNanos(Integer.MAX_VALUE, false));
    }

    @Test
    void batchErrorCodesThatMayPassAreRecognised() {
        assertTrue(Retries.retryableCode("ThrottlingException"));
        assertTrue(Retries.retryableCode("InternalServiceError"));
        assertFalse(Retries.retryableCode("DecryptionFailure"));
        assertFalse(Retries.retryableCode("ResourceNotFoundException"));
        assertFalse(Retries.retryableCode(null));
    }
}
