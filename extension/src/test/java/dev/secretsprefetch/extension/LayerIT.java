// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native layer (Amazon Linux 2023 runtimes), unpacked into a temporary directory as a test harness would:
 * one native executable and the clients, nothing else; the executable run as Lambda runs it, against the fake
 * Extensions API and moto. The other black-box tests ({@code *IT}) run the same executable through every path of
 * docs/reliability.md, TLS, proxies and credentials.
 */
class LayerIT {

    private static final String LEGAL = "secrets-prefetch/legal/";

    private static Path unpacked;

    @TempDir
    Path tmp;

    private final MotoSecrets moto = new MotoSecrets();

    @BeforeAll
    static void unpack() {
        assumeTrue(Layers.nativeBuilt(), "no native layer: built with -DskipNativeBuild (LayerAl2IT covers the JVM "
                + "layer, and the other black-box tests run it)");
        unpacked = Layers.nativeLayer();
    }

    private static Path executable() {
        return Layers.extension(unpacked);
    }

    /** Every file in {@code dir}, relative to it, sorted. */
    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    /** Where the clients live in a layer: the runtimes' search paths under /opt. */
    static final List<String> CLIENT_DIRECTORIES = List.of("ruby/", "python/", "nodejs/");
    private static final Pattern BYTECODE =
            Pattern.compile("secrets_prefetch/__pycache__/(\\w+)\\.(cpython-3\\d+)\\.pyc");

    /**
     * The clients of the source tree, packaged on their runtimes' search paths: the same in both layers. Runtime
     * code only: no client's test support ({@code testing.*}), tests, benchmarks or dependencies.
     */
    static void assertClientsPackaged(Path layer) throws IOException {
        Path shim = Path.of(System.getProperty("secretsprefetch.ruby.lib", "../client-ruby-shim/lib"));
        assertEquals(files(shim), files(layer.resolve("ruby/lib")), "the Ruby shim under ruby/lib");
        assertPythonClientPackaged(layer.resolve("python"));
        assertNodeClientPackaged(layer.resolve("nodejs"));
        for (String dir : CLIENT_DIRECTORIES) {
            List<String> testing = files(layer.resolve(dir)).stream()
                    .filter(f -> Path.of(f).getFileName().toString().startsWith("testing")).toList();
            assertEquals(List.of(), testing, "test support is not shipped in " + dir);
        }
    }

    /** The package's modules and py.typed as in the source, without testing.py; their bytecode, nothing else. */
    private static void assertPythonClientPackaged(Path python) throws IOException {
        Path source = Path.of(System.getProperty("secretsprefetch.python.package",
                "../client-python/secrets_prefetch"));
        List<String> expected = files(source).stream().filter(f -> !f.contains("/"))
                .filter(f -> f.endsWith(".py") || f.equals("py.typed")).filter(f -> !f.equals("testing.py"))
                .map(f -> "secrets_prefetch/" + f).toList();
        assertTrue(expected.contains("secrets_prefetch/__init__.py"), "the Python client's sources at " + source);
        List<String> packaged = files(python);
        assertEquals(expected, packaged.stream().filter(f -> !f.contains("/__pycache__/")).toList(),
                "the Python client under python/");
        // Bytecode per Python version the build found (client-python/script/stage): every module, and only them.
        Map<String, List<String>> bytecode = new TreeMap<>();
        for (String file : packaged.stream().filter(f -> f.contains("/__pycache__/")).toList()) {
            Matcher pyc = BYTECODE.matcher(file);
            assertTrue(pyc.matches(), "only the modules' bytecode in __pycache__, not " + file);
            bytecode.computeIfAbsent(pyc.group(2), v -> new ArrayList<>())
                    .add("secrets_prefetch/" + pyc.group(1) + ".py");
        }
        assertFalse(bytecode.isEmpty(), "the Python client's bytecode: the build's python3 compiles it");
        List<String> modules = expected.stream().filter(f -> f.endsWith(".py")).sorted().toList();
        bytecode.forEach((version, compiled) -> assertEquals(modules, compiled.stream().sorted().toList(),
                "the bytecode for " + version));
    }

