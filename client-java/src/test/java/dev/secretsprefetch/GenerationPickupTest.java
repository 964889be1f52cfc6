// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new manifest generation (refresh, rotation) is served within the 1 s re-check interval, not before. */
class GenerationPickupTest {

    private static final String OLD = "fixture-rotated-out-spv-Qa1z";
    private static final String NEW = "fixture-rotated-in-spv-Ws2x";

    @TempDir
    Path dir;

    private ClientHarness harness;
    private SecretsClient client;

    @BeforeEach
    void start() {
        harness = new ClientHarness(dir);
        harness.write(ready(1, entries("db", text("prod/db", OLD))));
        client = harness.client();
        assertSameValue(OLD, client.get("db"), "db before rotation");
        harness.write(ready(2, entries("db", text("prod/db", NEW))));
    }

    @AfterEach
    void stop() {
        assertEquals(0, harness.fake.requestCount());
        harness.assertNotLeaked(OLD, NEW);
        harness.close();
    }

    @Test
    void newGenerationIsServedOnceTheRecheckIntervalHasPassed() {
        harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);

        assertSameValue(NEW, client.get("db"), "db after rotation");
    }

    @Test
    void withinTheRecheckIntervalTheFileIsNotLookedAt() {
        harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS - 1);

        assertSameValue(OLD, client.get("db"), "db within the interval");
    }

    @Test
    void clockThatStepsBackwardsTriggersARecheck() {
        harness.clock.advance(-1);

        assertSameValue(NEW, client.get("db"), "db after the wall clock stepped back");
    }

    @Test
    void unchangedFileIsNotReadAgainAtTheNextRecheck() {
        harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);
        assertSameValue(NEW, client.get("db"), "db after rotation");
        long reads = manifestReads();

        harness.clock.advance(ManifestCache.RECHECK_INTERVAL_MS);
        assertSameValue(NEW, client.get("db"), "db from the unchanged file");
        assertEquals(reads, manifestReads(), "an unchanged file is only looked at, not read and parsed");
    }

    private long manifestReads() {
        return harness.log().lines().filter(line -> line.contains("DEBUG read manifest generation")).count();
    }
}
