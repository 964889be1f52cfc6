// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A warm {@code get} served from the manifest (the 1 s re-check included, on the real clock), next to its two
 * floors: a plain {@code HashMap.get} of the same key and the clock read each get makes. Results read as ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class WarmGetBenchmark {

    private Path directory;
    private SecretsClient client;
    private SecretsClient clientOnFrozenClock;
    private final Map<String, String> map = new HashMap<>();
    private String name = "db";
    private final Clock clock = Clock.systemUTC();

    @Setup
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("warm-get-bench");
        ManifestFilesWriter.writeAtomically(directory, ManifestFiles.MANIFEST_FILE,
                Files.readAllBytes(Fixtures.manifests().resolve("valid.json")));
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        client = new SecretsClient(ClientConfig.from(Map.of(EnvironmentVariables.DIR, directory.toString())),
                clock, discard);
        clientOnFrozenClock = new SecretsClient(ClientConfig.from(Map.of(EnvironmentVariables.DIR,
                directory.toString())), Clock.fixed(Instant.now(), ZoneOffset.UTC), discard);
        clientOnFrozenClock.get("db");
        map.put("db", client.get("db"));
        map.put("api-key", client.get("api-key"));
        map.put("db-previous", client.get("db-previous"));
    }

    @TearDown
    public void tearDown() throws IOException {
        client.close();
        clientOnFrozenClock.close();
        ManifestFilesWriter.deleteDirectory(directory);
    }

    @Benchmark
    public String warmGet() {
        return client.get(name);
    }

    /** The same get with the clock read made free (a frozen clock): what the rest of a get costs. */
    @Benchmark
    public String warmGetFrozenClock() {
        return clientOnFrozenClock.get(name);
    }

    @Benchmark
    public String baselineHashMapGet() {
        return map.get(name);
    }

    /** The clock read every get makes to know whether the 1 s re-check is due. */
    @Benchmark
    public long baselineClockRead() {
        return clock.millis();
    }
}
