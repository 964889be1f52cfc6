// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.config.Config;
import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.extension.lambda.ExtensionsApi;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real extension, in-process, against the fake Extensions API and moto. */
class ExtensionTest {

    @TempDir
    Path tmp;

    private final MotoSecrets moto = new MotoSecrets();
    private final FakeExtensionsApi api = new FakeExtensionsApi();
    private final SecretsManagerProxy proxy = new SecretsManagerProxy(MotoSecrets.moto().endpoint());
    private final TestClock clock = TestClock.startingNow();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        runner.shutdownNow();
        api.close();
        proxy.close();
    }

    private Path dir() {
        return tmp.resolve("secrets");
    }

    private Config config(List<SecretSpec> secrets, Duration refresh, boolean keep) {
        return new Config(dir(), List.copyOf(secrets), refresh, Duration.ofSeconds(8), keep, Log.Level.DEBUG,
                Config.RuntimeStart.OVERLAP, "test");
    }

    private Future<Integer> start(Config config, Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = MotoSecrets.environment(proxy.endpoint(), api.runtimeApi());
        env.putAll(extraEnv);
        Extension extension = new Extension(config, Environment.from(env), new ExtensionsApi(api.runtimeApi()),
                "secrets-prefetch", new Log(config.logLevel(), new PrintStream(logged, true, StandardCharsets.UTF_8)),
                clock);
        api.onRegister(() -> describe(dir()));
        return runner.submit(extension::run);
    }

    /** The manifest's state as a reader would see it right now. */
    private static String describe(Path dir) {
        try {
            Optional<Manifest> manifest = ManifestFiles.read(dir);
            return manifest.map(m -> m.state() + " " + (m.deadlineEpochMs() - m.writtenAtEpochMs())).orElse("absent");
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }

    private Manifest manifest() throws Exception {
        return ManifestFiles.read(dir()).orElseThrow();
    }

    private static String text(SecretEntry entry) {
        return ((SecretValue.Text) entry.value()).value();
    }

    private int shutdown(Future<Integer> run) throws Exception {
        api.shutdown();
        return run.get(30, TimeUnit.SECONDS);
    }

    @Test
    void registersForInvokeAndShutdownAfterThePendingManifestThenPublishesReady() throws Exception {
        moto.create("db", "spv-fake-db-value-1");
        moto.create("api", "spv-fake-api-value-1");
        Future<Integer> run = start(config(List.of(
                new SecretSpec("db", moto.name("db"), Optional.empty(), Optional.empty(), Optional.of("db.txt")),
                SecretSpec.of("api", moto.name("api")),
                SecretSpec.of("missing", moto.name("missing"))), Duration.ofSeconds(300), false), Map.of());
        api.awaitNextCalls(1);

        FakeExtensionsApi.Registration registration = api.registrations.get(0);
        assertEquals("secrets-prefetch", registration.name());
        assertEquals("{\"events\":[\"INVOKE\",\"SHUTDOWN\"]}", registration.body());
        assertEquals("PENDING " + (8000 + Publisher.PENDING_MARGIN.toMillis()), registration.observedAtRegister(),
                "the pending manifest, with its deadline, must exist before registering");
        assertEquals(List.of(FakeExtensionsApi.IDENTIFIER), api.nextIdentifiers);

        Manifest ready = manifest();
        assertEquals(Manifest.State.READY, ready.state());
        assertEquals(2, ready.generation());
        assertEquals(List.of("db", "api", "missing"), List.copyOf(ready.secrets().keySet()));
        assertTrue("spv-fake-db-value-1".equals(text(ready.secrets().get("db"))), "value of db");
        SecretValue.Failure missing = (SecretValue.Failure) ready.secrets().get("missing").value();
        assertEquals("ResourceNotFoundException", missing.code());
        assertTrue("spv-fake-db-value-1".equals(Files.readString(dir().resolve("db.txt"))), "content of db.txt");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve("db.txt"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));

        assertEquals(0, shutdown(run));
        assertFalse(Files.exists(dir()), "SHUTDOWN removes the secrets directory");
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("not fetched: ResourceNotFoundException"), log);
        assertTrue(log.contains("prefetch: 3 secret(s), 2 fetched, 1 failed"), log);
        assertFalse(log.contains("spv-fake-db-value-1") || log.contains("spv-fake-api-value-1"), "a value was logged");
    }

    @Test
    void aFileAnEarlierProcessLeftIsRemovedWhenItsSecretCannotBeFetched() throws Exception {
        // A process that did not get to clean up (killed, or an init retried in the same environment) left these.
        Files.createDirectories(dir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(dir().resolve("gone.txt"), "spv-stale-value-of-an-earlier-process-Gx1");
        Files.writeString(dir().resolve("db.txt"), "spv-stale-value-of-an-earlier-process-Db1");
        moto.create("db", "spv-fake-db-value-now");
        Future<Integer> run = start(config(List.of(
                new SecretSpec("gone", moto.name("gone"), Optional.empty(), Optional.empty(), Optional.of("gone.txt")),
                new SecretSpec("db", moto.name("db"), Optional.empty(), Optional.empty(), Optional.of("db.txt"))),
                Duration.ofSeconds(300), false), Map.of());
        api.awaitNextCalls(1);
        assertEquals("ResourceNotFoundException",
                ((SecretValue.Failure) manifest().secrets().get("gone").value()).code());
        assertFalse(Files.exists(dir().resolve("gone.txt")), "a file must never outlive its secret's value");
        assertTrue("spv-fake-db-value-now".equals(Files.readString(dir().resolve("db.txt"))), "content of db.txt");
        assertEquals(0, shutdown(run));
    }

    @Test
    void invokeRefreshesOnceTheIntervalHasPassedAndWritesANewGenerationOnlyForANewVersion() throws Exception {
        moto.create("db", "spv-fake-db-value-1");
        Future<Integer> run = start(config(List.of(
                new SecretSpec("db", moto.name("db"), Optional.empty(), Optional.empty(), Optional.of("db.txt"))),
                Duration.ofSeconds(60), false), Map.of());
        api.awaitNextCalls(1);
        long callsAfterInit = proxy.calls.size();

        api.invoke(clock.millis() + 30_000);
        api.awaitNextCalls(1);
        assertEquals(callsAfterInit, proxy.calls.size(), "values younger than the interval are not refetched");

        clock.advance(Duration.ofSeconds(61));
        api.invoke(clock.millis() + 30_000);
        api.awaitNextCalls(1);
        assertEquals(callsAfterInit + 1, proxy.calls.size(), "old values are refetched");
        assertEquals(2, manifest().generation(), "same VersionId: no new generation");

        moto.update("db", "spv-fake-db-value-2");
        clock.advance(Duration.ofSeconds(61));
        api.invoke(clock.millis() + 30_000);
        api.awaitNextCalls(1);
        Manifest refreshed = manifest();
        assertEquals(3, refreshed.generation());
        assertTrue("spv-fake-db-value-2".equals(text(refreshed.secrets().get("db"))), "refreshed value of db");
        assertTrue("spv-fake-db-value-2".equals(Files.readString(dir().resolve("db.txt"))), "refreshed db.txt");
        assertEquals(0, shutdown(run));
    }

    @Test
    void failedRefreshKeepsThePreviousValue() throws Exception {
        moto.create("db", "spv-fake-db-value-kept");
        Future<Integer> run = start(config(List.of(SecretSpec.of("db", moto.name("db"))), Duration.ofSeconds(60),
                false), Map.of());
        api.awaitNextCalls(1);
        moto.delete("db");
        clock.advance(Duration.ofSeconds(61));
        api.invoke(clock.millis() + 30_000);
        api.awaitNextCalls(1);
        Manifest after = manifest();
        assertEquals(2, after.generation());
        assertTrue("spv-fake-db-value-kept".equals(text(after.secrets().get("db"))), "kept value of db");
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("keeping the previous value"));
        assertEquals(0, shutdown(run));
    }

    @Test
    void refreshIsSkippedWhenTheInvocationHasNoTimeLeft() throws Exception {
        moto.create("db", "spv-fake-db-value");
        Future<Integer> run = start(config(List.of(SecretSpec.of("db", moto.name("db"))), Duration.ofSeconds(60),
                false), Map.of());
        api.awaitNextCalls(1);
        long callsAfterInit = proxy.calls.size();
        clock.advance(Duration.ofSeconds(61));
        api.invoke(clock.millis() + 100);
        api.awaitNextCalls(1);
        assertEquals(callsAfterInit, proxy.calls.size());
        assertEquals(0, shutdown(run));
    }

    @Test
    void keepOnShutdownLeavesTheDirectory() throws Exception {
        moto.create("db", "spv-fake-db-value");
        Future<Integer> run = start(config(List.of(SecretSpec.of("db", moto.name("db"))), Duration.ZERO, true),
                Map.of());
        api.awaitNextCalls(1);
        assertEquals(0, shutdown(run));
        assertEquals(Manifest.State.READY, manifest().state());
    }

    @Test
    void snapStartWritesNothingDuringInitAndFetchesAtTheFirstInvoke() throws Exception {
        moto.create("db", "spv-fake-db-value-snap");
        Future<Integer> run = start(config(List.of(SecretSpec.of("db", moto.name("db"))), Duration.ofSeconds(300),
                false), Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"));
        api.awaitNextCalls(1);
        assertEquals("absent", api.registrations.get(0).observedAtRegister());
        assertFalse(Files.exists(dir()), "no value may be written during a SnapStart init");
        assertTrue(proxy.calls.isEmpty(), "nothing is fetched during a SnapStart init");

        api.invoke(clock.millis() + 30_000);
        api.awaitNextCalls(1);
        Manifest ready = manifest();
        assertEquals(Manifest.State.READY, ready.state());
        assertTrue("spv-fake-db-value-snap".equals(text(ready.secrets().get("db"))), "value of db");
        assertEquals(0, shutdown(run));
        assertFalse(Files.exists(dir()));
    }

    @Test
    void failedRegistrationRemovesThePendingManifestAndExitsNonZero() throws Exception {
        api.close();
        Future<Integer> run = start(config(List.of(SecretSpec.of("db", moto.name("db"))), Duration.ZERO, false),
                Map.of());
        assertEquals(1, run.get(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(dir()), "no pending manifest may be left for readers to wait on");
    }

    @Test
    void unfetchableSecretsStillLetTheFunctionStart() throws Exception {
        proxy.hold();
        Config config = new Config(dir(), List.of(SecretSpec.of("db", moto.name("db"))), Duration.ZERO,
                Duration.ofMillis(300), false, Log.Level.INFO, Config.RuntimeStart.OVERLAP, "test");
        Future<Integer> run = start(config, Map.of());
        api.awaitNextCalls(1);
        SecretValue.Failure failure = (SecretValue.Failure) manifest().secrets().get("db").value();
        assertEquals("Timeout", failure.code());
        assertEquals(0, shutdown(run));
    }
}
