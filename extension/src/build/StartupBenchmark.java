// SPDX-License-Identifier: Apache-2.0
/*
 * Start-up benchmark of the layers' extension, side by side: the native layer and the Amazon Linux 2 (JVM)
 * layer, next to a hello-world on the JVM layer's runtime. Not shipped and not part of the extension:
 * startup-benchmark.sh runs it with the Temurin JDK's source launcher.
 *
 *   java [-Dcases=3,3+100,50+100,3:tls] [-Didle=6000] src/build/StartupBenchmark.java LAYER_DIR MOTO_URL RUNS [VARIANT ...]
 *
 * LAYER_DIR is an unpacked layer zip, native or JVM. One discarded warm-up round, then RUNS rounds; every round
 * runs each case once, in turn, the order reversed every other round, so a noisy machine slows all of them alike:
 *
 *   hello-world, own AOT cache   (with a JVM layer) a hello-world class on that layer's runtime with its
 *                                jvm.options and an AOT cache of its own (trained here first, as the layer's is):
 *                                exec -> its line on stdout
 *   hello-world, no CDS          the same without a cache (the bundled runtime has no default CDS archive)
 *   --help (the image's floor)   (per native layer) the executable printing its usage: exec -> its output. What
 *                                every start of that image costs before any of the extension's own work (the
 *                                isolate, the JDK libraries' set-up, the environment), next to which to read
 *                                the time to registered
 *   N secrets[, +L ms per call]  the extension in extension mode against a loopback Extensions API and moto,
 *                                directly or behind a forwarder that delays every Secrets Manager call by L ms:
 *                                exec -> it registered, and exec -> its first /event/next, which it sends right
 *                                after the ready manifest. 50 secrets take 3 BatchGetSecretValue calls (at most 20
 *                                ids each)
 *   N secrets, over TLS          (-Dcases=3:tls) through a loopback TLS forwarder, so that the extension sets up
 *                                TLS and makes a handshake, as in Lambda (see tlsForwarder)
 *
 * Reported per case: median time to registered and to ready; CPU time of all threads by then (schedstat); RSS
 * (VmRSS) at that moment, RSS after idling -Didle ms (default 6 s: the JVM frees its compiler arenas every 5 s)
 * and the peak (VmHWM, highest of all runs); for cases behind the forwarder, the slowest call of the run as the
 * forwarder saw it (the added latency plus moto's own time): what "one round trip" is for that case.
 *
 * A VARIANT measures another layer, or one lever at a time, NAME=SPEC:
 *   NAME=@LAYER:/dir      the extension of another unpacked layer (e.g. the JVM one next to the native one, or
 *                         one built with other options)
 *   NAME=ARG ARG ...      the first JVM layer's JVM started directly with these arguments instead of the
 *                         launcher's: @OPTIONS is its jvm.options, @AOT its -XX:AOTCache=..., and env:K=V sets an
 *                         environment variable (the launcher sets MALLOC_ARENA_MAX=2); env:K=V alone, without
 *                         arguments, runs the first layer's extension with that variable
 */

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

public class StartupBenchmark {

    /** Runs {@code layerDir}'s extension, or, with {@code jvmArgs}, the first JVM layer's JVM directly. */
    record Variant(String name, Path layerDir, List<String> jvmArgs, Map<String, String> env) {
        boolean launcher() {
            return jvmArgs == null;
        }

        boolean jvm() {
            return isJvmLayer(layerDir);
        }
    }

    /** @param tls whether the calls go over TLS (through a loopback TLS forwarder) instead of plain HTTP */
    record Case(String label, Variant variant, int secrets, int latencyMs, boolean tls) {
    }

    /**
     * One run: wall time to registered (-1 for a hello-world) and to ready, CPU time of all its threads by then,
     * memory (-1 where not measured), and the longest Secrets Manager call as the forwarder saw it (latency
     * included), or -1.
     */
    record Sample(double registeredMs, double ms, double cpuMs, long rssReadyKb, long rssIdleKb, long peakKb,
            double slowestCallMs) {
    }

