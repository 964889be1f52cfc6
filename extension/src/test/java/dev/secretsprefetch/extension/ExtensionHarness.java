package dev.secretsprefetch.extension;

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
 * The real extension, in-process, against the fake Extensions API and moto behind the fault-injecting proxy,
 * with its log captured and a clock that runs in real time but can be moved forward.
 */
final class ExtensionHarness implements AutoCloseable {

    final FakeExtensionsApi api = new FakeExtensionsApi();
    final SecretsManagerProxy proxy = new SecretsManagerProxy(MotoSecrets.moto().endpoint());
    final MovableClock clock = new MovableClock();
    final Path dir;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private Future<Integer> run;

    ExtensionHarness(Path dir) {
        this.dir = dir;
    }

    static Config config(Path dir, List<SecretSpec> secrets, Duration fetchDeadline, Duration refreshInterval) {
        return new Config(dir, secrets, refreshInterval, fetchDeadline, false, Log.Level.DEBUG,
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
        Extension extension = new Extension(config, Environment.from(env), new ExtensionsApi(api.runtimeApi()),
                "secrets-prefetch", new Log(config.logLevel(), new PrintStream(logged, true, StandardCharsets.UTF_8)),
                clock);
        api.onRegister(atRegister);
        run = runner.submit(extension::run);
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
        return logged.toString(StandardCharsets.UTF_8);
    }

    /** Whether the extension's run has ended, and with which status. */
    Optional<Integer> exitStatus(Duration wait) throws Exception {
        try {
            return Optional.of(run.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        }
    }

    int shutdown() throws Exception {
        api.shutdown();
        return run.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
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
