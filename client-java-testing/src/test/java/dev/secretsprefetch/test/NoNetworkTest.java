// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.FakeSecretsManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a fresh JVM ({@link FakeSecretsProbe}) whose environment configures a real manifest and a Secrets Manager
 * that counts calls: while fakes are in force, nothing that could call AWS is even loaded (no AWS SDK class, not
 * the client's direct-call code) and no request arrives; once the scope is closed, the same thread gets the real
 * manifest's value and a real direct call, so nothing of the fakes outlives them.
 */
class NoNetworkTest {

    private static final String REAL_API_KEY = "fixture-probe-real-api-key-spv-Re4l";
    private static final String DIRECT = "fixture-probe-direct-spv-D1rc";

    @TempDir
    Path dir;

    private FakeSecretsManager secretsManager;

    @BeforeEach
    void realEnvironment() throws IOException {
        secretsManager = FakeSecretsManager.start().putString("prod/direct", DIRECT);
        ManifestFilesWriter.write(dir.resolve("secrets"), Manifest.ready(1, System.currentTimeMillis(), "test/1", Map.of(
                "api-key", new SecretEntry("prod/api-key", Optional.empty(), Optional.empty(), List.of(),
                        Optional.empty(), Optional.empty(), 0, new SecretValue.Text(REAL_API_KEY)))));
    }

    @AfterEach
    void stop() {
        secretsManager.close();
    }

    @Test
    void whileFakesAreInForceNothingThatCouldCallAwsIsLoadedAndNoRequestIsMade() throws Exception {
        Run run = probe("fakes");

        assertEquals(List.of("fake api-key " + Fingerprints.of(FakeSecretsProbe.FAKE_API_KEY), "undeclared failed",
                "failing THROTTLED", "closed failing the test"), run.output(), "the probe's output");
        assertEquals(List.of(), run.loaded("software.amazon.awssdk."), "AWS SDK classes loaded");
        assertFalse(run.classes().contains("dev.secretsprefetch.DirectFetcher"), "the direct-call code was loaded");
        assertEquals(0, secretsManager.requestCount(), "requests to Secrets Manager");
    }

    @Test
    void afterTheScopeTheRealManifestAndRealCallsServeTheSameThread() throws Exception {
        Run run = probe("fakes-then-real");

        assertEquals(List.of("fake api-key " + Fingerprints.of(FakeSecretsProbe.FAKE_API_KEY), "undeclared failed",
                "failing THROTTLED", "closed failing the test", "real api-key " + Fingerprints.of(REAL_API_KEY),
                "real prod/direct " + Fingerprints.of(DIRECT)), run.output(), "the probe's output");
        assertEquals(1, secretsManager.requestCount(), "the one real direct call");
    }

    record Run(List<String> output, List<String> classes) {
        List<String> loaded(String prefix) {
            return classes.stream().filter(name -> name.startsWith(prefix)).limit(5).toList();
        }
    }

    private Run probe(String mode) throws IOException, InterruptedException {
        Path classLog = dir.resolve("classes.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + classLog, "-Daws.accessKeyId=testing", "-Daws.secretAccessKey=testing",
                "-cp", System.getProperty("java.class.path"), FakeSecretsProbe.class.getName(), mode)
                .redirectError(dir.resolve("stderr.txt").toFile()); // the SDK's SLF4J notice, on the real call
        builder.environment().clear(); // nothing of this JVM's environment reaches the probe
        builder.environment().putAll(Map.of("SECRETS_PREFETCH_DIR", dir.resolve("secrets").toString(),
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString(), "AWS_REGION", "us-east-1",
                "HOME", dir.toString()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe did not finish: " + output);
        }
        assertEquals(0, process.exitValue(), output);
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(classLog)) {
            int start = line.indexOf("[class,load] ");
            int end = line.indexOf(" source: ");
            if (start >= 0 && end > start) {
                classes.add(line.substring(start + "[class,load] ".length(), end));
            }
        }
        // The client's own log lines say what it did (an INFO line for the real direct call): not the probe's answer.
        return new Run(output.lines().filter(line -> !line.startsWith("[secrets-prefetch] ")).toList(), classes);
    }
}