    /** package.json, the entry points and their types, lib/: the package's runtime files only. */
    private static void assertNodeClientPackaged(Path nodejs) throws IOException {
        Path source = Path.of(System.getProperty("secretsprefetch.node.package", "../client-node"));
        List<String> expected = new ArrayList<>(List.of("index.d.mts", "index.d.ts", "index.js", "index.mjs",
                "package.json"));
        files(source.resolve("lib")).stream().filter(f -> f.endsWith(".js")).forEach(f -> expected.add("lib/" + f));
        assertTrue(expected.contains("lib/client.js"), "the Node.js client's sources at " + source);
        assertEquals(expected.stream().map(f -> "node_modules/secrets-prefetch/" + f).sorted().toList(), files(nodejs),
                "the Node.js client under nodejs/node_modules/secrets-prefetch");
    }

    @Test
    void theLayerIsOneNativeExecutableAndTheClients() throws IOException {
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(executable())));
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(executable())) {
            assertEquals(4, in.read(head));
        }
        assertEquals("\u007fELF", new String(head, StandardCharsets.ISO_8859_1), "an ELF executable, not a script");
        List<String> outsideClients = files(unpacked).stream()
                .filter(f -> !f.startsWith(LEGAL) && CLIENT_DIRECTORIES.stream().noneMatch(f::startsWith))
                .toList();
        assertEquals(List.of("extensions/secrets-prefetch"), outsideClients, "no JRE, launcher or AOT cache");
        assertClientsPackaged(unpacked);
    }

    @Test
    void theLayerCarriesTheLicencesOfEverythingCompiledIntoTheExecutable() throws IOException {
        Path legal = unpacked.resolve(LEGAL);
        List<String> files = files(legal);
        assertEquals(Files.readString(Path.of("../LICENSE")), Files.readString(legal.resolve("LICENSE")));
        assertTrue(files.containsAll(List.of("NOTICE", "README.md", "jdk/NOTICE", "jdk/java.base/LICENSE",
                "jdk/java.base/ASSEMBLY_EXCEPTION", "jdk/java.base/zlib.md")), files.toString());
        String readme = Files.readString(legal.resolve("README.md"));
        for (String jar : List.of("jackson-core", "sdk-core", "auth", "regions", "http-auth-aws", "slf4j-api")) {
            assertTrue(files.stream().anyMatch(f -> f.startsWith("lib/" + jar + "/") && f.contains("LICENSE")),
                    jar + "'s licence in lib/" + jar + "/: " + files);
        }
        assertTrue(readme.contains("`reactive-streams`") && readme.contains("MIT-0"),
                "the jar without notice files is accounted for in README.md");
    }

    @Test
    void runsAsAnExtensionRegistersUnderItsFileNameAndCleansUpOnShutdown() throws Exception {
        assertRunsAsExtension(executable(), "secrets-prefetch");
    }

    @Test
    void aRenamedExecutableRegistersUnderItsNewName() throws Exception {
        // Lambda requires the registered name to be the file name in /opt/extensions: the executable takes its own.
        Path renamed = Files.createDirectories(tmp.resolve("opt/extensions")).resolve("my-prefetch");
        Files.copy(executable(), renamed, StandardCopyOption.COPY_ATTRIBUTES);
        assertRunsAsExtension(renamed, "my-prefetch");
    }

    private void assertRunsAsExtension(Path executable, String name) throws Exception {
        List<String> values = new ArrayList<>();
        for (String secret : List.of("db", "api", "cache")) {
            values.add(SecretValues.next());
            moto.create(secret, values.get(values.size() - 1));
        }
        Path dir = tmp.resolve("secrets");
        try (FakeExtensionsApi api = new FakeExtensionsApi()) {
            Map<String, String> env = MotoSecrets.environment(MotoSecrets.moto().endpoint(), api.runtimeApi());
            env.put("SECRETS_PREFETCH_SECRETS", "db=" + moto.name("db") + ",api=" + moto.name("api") + ",cache="
                    + moto.name("cache"));
            env.put("SECRETS_PREFETCH_DIR", dir.toString());
            try (ExtensionProcess process = ExtensionProcess.start(List.of(executable.toString()), env)) {
                api.awaitNextCalls(1);
                // Measured, never asserted: the numbers go into docs/benchmarks.md.
                System.out.println("[LayerIT] after prefetch: VmRSS " + process.statusKb("VmRSS") + " kB, VmHWM "
                        + process.statusKb("VmHWM") + " kB");
                assertEquals(name, api.registrations.get(0).name());
                Manifest manifest = ManifestFiles.read(dir).orElseThrow();
                assertEquals(Manifest.State.READY, manifest.state());
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
                assertEquals("rw-------", PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve(ManifestFiles.MANIFEST_FILE))));
                List<String> names = List.of("db", "api", "cache");
                for (int i = 0; i < names.size(); i++) {
                    SecretValues.assertSameValue(values.get(i),
                            ((SecretValue.Text) manifest.secrets().get(names.get(i)).value()).value(), names.get(i));
                }
                api.shutdown();
                assertEquals(0, process.exitStatus(Duration.ofSeconds(30)).orElseThrow(), process.output());
                assertFalse(Files.exists(dir), "SHUTDOWN removes the secrets directory");
                String output = process.output();
                assertTrue(output.contains("[secrets-prefetch] INFO prefetch: 3 secret(s), 3 fetched, 0 failed"),
                        output);
                SecretValues.assertNoValueIn(output, "the extension's output", values.toArray(String[]::new));
                assertFalse(output.contains("SLF4J"), output);
            }
        }
    }

    @Test
    void aBadConfigurationFailsTheInit() throws Exception {
        try (FakeExtensionsApi api = new FakeExtensionsApi()) {
            Map<String, String> env = MotoSecrets.environment(MotoSecrets.moto().endpoint(), api.runtimeApi());
            env.put("SECRETS_PREFETCH_CONFIG", Files.writeString(tmp.resolve("c.json"), "{\"secrets\": []}").toString());
            try (ExtensionProcess process = ExtensionProcess.start(List.of(executable().toString()), env)) {
                assertEquals(1, process.exitStatus(Duration.ofSeconds(60)).orElseThrow(), process.output());
                assertEquals("Extension.ConfigInvalid", api.errors.get(0).errorType());
                assertEquals("secrets-prefetch", api.registrations.get(0).name());
            }
        }
    }

    @Test
    void theOneShotCommandIsTheSameExecutable() throws Exception {
        String value = SecretValues.next();
        moto.create("cli", value);
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"secrets\": [{\"name\": \"cli\", \"secretId\": \""
                + moto.name("cli") + "\", \"file\": \"cli.txt\"}]}");
        Path dir = tmp.resolve("out");
        try (ExtensionProcess process = ExtensionProcess.start(List.of(executable().toString(), "prefetch", "--config",
                config.toString(), "--dir", dir.toString()), MotoSecrets.environment(MotoSecrets.moto().endpoint(),
                null))) {
            assertEquals(0, process.exitStatus(Duration.ofSeconds(60)).orElseThrow(), process.output());
            SecretValues.assertSameValue(value, Files.readString(dir.resolve("cli.txt"), StandardCharsets.UTF_8),
                    "cli.txt");
        }
    }

    @Test
    void outsideLambdaItSaysHowToRunTheOneShotCommand() throws Exception {
        try (ExtensionProcess process = ExtensionProcess.start(List.of(executable().toString()), Map.of())) {
            assertEquals(PrefetchCommand.USAGE, process.exitStatus(Duration.ofSeconds(60)).orElseThrow());
            assertTrue(process.output().contains("AWS_LAMBDA_RUNTIME_API is not set: not running in Lambda"),
                    process.output());
        }
    }
}