    /** How long the extension idles after its first /event/next before its RSS is read again. */
    static final long IDLE_MS = Long.getLong("idle", 6000);

    static Path layer;
    /** The first JVM layer's secrets-prefetch/ (runtime, lib, jvm.options), or null without one. */
    static Path home;
    static Path work;
    static String moto;

    public static void main(String[] args) throws Exception {
        layer = Path.of(args[0]).toAbsolutePath();
        moto = args[1];
        int runs = Integer.parseInt(args[2]);
        work = Files.createTempDirectory("startup-benchmark");
        List<String> specs = Arrays.asList(args).subList(3, args.length);
        home = java.util.stream.Stream.concat(java.util.stream.Stream.of(layer), specs.stream()
                        .filter(v -> v.contains("=@LAYER:"))
                        .map(v -> Path.of(v.substring(v.indexOf("=@LAYER:") + 8)).toAbsolutePath()))
                .filter(StartupBenchmark::isJvmLayer).findFirst().map(l -> l.resolve("secrets-prefetch")).orElse(null);
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant(isJvmLayer(layer) ? "JVM layer" : "native layer", layer, null, Map.of()));
        for (String spec : specs) {
            variants.add(variant(spec));
        }
        createSecrets(50);
        Path hello = home == null ? null : helloWorld();

