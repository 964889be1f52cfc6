package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Many threads call get while the manifest is replaced under them, generation after generation: each sees a
 * whole manifest (the right value for the name, of one generation), generations never go back for a thread,
 * and no call ever goes to Secrets Manager.
 */
class ConcurrentReplacementTest {

    private static final int READERS = 6;
    private static final int GENERATIONS = 150;
    private static final Pattern VALUE = Pattern.compile("fixture-(a|b)-generation-(\\d+)-Zx9");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readersNeverSeeATornOrWrongValueAndNeverCallDirectly() throws Exception {
        try (ClientHarness harness = new ClientHarness(dir)) {
            harness.write(generation(1));
            SecretsClient client = harness.client(EnvironmentVariables.LOG_LEVEL, "info");
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(READERS);
            try {
                List<Future<Long>> readers = new ArrayList<>();
                for (int i = 0; i < READERS; i++) {
                    readers.add(pool.submit(() -> read(client, writing)));
                }
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
            assertEquals(0, harness.fake.requestCount(), "no call ever fell back to Secrets Manager");
        }
    }

    private static long read(SecretsClient client, AtomicBoolean writing) {
        long calls = 0;
        long lastGeneration = 0;
        while (writing.get() || calls == 0) {
            String name = (calls & 1) == 0 ? "a" : "b";
            long generation = generationOf(client.get(name), name);
            assertTrue(generation >= lastGeneration, "generation went back from " + lastGeneration + " to "
                    + generation);
            lastGeneration = generation;
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
        String padding = "x".repeat((int) (generation % 7) * 100);
        return ready(generation, entries(
                "a", text("prod/a", "fixture-a-generation-" + generation + "-Zx9"),
                "b", text("prod/b", "fixture-b-generation-" + generation + "-Zx9"),
                "padding", text("prod/padding", padding)));
    }
}
