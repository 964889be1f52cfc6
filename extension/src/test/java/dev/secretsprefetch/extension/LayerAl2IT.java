// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.TestLogs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Amazon Linux 2 layer (the JVM one, for glibc 2.26), unpacked into a temporary directory as a test harness
 * would (not /opt), run through its launcher on its own jlink'd runtime against the fake Extensions API and moto.
 * The extension's behaviour is the same code as on the JVM of the unit tests and, without a native build, the
 * other black-box tests run this layer too ({@link Layers#extensionUnderTest()}).
 */
class LayerAl2IT {

    private static Path unpacked;

    @TempDir
    Path tmp;

    private final MotoSecrets moto = new MotoSecrets();
    private Path outputLog;

    private static Path launcher() {
        return Layers.extension(unpacked);
    }

    @BeforeAll
    static void unpack() {
        unpacked = Layers.al2Layer();
    }

    private ProcessBuilder process(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(outputLog().toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SECRETS_PREFETCH_"));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(env);
        if (command.get(0).equals(launcher().toString())) {
            // The launcher must keep a Java function's JVM options away from the extension's JVM.
            builder.environment().put("JAVA_TOOL_OPTIONS", "-Xmx1m");
        }
        return builder;
    }

    private String output() throws IOException {
        return Files.readString(outputLog());
    }

    /** In the build's test-logs directory, where the hygiene scan reads it (TestLogs). */
    private Path outputLog() throws IOException {
        if (outputLog == null) {
            outputLog = TestLogs.newFile("layer-it-", ".log");
        }
        return outputLog;
    }

    @Test
    void zipKeepsExecutableBitsAndTheLayout() {
        Set<PosixFilePermission> executable = PosixFilePermissions.fromString("rwxr-xr-x");
        assertEquals(executable, permissions(launcher()));
        assertEquals(executable, permissions(unpacked.resolve("secrets-prefetch/runtime/bin/java")));
        assertTrue(Files.isRegularFile(unpacked.resolve("secrets-prefetch/lib/secrets-prefetch-extension.jar")));
        assertTrue(Files.isRegularFile(unpacked.resolve("secrets-prefetch/lib/secrets-prefetch-client.jar")));
        assertFalse(Files.exists(unpacked.resolve("secrets-prefetch/runtime/include")), "no header files");
        assertFalse(Files.exists(unpacked.resolve("secrets-prefetch/runtime/man")), "no man pages");
    }

    @Test
    void theClientsArePackagedAsInTheNativeLayer() throws IOException {
        LayerIT.assertClientsPackaged(unpacked);
    }

    @Test
    void launcherRunsTheExtensionOnTheBundledRuntime() throws Exception {
        for (String name : List.of("db", "api", "cache")) {
            moto.create(name, "spv-fake-layer-value-" + name);
        }
        Path dir = tmp.resolve("secrets");
        try (FakeExtensionsApi api = new FakeExtensionsApi()) {
            Map<String, String> env = MotoSecrets.environment(MotoSecrets.moto().endpoint(), api.runtimeApi());
            env.put("SECRETS_PREFETCH_SECRETS", "db=" + moto.name("db") + ",api=" + moto.name("api") + ",cache="
                    + moto.name("cache"));
            env.put("SECRETS_PREFETCH_DIR", dir.toString());
            long started = System.nanoTime();
            Process process = process(List.of(launcher().toString()), env).start();
            api.awaitNextCalls(1);
            long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            String rss = Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: unknown");
            // Measured, never asserted: the numbers go into the report and docs/benchmarks.md.
            System.out.println("[LayerIT] exec to ready with 3 secrets: " + readyMs + " ms; after prefetch " + rss);

            assertEquals("secrets-prefetch", api.registrations.get(0).name());
            Manifest manifest = ManifestFiles.read(dir).orElseThrow();
            assertEquals(Manifest.State.READY, manifest.state());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve(ManifestFiles.MANIFEST_FILE))));
            for (String name : List.of("db", "api", "cache")) {
                SecretValue value = manifest.secrets().get(name).value();
                assertTrue(value.equals(new SecretValue.Text("spv-fake-layer-value-" + name)), "value of " + name);
            }

            api.shutdown();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the extension did not exit after SHUTDOWN");
            assertEquals(0, process.exitValue(), output());
            assertFalse(Files.exists(dir), "SHUTDOWN removes the secrets directory");
        }
        String output = output();
        assertTrue(output.contains("[secrets-prefetch] INFO prefetch: 3 secret(s), 3 fetched, 0 failed"), output);
        assertFalse(output.contains("spv-fake-layer-value"), "a value was logged");
        assertFalse(output.contains("Picked up JAVA_TOOL_OPTIONS"), output);
        assertFalse(output.contains("SLF4J"), output);
        assertFalse(output.contains("[warning]") || output.contains("[error]"), output);
        assertFalse(output.contains("start-up cache"), "the layer's own AOT cache is in use: " + output);
    }

    @Test
    void launcherStartsWithoutAnAotCacheThatDoesNotMatchAndSaysSo() throws Exception {
        // The same layer, but with its AOT cache cut short, as an interrupted copy leaves it: the JVM cannot
        // use it (AOTMode=auto), starts without it and the extension logs that start-up is slower.
        Path layer = tmp.resolve("layer");
        Path home = Files.createDirectories(layer.resolve("secrets-prefetch"));
        Files.createDirectories(layer.resolve("extensions"));
        Files.copy(launcher(), layer.resolve("extensions/secrets-prefetch"), StandardCopyOption.COPY_ATTRIBUTES);
        Path original = unpacked.resolve("secrets-prefetch");
        Files.createSymbolicLink(home.resolve("runtime"), original.resolve("runtime"));
        Files.createSymbolicLink(home.resolve("lib"), original.resolve("lib"));
        Files.copy(original.resolve("jvm.options"), home.resolve("jvm.options"));
        try (InputStream cache = Files.newInputStream(original.resolve("secrets-prefetch.aot"))) {
            Files.write(home.resolve("secrets-prefetch.aot"), cache.readNBytes(64 * 1024));
        }
        moto.create("stale", "spv-fake-layer-stale-cache-value");
        Path dir = tmp.resolve("secrets");
        try (FakeExtensionsApi api = new FakeExtensionsApi()) {
            Map<String, String> env = MotoSecrets.environment(MotoSecrets.moto().endpoint(), api.runtimeApi());
            env.put("SECRETS_PREFETCH_SECRETS", "stale=" + moto.name("stale"));
            env.put("SECRETS_PREFETCH_DIR", dir.toString());
            Process process = process(List.of(layer.resolve("extensions/secrets-prefetch").toString()), env).start();
            api.awaitNextCalls(1);
            Manifest manifest = ManifestFiles.read(dir).orElseThrow();
            assertEquals(Manifest.State.READY, manifest.state());
            assertTrue(manifest.secrets().get("stale").value()
                    .equals(new SecretValue.Text("spv-fake-layer-stale-cache-value")), "value of stale");
            api.shutdown();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the extension did not exit after SHUTDOWN");
            assertEquals(0, process.exitValue(), output());
        }
        String output = output();
        assertTrue(output.contains("[secrets-prefetch] WARN the start-up cache "), output);
        assertTrue(output.contains("secrets-prefetch.aot was not used: it does not match this JVM"), output);
        assertFalse(output.contains("fake-layer-stale-cache-value"), "a value was logged");
    }

    @Test
    void badConfigurationFailsTheInitThroughTheLauncher() throws Exception {
        try (FakeExtensionsApi api = new FakeExtensionsApi()) {
            Map<String, String> env = MotoSecrets.environment(MotoSecrets.moto().endpoint(), api.runtimeApi());
            env.put("SECRETS_PREFETCH_CONFIG", Files.writeString(tmp.resolve("c.json"), "{\"secrets\": []}").toString());
            Process process = process(List.of(launcher().toString()), env).start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, process.exitValue(), output());
            assertEquals("Extension.ConfigInvalid", api.errors.get(0).errorType());
        }
    }

    @Test
    void oneShotCommandRunsFromTheLayer() throws Exception {
        moto.create("cli", "spv-fake-layer-cli-value");
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"secrets\": [{\"name\": \"cli\", \"secretId\": \""
                + moto.name("cli") + "\", \"file\": \"cli.txt\"}]}");
        Path dir = tmp.resolve("out");
        Process process = process(List.of(launcher().toString(), "prefetch", "--config", config.toString(), "--dir",
                dir.toString()), MotoSecrets.environment(MotoSecrets.moto().endpoint(), null)).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output());
        assertTrue("spv-fake-layer-cli-value".equals(Files.readString(dir.resolve("cli.txt"), StandardCharsets.UTF_8)),
                "content of cli.txt");
    }

    @Test
    void bundledRuntimeCanDoTlsWithTheCaBundle() throws Exception {
        Path runtime = unpacked.resolve("secrets-prefetch/runtime/bin");
        Path keystore = tmp.resolve("probe.p12");
        Process keytool = process(List.of(runtime.resolve("keytool").toString(), "-genkeypair", "-alias", "probe",
                "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "probe-pass"),
                Map.of()).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), output());
        String classes = Path.of(TlsProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process probe = process(List.of(runtime.resolve("java").toString(), "-cp", classes, TlsProbe.class.getName(),
                keystore.toString(), "probe-pass"), Map.of()).start();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, probe.exitValue(), output());
        assertTrue(output().contains("TLS OK TLSv1.3 TLS_AES_"), output());
        assertTrue(output().contains("TLS OK TLSv1.2 TLS_ECDHE_RSA_WITH_AES_"), output());
    }

    private static Set<PosixFilePermission> permissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path);
        } catch (IOException e) {
            throw new AssertionError(path + ": " + e);
        }
    }
}