        List<Case> cases = new ArrayList<>();
        String only = System.getProperty("cases", "3,3+100,50+100");
        for (Variant variant : variants) {
            for (String spec : only.split(",")) {
                boolean tls = spec.endsWith(":tls");
                String[] parts = spec.replace(":tls", "").split("\\+");
                int secrets = Integer.parseInt(parts[0]);
                int latency = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
                if (tls && latency > 0) {
                    throw new IllegalArgumentException("a TLS case takes no added latency: " + spec);
                }
                cases.add(new Case(secrets + " secrets" + (latency > 0 ? ", +" + latency + " ms per call" : "")
                        + (tls ? ", over TLS" : ""), variant, secrets, latency, tls));
            }
        }
        int latencyMs = cases.stream().mapToInt(Case::latencyMs).max().orElse(0);
        if (cases.stream().anyMatch(c -> c.latencyMs() != 0 && c.latencyMs() != latencyMs)) {
            throw new IllegalArgumentException("all cases with latency must have the same latency");
        }
        HttpServer forwarder = forward(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                0), latencyMs);
        String forwarderUrl = "http://127.0.0.1:" + forwarder.getAddress().getPort();
        HttpServer tlsForwarder = cases.stream().anyMatch(Case::tls) ? tlsForwarder(variants) : null;
        String tlsUrl = tlsForwarder == null ? null : "https://127.0.0.1:" + tlsForwarder.getAddress().getPort();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        String helloAot = "hello-world, own AOT cache";
        String helloPlain = "hello-world, no CDS";
        if (hello != null) {
            samples.put(helloAot, new ArrayList<>());
            samples.put(helloPlain, new ArrayList<>());
        }
        List<Variant> natives = variants.stream().filter(v -> v.launcher() && !v.jvm()).toList();
        natives.forEach(v -> samples.put(floorKey(v), new ArrayList<>()));
        cases.forEach(c -> samples.put(key(c), new ArrayList<>()));
        for (int round = 0; round <= runs; round++) {
            boolean warmUp = round == 0;
            List<Runnable> order = new ArrayList<>();
            if (hello != null) {
                order.add(() -> record(samples, helloAot, warmUp, hello(hello, true)));
                order.add(() -> record(samples, helloPlain, warmUp, hello(hello, false)));
            }
            for (Variant v : natives) {
                order.add(() -> record(samples, floorKey(v), warmUp, floor(v)));
            }
            for (Case c : cases) {
                order.add(() -> record(samples, key(c), warmUp,
                        extension(c, c.tls() ? tlsUrl : c.latencyMs() == 0 ? moto : forwarderUrl)));
            }
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            order.forEach(Runnable::run);
            System.err.print(warmUp ? "warm-up done; rounds: " : round + " ");
        }
        System.err.println();
        forwarder.stop(0);
        if (tlsForwarder != null) {
            tlsForwarder.stop(0);
        }
        report(samples, runs);
        try (var files = Files.walk(work)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    static String key(Case c) {
        return c.label() + " | " + c.variant().name();
    }

    static String floorKey(Variant v) {
        return "--help (the image's floor) | " + v.name();
    }

    static void record(Map<String, List<Sample>> samples, String key, boolean warmUp, Sample sample) {
        if (!warmUp) {
            samples.get(key).add(sample);
        }
    }

    static boolean isJvmLayer(Path layerDir) {
        return Files.isRegularFile(layerDir.resolve("secrets-prefetch/runtime/bin/java"));
    }

    static Variant variant(String spec) {
        int eq = spec.indexOf('=');
        if (spec.startsWith("@LAYER:", eq + 1)) {
            return new Variant(spec.substring(0, eq), Path.of(spec.substring(eq + 8)).toAbsolutePath(), null, Map.of());
        }
        List<String> args = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (String token : spec.substring(eq + 1).trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            } else if (token.startsWith("env:")) {
                String[] kv = token.substring(4).split("=", 2);
                env.put(kv[0], kv[1]);
            } else if (token.equals("@OPTIONS")) {
                args.add("@" + home.resolve("jvm.options"));
            } else if (token.equals("@AOT")) {
                args.add("-XX:AOTCache=" + home.resolve("secrets-prefetch.aot"));
            } else {
                args.add(token);
            }
        }
        if (args.isEmpty()) {
            return new Variant(spec.substring(0, eq), layer, null, env);
        }
        if (home == null) {
            throw new IllegalArgumentException("a variant with JVM arguments needs a JVM layer: " + spec);
        }
        return new Variant(spec.substring(0, eq), home.getParent(), args, env);
    }

    // ---- hello-world ----

    static Path helloWorld() throws Exception {
        Path dir = work.resolve("hello");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Hello.java"),
                "public class Hello { public static void main(String[] a) throws Exception {"
                        // Waits for end of input after its line, so that its CPU time can be read.
                        + " System.out.println(\"hello\"); System.in.read(); } }");
        String javac = Path.of(System.getProperty("java.home"), "bin", "javac").toString();
        run(List.of(javac, "--release", "21", "-d", dir.resolve("classes").toString(),
                dir.resolve("Hello.java").toString()));
        // A class-path entry of the AOT cache must be a jar, not a directory.
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "jar").toString(), "--create", "--file",
                dir.resolve("hello.jar").toString(), "-C", dir.resolve("classes").toString(), "."));
        List<String> train = new ArrayList<>(helloCommand(dir, false));
        train.set(train.indexOf("-Xshare:auto"), "-XX:AOTCacheOutput=" + dir.resolve("hello.aot"));
        run(train);
        return dir;
    }

    static List<String> helloCommand(Path dir, boolean aot) {
        List<String> command = new ArrayList<>(List.of(home.resolve("runtime/bin/java").toString(),
                "@" + home.resolve("jvm.options")));
        command.add(aot ? "-XX:AOTCache=" + dir.resolve("hello.aot") : "-Xshare:auto");
        command.addAll(List.of("-cp", dir.resolve("hello.jar").toString(), "Hello"));
        return command;
    }

    static Sample hello(Path dir, boolean aot) {
        try {
            long started = System.nanoTime();
            Process process = new ProcessBuilder(helloCommand(dir, aot)).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            double lineMs = (System.nanoTime() - started) / 1e6;
            double cpuMs = cpuMs(process);
            long rss = status(process, "VmRSS");
            process.getOutputStream().close();
            process.waitFor();
            if (!"hello".equals(line)) {
                throw new IllegalStateException("hello-world printed " + line);
            }
            return new Sample(-1, lineMs, cpuMs, rss, -1, -1, -1);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The native executable printing its usage: exec -> its first byte on stdout; CPU and memory are not read. */
    static Sample floor(Variant v) {
        try {
            long started = System.nanoTime();
            Process process = new ProcessBuilder(v.layerDir().resolve("extensions/secrets-prefetch").toString(),
                    "--help").redirectErrorStream(true).start();
            InputStream out = process.getInputStream();
            int first = out.read();
            double ms = (System.nanoTime() - started) / 1e6;
            out.readAllBytes();
            int status = process.waitFor();
            if (first < 0) {
                throw new IllegalStateException("secrets-prefetch --help printed nothing");
            }
            if (status != 0) {
                throw new IllegalStateException("secrets-prefetch --help exited with " + status);
            }
            return new Sample(-1, ms, -1, -1, -1, -1, -1);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the extension ----

    static Sample extension(Case c, String endpoint) {
        CALL_NANOS.clear();
        try {
            Path dir = work.resolve("secrets");
            Path config = work.resolve("config-" + c.secrets() + ".json");
            Files.writeString(config, IntStream.range(0, c.secrets())
                    .mapToObj(i -> "{\"name\":\"s" + i + "\",\"secretId\":\"bench/s" + i + "\"}")
                    .collect(Collectors.joining(",", "{\"secrets\":[", "]}")));
            try (FakeApi api = new FakeApi()) {
                List<String> command = new ArrayList<>();
                if (c.variant().launcher()) {
                    command.add(c.variant().layerDir().resolve("extensions/secrets-prefetch").toString());
                } else {
                    command.add(home.resolve("runtime/bin/java").toString());
                    command.addAll(c.variant().jvmArgs());
                    command.addAll(List.of("-Dsecretsprefetch.extension.name=secrets-prefetch", "-cp",
                            home.resolve("lib/secrets-prefetch-extension.jar").toString(),
                            "dev.secretsprefetch.extension.Main"));
                }
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(work.resolve("extension.log").toFile());
                Map<String, String> env = builder.environment();
                env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SECRETS_PREFETCH_"));
                env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.port());
                env.put("AWS_REGION", "us-east-1");
                env.put("AWS_ACCESS_KEY_ID", "testing");
                env.put("AWS_SECRET_ACCESS_KEY", "testing");
                env.put("AWS_SESSION_TOKEN", "testing");
                env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint);
                env.put("SECRETS_PREFETCH_CONFIG", config.toString());
                env.put("SECRETS_PREFETCH_DIR", dir.toString());
                if (c.tls() && !c.variant().jvm()) {
                    env.put("AWS_CA_BUNDLE", nativeCaBundle.toString());
                }
                env.putAll(c.variant().env());
                long started = System.nanoTime();
                Process process = builder.start();
                Long nextAt = api.firstNext.poll(60, TimeUnit.SECONDS);
                if (nextAt == null) {
                    process.destroyForcibly();
                    throw new IllegalStateException(key(c) + ": no /event/next within 60 s; log:\n"
                            + Files.readString(work.resolve("extension.log")));
                }
                double ms = (nextAt - started) / 1e6;
                double registeredMs = (api.registeredAt.poll(1, TimeUnit.SECONDS) - started) / 1e6;
                double cpuMs = cpuMs(process);
                long rssReady = status(process, "VmRSS");
                Thread.sleep(IDLE_MS);
                long rssIdle = status(process, "VmRSS");
                long peak = status(process, "VmHWM");
                String manifest = Files.readString(dir.resolve("manifest.json"));
                long fetched = manifest.split("\"secretString\"", -1).length - 1;
                if (!manifest.matches("(?s).*\"state\"\\s*:\\s*\"ready\".*") || fetched != c.secrets()) {
                    throw new IllegalStateException(key(c) + ": manifest not ready with " + c.secrets()
                            + " values; log:\n" + Files.readString(work.resolve("extension.log")));
                }
                api.shutdown();
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException(key(c) + ": no clean exit after SHUTDOWN; log:\n"
                            + Files.readString(work.resolve("extension.log")));
                }
                double slowest = c.latencyMs() == 0 ? -1 : CALL_NANOS.stream().mapToLong(Long::longValue).max()
                        .orElse(0) / 1e6;
                CALL_NANOS.clear();
                return new Sample(registeredMs, ms, cpuMs, rssReady, rssIdle, peak, slowest);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CPU time of the process's threads so far (those that exited are not counted): schedstat's first field. */
    static double cpuMs(Process process) throws IOException {
        long ns = 0;
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    ns += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                } catch (java.nio.file.NoSuchFileException e) {
                    // The thread ended meanwhile.
                }
            }
        }
        return ns / 1e6;
    }

    static long status(Process process, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + field);
    }

    /** The Extensions API: register, the first /event/next is the "ready" signal, then SHUTDOWN on demand. */
    static final class FakeApi implements AutoCloseable {
        final HttpServer server;
        final BlockingQueue<Long> firstNext = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> registeredAt = new LinkedBlockingQueue<>();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        FakeApi() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/2020-01-01/extension/register", exchange -> {
                registeredAt.add(System.nanoTime());
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Lambda-Extension-Identifier", "benchmark");
                respond(exchange, 200, "{}", "application/json");
            });
            server.createContext("/2020-01-01/extension/event/next", exchange -> {
                firstNext.add(System.nanoTime());
                try {
                    respond(exchange, 200, events.take(), "application/json");
                } catch (InterruptedException e) {
                    exchange.close();
                }
            });
            server.createContext("/2020-01-01/extension/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                respond(exchange, 202, "{}", "application/json");
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        void shutdown() {
            events.add("{\"eventType\":\"SHUTDOWN\",\"shutdownReason\":\"spindown\",\"deadlineMs\":"
                    + (System.currentTimeMillis() + 2000) + "}");
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    // ---- Secrets Manager: moto, and a forwarder that adds latency ----

    static void createSecrets(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            HttpURLConnection connection = (HttpURLConnection) URI.create(moto).toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/x-amz-json-1.1");
            connection.setRequestProperty("X-Amz-Target", "secretsmanager.CreateSecret");
            connection.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/"
                    + "secretsmanager/aws4_request, SignedHeaders=host, Signature=0");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(("{\"Name\":\"bench/s" + i + "\",\"SecretString\":\"fake-bench-value-" + i + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            if (status >= 400 && !text.contains("ResourceExists")) {
                throw new IOException("moto CreateSecret: " + status + " " + text);
            }
        }
    }

    /** How long each forwarded call took, from its request read to its answer sent; one run's worth. */
    static final java.util.Queue<Long> CALL_NANOS = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** For native layers over TLS: the throw-away CA, as AWS_CA_BUNDLE (see tlsForwarder). */
    static Path nativeCaBundle;

    /**
     * A TLS forwarder on loopback with a throw-away CA's certificate for 127.0.0.1 (TlsFixture). A JVM layer gets
     * the CA added to its runtime's trust store (cacerts): it sets up TLS as in Lambda, with the JDK's ~145 roots
     * to read, validates the chain and makes a handshake. (An @LAYER directory keeps the CA in its cacerts.) A
     * native layer has its roots built in, parsed at build time, and no CA can be added to them at run time: it
     * gets the CA alone as AWS_CA_BUNDLE. Before the runs the forwarder serves a few hundred handshakes of this JVM,
     * so that its own TLS code is compiled and its side of each handshake takes what a real server's does.
     */
    static HttpServer tlsForwarder(List<Variant> variants) throws Exception {
        TlsFixture tls = TlsFixture.create(work.resolve("tls"));
        java.util.Set<Path> runtimes = new java.util.LinkedHashSet<>();
        variants.stream().filter(Variant::jvm).forEach(v -> runtimes.add(v.layerDir().resolve("secrets-prefetch/runtime")));
        for (Path runtime : runtimes) {
            tls.trustIn(runtime.resolve("lib/security/cacerts"));
        }
        nativeCaBundle = work.resolve("tls/ca.pem");
        com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls.serverContext()));
        forward(server, 0);
        javax.net.ssl.SSLSocketFactory client = tls.clientContext().getSocketFactory();
        for (int i = 0; i < 300; i++) {
            var connection = (javax.net.ssl.HttpsURLConnection) URI.create("https://127.0.0.1:"
                    + server.getAddress().getPort() + "/moto-api/").toURL().openConnection();
            connection.setSSLSocketFactory(client);
            connection.setRequestProperty("Connection", "close");
            connection.getResponseCode();
            connection.getInputStream().readAllBytes();
            connection.disconnect();
        }
        CALL_NANOS.clear();
        return server;
    }

    /** Forwards every request on {@code server} to moto after {@code latencyMs}; starts it. */
    static HttpServer forward(HttpServer server, int latencyMs) {
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r);
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", exchange -> {
            long started = System.nanoTime();
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Thread.sleep(latencyMs);
                HttpURLConnection connection = (HttpURLConnection) URI.create(moto + exchange.getRequestURI())
                        .toURL().openConnection();
                connection.setRequestMethod(exchange.getRequestMethod());
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")
                            && !name.equalsIgnoreCase("Connection")) {
                        values.forEach(v -> connection.addRequestProperty(name, v));
                    }
                });
                if (body.length > 0) {
                    connection.setDoOutput(true);
                    try (OutputStream out = connection.getOutputStream()) {
                        out.write(body);
                    }
                }
                int status = connection.getResponseCode();
                InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
                byte[] answer = in == null ? new byte[0] : in.readAllBytes();
                String type = connection.getContentType();
                respond(exchange, status, answer, type == null ? "application/x-amz-json-1.1" : type);
                CALL_NANOS.add(System.nanoTime() - started);
            } catch (InterruptedException e) {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    static void respond(HttpExchange exchange, int status, String body, String type) throws IOException {
        respond(exchange, status, body.getBytes(StandardCharsets.UTF_8), type);
    }

    static void respond(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    // ---- the report ----

    static void report(Map<String, List<Sample>> samples, int runs) {
        System.out.printf("%d rounds (+1 discarded warm-up), cases interleaved, order alternating; medians%n%n", runs);
        System.out.println("| case | variant | exec → registered | exec → ready (hello, --help: → its output) "
                + "| min–max | CPU ms | "
                + "RSS at ready | RSS idle " + IDLE_MS / 1000.0 + " s | peak RSS (max) | slowest call |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        samples.forEach((key, list) -> {
            String[] parts = key.split(" \\| ", 2);
            double ms = median(list, Sample::ms);
            double min = list.stream().mapToDouble(Sample::ms).min().orElse(0);
            double max = list.stream().mapToDouble(Sample::ms).max().orElse(0);
            boolean hello = list.get(0).rssIdleKb() < 0;
            double cpu = median(list, Sample::cpuMs);
            double slowest = median(list, Sample::slowestCallMs);
            System.out.printf("| %s | %s | %s | %s | %.0f–%.0f | %s | %s | %s | %s | %s |%n", parts[0],
                    parts.length > 1 ? parts[1] : "—",
                    hello ? "—" : String.format("%.1f ms", median(list, Sample::registeredMs)),
                    String.format(ms < 20 ? "%.1f ms" : "%.0f ms", ms), min, max,
                    cpu < 0 ? "—" : String.format("%.0f", cpu),
                    list.get(0).rssReadyKb() < 0 ? "—" : mb(median(list, s -> s.rssReadyKb())),
                    hello ? "—" : mb(median(list, s -> s.rssIdleKb())),
                    hello ? "—" : mb(list.stream().mapToLong(Sample::peakKb).max().orElse(0)),
                    slowest < 0 ? "—" : String.format("%.0f ms", slowest));
        });
    }

    static String mb(double kb) {
        return String.format("%.1f MB", kb / 1024);
    }

    static double median(List<Sample> list, java.util.function.ToDoubleFunction<Sample> f) {
        double[] values = list.stream().mapToDouble(f).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }
}
