// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.config.Config;
import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.extension.config.ValueSpec;
import dev.secretsprefetch.extension.lambda.ExtensionsApi;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The real extension against the fake Extensions API and moto behind the fault-injecting proxy, with its log
 * captured: in-process, with a clock that runs in real time but can be moved forward, or as a process, the layer's
 * {@code extensions/secrets-prefetch} (the black-box tests: {@link #running(Path, Path)}), whose clock is the real
 * one.
 */
final class ExtensionHarness implements AutoCloseable {

    final FakeExtensionsApi api = new FakeExtensionsApi();
    final SecretsManagerProxy proxy = new SecretsManagerProxy(MotoSecrets.moto().endpoint());
    final MovableClock clock = new MovableClock();
    final Path dir;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private final Optional<Path> executable;
    private Future<Integer> run;
    private ExtensionProcess process;

    /** The extension in this JVM. */
    ExtensionHarness(Path dir) {
        this(dir, Optional.empty());
    }

    private ExtensionHarness(Path dir, Optional<Path> executable) {
        this.dir = dir;
        this.executable = executable;
    }

    /** The extension as Lambda runs it: {@code executable} started with the configuration in a file. */
    static ExtensionHarness running(Path executable, Path dir) {
        return new ExtensionHarness(dir, Optional.of(executable));
    }

    static Config config(Path dir, List<? extends ValueSpec> secrets, Duration fetchDeadline,
            Duration refreshInterval) {
        return new Config(dir, List.copyOf(secrets), refreshInterval, fetchDeadline, false, Log.Level.DEBUG,
                Config.RuntimeStart.OVERLAP, "test");
    }

    /** Starts the extension; the manifest's deadline as it was when the extension registered is kept. */
    void start(Config config, Map<String, String> extraEnv) throws Exception {
        start(config, extraEnv, () -> {
            try {
                return ManifestFiles.read(dir).map(m -> m.state() + " " + m.deadlineEpochMs()).orElse("absent");
            } catch (Exception e) {
                return "unreadable: " + e.getClass().getSimpleName();
            }
        });
    }

    /** Starts the extension; {@code atRegister} describes what it finds while the extension registers. */
    void start(Config config, Map<String, String> extraEnv, Supplier<String> atRegister) throws Exception {
        Map<String, String> env = new HashMap<>(MotoSecrets.environment(proxy.endpoint(), api.runtimeApi()));
        env.putAll(extraEnv);
        api.onRegister(atRegister);
        if (executable.isPresent()) {
            process = ExtensionProcess.start(executable.get(), config, env);
            return;
        }
        Extension extension = new Extension(config, Environment.from(env), new ExtensionsApi(api.runtimeApi()),
                "secrets-prefetch", new Log(config.logLevel(), new PrintStream(logged, true, StandardCharsets.UTF_8)),
                clock);
        run = runner.submit(extension::run);
    }

    /**
     * Lets {@code time} pass for the extension: the in-process clock moves forward at once; a process waits it out
     * in real time (tests keep it to a few seconds).
     */
    void passTime(Duration time) throws InterruptedException {
        if (executable.isPresent()) {
            Thread.sleep(time.toMillis());
        } else {
            clock.advance(time);
        }
    }

    /** Starts the extension and waits until it asks for its first event: the function's init may end. */
    void startAndAwaitInit(Config config) throws Exception {
        start(config, Map.of());
        api.awaitNextCalls(1);
    }

    /** The deadline of the pending manifest readers saw while the extension registered. */
    long pendingDeadlineAtRegister() {
        String seen = api.registrations.get(0).observedAtRegister();
        if (!seen.startsWith("PENDING ")) {
            throw new AssertionError("no pending manifest at registration: " + seen);
        }
        return Long.parseLong(seen.substring("PENDING ".length()));
    }

    /** Sends an INVOKE with 30 s to go and waits until the extension is done with it. */
    void invoke() throws InterruptedException {
        api.invoke(clock.millis() + 30_000);
        api.awaitNextCalls(1);
    }

    Manifest manifest() throws Exception {
        return ManifestFiles.read(dir).orElseThrow(() -> new AssertionError("no manifest in " + dir));
    }

    Optional<Manifest> manifestIfAny() throws Exception {
        return ManifestFiles.read(dir);
    }

    static String text(SecretEntry entry) {
        if (!(entry.value() instanceof SecretValue.Text text)) {
            throw new AssertionError("expected a text value, found " + entry.value().getClass().getSimpleName()
                    + (entry.value() instanceof SecretValue.Failure f ? " " + f.code() + ": " + f.message() : ""));
        }
        return text.value();
    }

    static SecretValue.Failure failure(SecretEntry entry) {
        if (!(entry.value() instanceof SecretValue.Failure failure)) {
            throw new AssertionError("expected an error entry, found a value");
        }
        return failure;
    }

    String log() {
        return process != null ? process.output() : logged.toString(StandardCharsets.UTF_8);
    }

    /** Whether the extension's run has ended, and with which status. */
    Optional<Integer> exitStatus(Duration wait) throws Exception {
        if (process != null) {
            return process.exitStatus(wait);
        }
        try {
            return Optional.of(run.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        }
    }

    int shutdown() throws Exception {
        api.shutdown();
        return exitStatus(Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("the extension did not exit within 30 s of SHUTDOWN"));
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
        runner.shutdownNow();
        api.close();
        proxy.close();
    }

    /** Real time, plus however far a test has moved it forward. */
    static final class MovableClock extends Clock {
        private final AtomicLong offset = new AtomicLong();

        void advance(Duration duration) {
            offset.addAndGet(duration.toMillis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offset.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
