// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.failed;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.testing.FakeSecretsManager;
import dev.secretsprefetch.testing.FakeValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 64 threads call get while the manifest is replaced under them, generation after generation: each sees a
 * whole manifest (the right value for the name, of one generation), generations never go back for a thread,
 * names the manifest serves never go to Secrets Manager, and the one name it holds an error for makes exactly
 * one direct call in all, however many threads ask at once.
 */
class ConcurrentReplacementTest {

    private static final int READERS = 64;
    private static final int GENERATIONS = 60;
    private static final Pattern VALUE = Pattern.compile("fixture-(a|b)-generation-(\\d+)-spv-Zx9q");
    private static final String DIRECT = FakeValues.text("fixture-direct-c");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readersNeverSeeATornOrWrongValueAndNeverMakeAnExtraCall() throws Exception {
        try (ClientHarness harness = new ClientHarness(dir)) {
            harness.fake.putString("prod/c", DIRECT);
            harness.write(generation(1));
            SecretsClient client = harness.client(EnvironmentVariables.LOG_LEVEL, "info");
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch reading = new CountDownLatch(READERS);
            ExecutorService pool = Executors.newFixedThreadPool(READERS);
            try {
                List<Future<Long>> readers = new ArrayList<>();
                for (int i = 0; i < READERS; i++) {
                    readers.add(pool.submit(() -> read(client, writing, reading)));
                }
                reading.await();
                for (int generation = 2; generation <= GENERATIONS; generation++) {
                    harness.write(generation(generation));
                    // Every write is followed by a re-check interval, so readers do re-read under the writer.
                    harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);
                }
                writing.set(false);
                for (Future<Long> reader : readers) {
                    assertTrue(reader.get() > 0, "every reader made calls");
                }
            } finally {
                pool.shutdownNow();
            }
            harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);
            assertEquals(GENERATIONS, generationOf(client.get("a"), "a"), "the last generation is served at the end");
            assertEquals(List.of("prod/c"), harness.fake.calls().stream().map(FakeSecretsManager.Call::secretId)
                    .toList(), "one direct call in all, for the error entry only");
            assertEquals(0, harness.warnings(), "no reader ever saw an unusable manifest");
        }
    }

    private static long read(SecretsClient client, AtomicBoolean writing, CountDownLatch reading) {
        long calls = 0;
        long lastGeneration = 0;
        reading.countDown();
        while (writing.get() || calls < 3) {
            String name = switch ((int) (calls % 3)) {
                case 0 -> "a";
                case 1 -> "b";
                default -> "c";
            };
            String value = client.get(name);
            if (name.equals("c")) {
                assertSameValue(DIRECT, value, "c");
            } else {
                long generation = generationOf(value, name);
                assertTrue(generation >= lastGeneration, "generation went back from " + lastGeneration + " to "
                        + generation);
                lastGeneration = generation;
            }
            calls++;
        }
        return calls;
    }

    /** The generation a value was written in; fails unless it is a whole value written for {@code name}. */
    private static long generationOf(String value, String name) {
        Matcher matcher = VALUE.matcher(value);
        assertTrue(matcher.matches(), "value of " + name + " is not one that was written");
        assertEquals(name, matcher.group(1), "value of " + name + " belongs to another secret");
        return Long.parseLong(matcher.group(2));
    }

    private static Manifest generation(long generation) {
        // Values of different lengths across generations, so a torn read could not look whole.
        String padding = "spv-Pad0" + "x".repeat((int) (generation % 7) * 100);
        return ready(generation, entries(
                "a", text("prod/a", "fixture-a-generation-" + generation + "-spv-Zx9q"),
                "b", text("prod/b", "fixture-b-generation-" + generation + "-spv-Zx9q"),
                "c", failed("prod/c", "ThrottlingException"),
                "padding", text("prod/padding", padding)));
    }
}
