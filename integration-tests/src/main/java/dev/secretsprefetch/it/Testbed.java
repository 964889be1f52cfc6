// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.manifest.ManifestFormatException;
import dev.secretsprefetch.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * What the demo, the benchmark and the black-box tests run on: moto with a few secrets, the latency proxy in
 * front of it, and the example functions configured with and without the layer (builders, so a test can add
 * its own variables before {@code build()}).
 */
final class Testbed implements AutoCloseable {

    /** The extension's executable name in the layer. */
    static final String EXTENSION = "secrets-prefetch";
    static final String SECRETS_HANDLER = "dev.secretsprefetch.examples.SecretsHandler";
    static final String SDK_IN_INIT_HANDLER = "dev.secretsprefetch.examples.SdkInInitHandler";
    static final String NO_SECRETS_HANDLER = "dev.secretsprefetch.examples.NoSecretsHandler";

    /** One cold start: init, the first invoke, who called Secrets Manager, and the extension's numbers. */
    record ColdStart(InitReport init, InvokeResult firstInvoke, Map<String, Map<String, Long>> calls,
            Optional<Long> extensionRssKb, Optional<Duration> extensionToFirstCall,
            Optional<Duration> extensionToManifestReady) {
    }

    private final MotoServer moto;
    private final boolean ownsMoto;
    private final SecretsManagerProxy proxy;
    private final Path work;
    private final SecretsManagerClient secretsManager;
    private final SsmClient ssm;
    private final List<String> secretIds = new ArrayList<>();
    /** Each secret's current value, and every value it ever had (to look for leaks). */
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final Set<String> everyValue = ConcurrentHashMap.newKeySet();
    private final AtomicInteger rotations = new AtomicInteger();

