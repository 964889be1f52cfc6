// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.FakeSecretsManager;
import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.Fixtures;
import dev.secretsprefetch.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A client under test: its own secrets directory, a hand-moved clock, a captured log and, by default, a
 * {@link FakeSecretsManager} as its Secrets Manager so tests can count direct calls.
 */
final class ClientHarness implements AutoCloseable {

    /** The fixtures' write time: 2025-11-26T15:40:00Z. */
    static final long START_MS = 1_764_171_600_000L;

    static {
        // The SDK's default chain reads these first: fake credentials, never real ones, and no metadata lookups.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    final Path dir;
    final TestClock clock = new TestClock(START_MS);
    final FakeSecretsManager fake = FakeSecretsManager.start();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream logStream = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final List<SecretsClient> clients = new ArrayList<>();

    ClientHarness(Path dir) {
        this.dir = dir;
    }

    /** The environment of a function in us-east-1 whose Secrets Manager and SSM are the fake, logging at debug. */
    Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put(EnvironmentVariables.DIR, dir.toString());
        env.put(EnvironmentVariables.AWS_REGION, "us-east-1");
        env.put(EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER, fake.endpoint().toString());
        env.put(EnvironmentVariables.ENDPOINT_URL_SSM, fake.endpoint().toString());
        env.put(EnvironmentVariables.LOG_LEVEL, "debug");
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    SecretsClient client(String... extraEnv) {
        return client(ClientConfig.from(env(extraEnv)));
    }

    SecretsClient client(ClientConfig config) {
        SecretsClient client = new SecretsClient(config, clock, logStream);
        clients.add(client);
        return client;
    }

    void write(Manifest manifest) {
        try {
            ManifestFilesWriter.write(dir, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Installs a golden fixture file as the manifest, atomically as the extension would. */
    void writeFixture(String fixture) {
        try {
            ManifestFilesWriter.ensureDirectory(dir);
            ManifestFilesWriter.writeAtomically(dir, ManifestFiles.MANIFEST_FILE,
                    Files.readAllBytes(Fixtures.manifests().resolve(fixture)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    long warnings() {
        return log().lines().filter(line -> line.startsWith("[secrets-prefetch] WARN ")).count();
    }

    /** Fails if the log contains one of {@code values}; never prints them. */
    void assertNotLeaked(String... values) {
        Values.assertNoValueIn(log(), values);
    }

    static Manifest ready(long generation, Map<String, SecretEntry> entries) {
        return Manifest.ready(generation, START_MS, "test/1", entries);
    }

    static Manifest pending(long generation, long deadlineEpochMs) {
        return Manifest.pending(generation, deadlineEpochMs, START_MS, "test/1");
    }

    static SecretEntry text(String secretId, String value) {
        return new SecretEntry(secretId, Optional.empty(), Optional.empty(), List.of("AWSCURRENT"), Optional.empty(),
                Optional.empty(), START_MS, new SecretValue.Text(FakeValues.requireMarked(value)));
    }

    static SecretEntry binary(String secretId, byte[] value) {
        return new SecretEntry(secretId, Optional.empty(), Optional.empty(), List.of("AWSCURRENT"), Optional.empty(),
                Optional.empty(), START_MS, new SecretValue.Binary(FakeValues.requireMarked(value)));
    }

    static SecretEntry failed(String secretId, String code) {
        return SecretEntry.failed(secretId, Optional.empty(), Optional.empty(), START_MS, code, "fetch failed");
    }

    static Map<String, SecretEntry> entries(Object... nameThenEntry) {
        Map<String, SecretEntry> entries = new LinkedHashMap<>();
        for (int i = 0; i < nameThenEntry.length; i += 2) {
            entries.put((String) nameThenEntry[i], (SecretEntry) nameThenEntry[i + 1]);
        }
        return entries;
    }

    @Override
    public void close() {
        clients.forEach(SecretsClient::close);
        fake.close();
    }
}
