// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.START_MS;
import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.pending;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pending manifest holds calls back until the extension writes ready, its deadline passes, or
 * SECRETS_PREFETCH_WAIT_MS runs out. The clock is the test's: a wait ends only when the test says time passed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PendingManifestTest {

    private static final String MANIFEST_VALUE = "fixture-prefetched-value-spv-Lw4q";
    private static final String DIRECT_VALUE = "fixture-direct-value-spv-Bn8c";

    @TempDir
    Path dir;

    private ClientHarness harness;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeEach
    void start() {
        harness = new ClientHarness(dir);
        harness.fake.putString("db", DIRECT_VALUE);
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        harness.assertNotLeaked(MANIFEST_VALUE, DIRECT_VALUE);
        harness.close();
    }

    @Test
    void readyWrittenWhileCallsWaitIsServedWithoutAnyDirectCall() throws Exception {
        harness.write(pending(1, START_MS + 60_000));
        SecretsClient client = harness.client();
        List<Future<String>> results = new ArrayList<>();
        List<Thread> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(callers.submit(() -> {
                synchronized (waiting) {
                    waiting.add(Thread.currentThread());
                }
                return client.get("db");
            }));
        }
        awaitAllBlocked(waiting, 4);

        harness.write(ready(2, entries("db", text("prod/db", MANIFEST_VALUE))));

        for (Future<String> result : results) {
            assertSameValue(MANIFEST_VALUE, result.get(), "db");
        }
        assertEquals(0, harness.fake.requestCount(), "never fetch what the extension is about to write");
    }

    @Test
    void pendingPastItsDeadlineFallsBackAtOnce() {
        harness.write(pending(1, START_MS));

        assertSameValue(DIRECT_VALUE, harness.client().get("db"), "db");
        assertEquals(1, harness.fake.requestCount());
    }

    @Test
    void waitCapEndsTheWaitLongBeforeTheDeadline() {
        harness.write(pending(1, START_MS + 3_600_000));
        SecretsClient client = harness.client(EnvironmentVariables.WAIT_MS, "300");
        harness.clock.tickOnEveryRead(20);

        // Without the cap this would wait for an hour of the test clock, far beyond the test's timeout.
        assertSameValue(DIRECT_VALUE, client.get("db"), "db");
        assertEquals(1, harness.fake.requestCount());
        assertTrue(harness.log().contains("manifest still pending after waiting"), harness.log());
    }

    @Test
    void zeroWaitCapMeansNoWaitAtAll() {
        harness.write(pending(1, START_MS + 3_600_000));

        assertSameValue(DIRECT_VALUE, harness.client(EnvironmentVariables.WAIT_MS, "0").get("db"), "db");
        assertEquals(1, harness.fake.requestCount());
    }

    @Test
    void readyWrittenSinceTheLastLookIsServedEvenWithNoTimeLeftToWait() {
        harness.write(pending(1, START_MS + 3_600_000));
        harness.fake.putString("prod/other", DIRECT_VALUE);
        SecretsClient client = harness.client(EnvironmentVariables.WAIT_MS, "0");
        assertSameValue(DIRECT_VALUE, client.get("prod/other"), "prod/other");

        harness.write(ready(2, entries("db", text("prod/db", MANIFEST_VALUE))));

        // Within the 1 s re-check interval: only the wait's own look at the file can see the ready manifest.
        assertSameValue(MANIFEST_VALUE, client.get("db"), "db");
        assertEquals(1, harness.fake.requestCount(), "only prod/other was fetched directly");
    }

    @Test
    void readyWrittenAfterThePendingDeadlineIsServedAtOnce() {
        harness.write(pending(1, START_MS + 10));
        SecretsClient client = harness.client();
        harness.clock.advance(20);
        assertSameValue(DIRECT_VALUE, client.get("db"), "db");

        harness.write(ready(2, entries("api-key", text("prod/api-key", MANIFEST_VALUE))));

        assertSameValue(MANIFEST_VALUE, client.get("api-key"), "api-key");
        assertEquals(1, harness.fake.requestCount(), "only db, before ready was written, was fetched directly");
    }

    @Test
    void deadlineEarlierThanTheCapEndsTheWait() {
        harness.write(pending(1, START_MS + 500));
        SecretsClient client = harness.client(EnvironmentVariables.WAIT_MS, "600000");
        harness.clock.tickOnEveryRead(20);

        assertSameValue(DIRECT_VALUE, client.get("db"), "db");
        assertEquals(1, harness.fake.requestCount());
    }

    @Test
    void manifestRemovedWhileWaitingEndsTheWaitWithADirectCall() throws Exception {
        harness.write(pending(1, START_MS + 60_000));
        SecretsClient client = harness.client();
        List<Thread> waiting = new ArrayList<>();
        Future<String> result = callers.submit(() -> {
            synchronized (waiting) {
                waiting.add(Thread.currentThread());
            }
            return client.get("db");
        });
        awaitAllBlocked(waiting, 1);

        ManifestFilesWriter.deleteDirectory(dir);

        assertSameValue(DIRECT_VALUE, result.get(), "db");
        assertEquals(1, harness.fake.requestCount());
    }

    @Test
    void readyAfterATimedOutWaitIsPickedUpAtTheNextRecheck() {
        harness.write(pending(1, START_MS + 1));
        SecretsClient client = harness.client();
        harness.clock.advance(2);
        client.get("db");

        harness.write(ready(2, entries("db", text("prod/db", MANIFEST_VALUE))));
        harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);

        assertSameValue(MANIFEST_VALUE, client.get("db"), "db");
        assertEquals(1, harness.fake.requestCount());
    }

    /** Waits until every caller thread has started and is parked (waiting on the watch or on the lock). */
    private static void awaitAllBlocked(List<Thread> threads, int count) throws InterruptedException {
        while (true) {
            synchronized (threads) {
                if (threads.size() == count && threads.stream().allMatch(PendingManifestTest::parked)) {
                    return;
                }
            }
            Thread.sleep(5);
        }
    }

    private static boolean parked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED || state == Thread.State.WAITING;
    }
}