    private Testbed(MotoServer moto, boolean ownsMoto, SecretsManagerProxy proxy, Path work) {
        this.moto = moto;
        this.ownsMoto = ownsMoto;
        this.proxy = proxy;
        this.work = work;
        // Straight to moto, not through the proxy: the testbed's own calls are not the function's.
        this.secretsManager = SecretsManagerClient.builder().endpointOverride(moto.endpoint())
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        this.ssm = SsmClient.builder().endpointOverride(moto.endpoint())
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Starts a moto of its own and the proxy, and creates {@code names} as secrets under {@code prefix}. */
    static Testbed start(String prefix, List<String> names, Duration latency) throws IOException {
        return start(MotoServer.start(), true, prefix, names, latency);
    }

    /** The same on a moto the caller owns, e.g. {@code MotoServer.shared()} (use a unique prefix). */
    static Testbed on(MotoServer moto, String prefix, List<String> names, Duration latency) throws IOException {
        return start(moto, false, prefix, names, latency);
    }

    private static Testbed start(MotoServer moto, boolean ownsMoto, String prefix, List<String> names,
            Duration latency) throws IOException {
        Testbed testbed = new Testbed(moto, ownsMoto, SecretsManagerProxy.start(moto.endpoint()),
                Files.createTempDirectory("secrets-prefetch-testbed-"));
        for (String name : names) {
            String id = prefix + name;
            // A fake, distinctive value: a leak into any output would be easy to find.
            String value = "testbed-fake-" + name + "-spv-Ww4f";
            testbed.secretsManager.createSecret(r -> r.name(id).secretString(value));
            testbed.remember(id, value);
            testbed.secretIds.add(id);
        }
        testbed.proxy.latency(latency);
        return testbed;
    }

    private void remember(String secretId, String value) {
        values.put(secretId, value);
        everyValue.add(value);
    }

    /** The name a secret has in the layer's configuration: the last part of its id ({@code db} for {@code demo/db}). */
    static String nameOf(String secretId) {
        return secretId.substring(secretId.lastIndexOf('/') + 1);
    }

    /** {@code name=id,...} for {@code SECRETS_PREFETCH_SECRETS}. */
    static String inlineConfiguration(List<String> secretIds) {
        return String.join(",", secretIds.stream().map(id -> nameOf(id) + "=" + id).toList());
    }

    /**
     * A Java example function reading every secret ({@code SECRET_IDS}), through the proxy as "function";
     * with the layer, the extension prefetches them all, through the proxy as "extension".
     */
    LambdaFunction.Builder java(String name, String handlerClass, boolean withLayer) {
        return java(name, handlerClass, withLayer ? Optional.of(Locations.requireLayerZip()) : Optional.empty());
    }

    /** The same with {@code layer}, e.g. the Amazon Linux 2 layer next to the one under test. */
    LambdaFunction.Builder java(String name, String handlerClass, Optional<Path> layer) {
        Path code = Locations.javaExamples();
        if (!Files.exists(code.resolve(handlerClass.replace('.', '/') + ".class"))) {
            throw new IllegalStateException(handlerClass + " is not built (no class in " + code + "); it needs the "
                    + "Java client (dev.secretsprefetch.Secrets) in the build; build with: " + Locations.BUILD_COMMAND);
        }
        return configure(LambdaFunction.builder().name(name).runtime(FunctionRuntime.java())
                .handler(handlerClass + "::handleRequest").taskDirectory(code), layer);
    }

    /**
     * The Ruby example function. Without the layer it brings the shim itself (copied from the layer's
     * {@code ruby/lib}), as a function that vendors the gem does.
     */
    LambdaFunction.Builder ruby(String name, String handler, boolean withLayer) throws IOException {
        return script(name, FunctionRuntime.ruby(), handler, Locations.rubyExamples(), "/ruby/lib", "", withLayer);
    }

    /**
     * The Python example function. Without the layer it brings the client itself (copied from the layer's
     * {@code python/}), as a function that vendors the package does; boto3 is the runtime's.
     */
    LambdaFunction.Builder python(String name, String handler, boolean withLayer) throws IOException {
        return script(name, FunctionRuntime.python(), handler, Locations.pythonExamples(), "/python", "", withLayer);
    }

    /**
     * The Node.js example function. Without the layer it brings the client itself (copied from the layer's
     * {@code nodejs/node_modules} into its own {@code node_modules}), as a function that bundles the package
     * does; the AWS SDK is the runtime's.
     */
    LambdaFunction.Builder node(String name, String handler, boolean withLayer) throws IOException {
        return script(name, FunctionRuntime.node(), handler, Locations.nodeExamples(), "/nodejs/node_modules",
                "node_modules", withLayer);
    }

    /**
     * A function of a language whose client the layer carries: with the layer, its code as built; without it, a
     * copy of its code with the client from the layer's {@code layerClient} directory in {@code vendoredAs}.
     */
    private LambdaFunction.Builder script(String name, FunctionRuntime runtime, String handler, Path examples,
            String layerClient, String vendoredAs, boolean withLayer) throws IOException {
        Path task = examples;
        if (!withLayer) {
            task = Files.createDirectories(work.resolve(runtime.id() + "-task-" + name));
            copyTree(examples, task);
            try (FileSystem layer = FileSystems.newFileSystem(Locations.requireLayerZip())) {
                copyTree(layer.getPath(layerClient), task.resolve(vendoredAs));
            }
        }
        return configure(LambdaFunction.builder().name(name).runtime(runtime).handler(handler).taskDirectory(task),
                withLayer ? Optional.of(Locations.requireLayerZip()) : Optional.empty());
    }

    private LambdaFunction.Builder configure(LambdaFunction.Builder builder, Optional<Path> layer) {
        builder.environment("SECRET_IDS", String.join(",", secretIds))
                .environment("AWS_ENDPOINT_URL_SECRETS_MANAGER", proxy.endpoint("function").toString())
                .environment("AWS_ENDPOINT_URL_SSM", proxy.endpoint("function").toString())
                .sandboxParent(work);
        if (layer.isPresent()) {
            builder.layer(layer.get())
                    .environment("SECRETS_PREFETCH_SECRETS", inlineConfiguration(secretIds))
                    .processEnvironment(EXTENSION, "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                            proxy.endpoint("extension").toString())
                    .processEnvironment(EXTENSION, "AWS_ENDPOINT_URL_SSM", proxy.endpoint("extension").toString());
        }
        return builder;
    }

    /** The proxy every process of these functions calls Secrets Manager through. */
    SecretsManagerProxy proxy() {
        return proxy;
    }

    /** The secret ids created, in order. */
    List<String> secretIds() {
        return List.copyOf(secretIds);
    }

    /** The id of the secret created as {@code name}. */
    String secretId(String name) {
        return secretIds.stream().filter(id -> nameOf(id).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no secret " + name + " in " + secretIds));
    }

    /** What the example functions answer for a secret's current value: its SHA-256, in hex. */
    String fingerprint(String secretId) {
        String value = values.get(secretId);
        if (value == null) {
            throw new IllegalArgumentException("the testbed did not create " + secretId);
        }
        return sha256(value);
    }

    /** Gives a secret a new value (PutSecretValue, which moves AWSCURRENT), as a rotation does. */
    void rotate(String secretId) {
        String value = "testbed-fake-" + nameOf(secretId) + "-rotated-" + rotations.incrementAndGet() + "-spv-Ww4f";
        secretsManager.putSecretValue(r -> r.secretId(secretId).secretString(value));
        remember(secretId, value);
    }

    /**
     * Puts SSM parameter {@code name} (a new version when it exists) with a fake, distinctive value; returns the
     * version. {@link #fingerprint} then knows its value by the parameter's name.
     */
    long putParameter(String name, ParameterType type, String valuePart) {
        String value = type == ParameterType.STRING_LIST
                ? "testbed-fake-" + valuePart + "-spv-Ww4f,second-item-spv-Ww4f"
                : "testbed-fake-" + valuePart + "-spv-Ww4f";
        long version = ssm.putParameter(r -> r.name(name).type(type).value(value).overwrite(true)).version();
        remember(name, value);
        return version;
    }

    /** Whether {@code text} contains any value a secret of this testbed has or had. */
    boolean containsAnyValue(String text) {
        return everyValue.stream().anyMatch(text::contains);
    }

    /**
     * Writes a configuration file for the extension and points the function at it
     * ({@code SECRETS_PREFETCH_CONFIG}, instead of {@code SECRETS_PREFETCH_SECRETS}).
     */
    LambdaFunction.Builder withConfigFile(LambdaFunction.Builder builder, String json) throws IOException {
        Path file = Files.createTempFile(work, "secrets-prefetch-", ".json");
        Files.writeString(file, json);
        return builder.removeEnvironment("SECRETS_PREFETCH_SECRETS")
                .environment("SECRETS_PREFETCH_CONFIG", file.toString());
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** One cold start and its first invoke; fails with the environment's diagnostics if either fails. */
    ColdStart coldStart(LambdaFunction function) throws IOException, InterruptedException {
        proxy.resetCounts();
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            if (!lambda.init().succeeded()) {
                throw new IllegalStateException("cold start of " + function.name() + " failed: "
                        + lambda.init().error().get() + "\n" + lambda.diagnostics());
            }
            Optional<FunctionProcess> extension = Optional.ofNullable(lambda.extensions().get(EXTENSION));
            Optional<Long> rss = extension.flatMap(FunctionProcess::residentKilobytes);
            Optional<Duration> manifestReady = extension.flatMap(e -> manifestReady(lambda.secretsDirectory(), e));
            Optional<Duration> firstCall = extension.flatMap(e -> proxy.calls().stream()
                    .filter(c -> c.caller().equals("extension")).findFirst()
                    .map(c -> Duration.ofMillis(c.receivedEpochMs() - e.startEpochMs())));
            InvokeResult first = lambda.invoke("{}");
            if (!first.succeeded()) {
                throw new IllegalStateException("first invoke of " + function.name() + " failed: " + first + " "
                        + first.bodyText() + "\n" + lambda.diagnostics());
            }
            return new ColdStart(lambda.init(), first, proxy.counts(), rss, firstCall, manifestReady);
        }
    }

    /** The extension's exec until it wrote its first ready manifest (the manifest's own timestamp). */
    private static Optional<Duration> manifestReady(Path secretsDirectory, FunctionProcess extension) {
        try {
            return ManifestFiles.read(secretsDirectory).filter(m -> m.state() == Manifest.State.READY)
                    .map(m -> Duration.ofMillis(m.writtenAtEpochMs() - extension.startEpochMs()));
        } catch (IOException | ManifestFormatException e) {
            return Optional.empty();
        }
    }

    /** Calls per caller and operation in a line, e.g. {@code extension: 1 BatchGetSecretValue}. */
    static String describeCalls(Map<String, Map<String, Long>> calls) {
        if (calls.isEmpty()) {
            return "none";
        }
        List<String> callers = new ArrayList<>();
        calls.forEach((caller, operations) -> {
            List<String> counts = new ArrayList<>();
            operations.forEach((operation, n) -> counts.add(n + " " + operation));
            callers.add(caller + ": " + String.join(", ", counts));
        });
        return String.join("; ", callers);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        proxy.close();
        secretsManager.close();
        ssm.close();
        if (ownsMoto) {
            moto.close();
        }
        ManifestFilesWriter.deleteDirectory(work);
    }
}
