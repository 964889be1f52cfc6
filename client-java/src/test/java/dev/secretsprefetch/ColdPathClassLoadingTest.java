// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.JsonValue;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.manifest.StrictJson;
import dev.secretsprefetch.testing.FakeSecretsManager;
import dev.secretsprefetch.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler's first call in a fresh JVM ({@link FirstGetProbe} as a subprocess, with {@code -Xlog:class+load}):
 * serving from the manifest, a plain get or a JSON field, loads no AWS SDK class and no Jackson class at all
 * (issue 12: the JSON library's first use was most of the cold-start cost). The typed-JSON and fallback runs show
 * the log does catch those classes when they are used.
 */
class ColdPathClassLoadingTest {

    private static final String SDK = "software.amazon.awssdk.";
    private static final String JACKSON = "com.fasterxml.jackson.";
    private static final String DATABIND = "com.fasterxml.jackson.databind.";

    @TempDir
    Path dir;

    private FakeSecretsManager fake;

    /** What the probe printed and which classes its JVM loaded. */
    record Run(int exit, String output, List<String> loaded) {
        long count(String prefix) {
            return loaded.stream().filter(name -> name.startsWith(prefix)).count();
        }
    }

    @BeforeEach
    void start() throws IOException {
        fake = FakeSecretsManager.start();
        ManifestFilesWriter.ensureDirectory(dir.resolve("secrets"));
        ManifestFilesWriter.writeAtomically(dir.resolve("secrets"), ManifestFiles.MANIFEST_FILE,
                Files.readAllBytes(Fixtures.manifests().resolve("valid.json")));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void servingFromTheManifestLoadsNoAwsSdkClassAndNoJacksonClass() throws Exception {
        Run run = probe(env(), "get", "db");

        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().startsWith("ok "), run.output());
        assertTrue(run.loaded().contains(Secrets.class.getName()), "the class log covers the client's classes");
        assertTrue(run.loaded().contains(StrictJson.class.getName()), "the manifest was parsed");
        assertEquals(0, run.count(SDK), "AWS SDK classes loaded: " + filter(run, SDK));
        assertEquals(0, run.count(JACKSON), "Jackson classes loaded: " + filter(run, JACKSON));
        assertFalse(run.loaded().contains(DirectFetcher.class.getName()), "the fetcher was never loaded");
        assertFalse(run.loaded().contains(TestScopes.class.getName()), "the test-only hook costs a function nothing");
        assertFalse(run.loaded().contains(OfflineCalls.class.getName()), "nor does its stand-in for Secrets Manager");
        assertFalse(run.loaded().contains(FallbackCache.class.getName()), "the cache of direct calls waits for one");
        assertFalse(run.loaded().contains(SecretsClient.class.getName() + "$DirectCalls"), "so does what holds it");
        assertFalse(run.loaded().contains(PendingWait.class.getName()), "a ready manifest needs no pending wait");
        assertFalse(run.loaded().contains(SecretValue.Failure.class.getName()), "nor a failure entry's class");
        assertFalse(run.loaded().contains("sun.nio.ch.FileChannelImpl"), "the manifest is read without a java.nio "
                + "channel, whose first use loads ~30 classes and libnet");
        assertFalse(run.loaded().contains(JsonValue.class.getName()), "the manifest is mapped without a JSON tree");
        assertFalse(run.loaded().contains(ManifestFilesWriter.class.getName()), "nor is the writing code verified");
        assertFalse(run.loaded().contains(SecretEntry.Parameter.class.getName()), "a secret needs no parameter class");
        assertEquals(0, fake.requestCount());
    }

    @Test
    void aSecretFoundByItsIdOrArnLoadsNoJacksonClassEither() throws Exception {
        Run run = probe(env(), "get", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-key-GhIjKl");

        assertEquals(0, run.exit(), run.output());
        assertEquals(0, run.count(SDK), "AWS SDK classes loaded: " + filter(run, SDK));
        assertEquals(0, run.count(JACKSON), "Jackson classes loaded: " + filter(run, JACKSON));
        assertEquals(0, fake.requestCount());
    }

    @Test
    void servingAnSsmParameterFromTheManifestLoadsNoAwsSdkClassAndNoJacksonClass() throws Exception {
        ManifestFilesWriter.writeAtomically(dir.resolve("secrets"), ManifestFiles.MANIFEST_FILE,
                Files.readAllBytes(Fixtures.manifests().resolve("parameters.json")));

        Run run = probe(env(), "get", "/prod/db/url");

        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().startsWith("ok "), run.output());
        assertEquals(0, run.count(SDK), "AWS SDK classes loaded: " + filter(run, SDK));
        assertEquals(0, run.count(JACKSON), "Jackson classes loaded: " + filter(run, JACKSON));
        assertEquals(0, fake.requestCount());
    }

    @Test
    void jsonFieldLoadsNoJacksonClassAndNoAwsSdkClass() throws Exception {
        Run run = probe(env(), "field", "db", "password");

        assertEquals(0, run.exit(), run.output());
        assertEquals(0, run.count(JACKSON), "Jackson classes loaded: " + filter(run, JACKSON));
        assertEquals(0, run.count(SDK), "AWS SDK classes loaded: " + filter(run, SDK));
    }

    @Test
    void typedJsonLoadsDatabindButStillNoAwsSdkClass() throws Exception {
        Run run = probe(env(), "json", "db");

        assertEquals(0, run.exit(), run.output());
        assertTrue(run.count(DATABIND) > 0, "getJson binds with databind");
        assertEquals(0, run.count(SDK), "AWS SDK classes loaded: " + filter(run, SDK));
    }

    @Test
    void nameMissingFromTheManifestLoadsTheAwsSdkForTheDirectCall() throws Exception {
        fake.putString("prod/unknown", "fixture-direct-for-probe-spv-Xc3v");

        Run run = probe(env(), "get", "prod/unknown");

        assertEquals(0, run.exit(), run.output());
        assertTrue(run.count(SDK) > 0, "the direct call uses the SDK");
        assertEquals(0, run.count("software.amazon.awssdk.services.ssm."), "a secret loads no SSM class");
        assertEquals(1, fake.requestCount());
    }

    @Test
    void aSecretsDirectCallThatFailsLoadsNoSsmClass() throws Exception {
        // Users who read no parameters may leave the ssm module out of their function: a secret's error path
        // must not need it.
        fake.failWith(400, "AccessDeniedException");

        Run run = probe(env(), "get", "prod/unknown");

        assertEquals(2, run.exit(), run.output());
        assertEquals(0, run.count("software.amazon.awssdk.services.ssm."), "a secret loads no SSM class");
    }

    @Test
    void misconfiguredEnvironmentFailsTheCallNamingTheVariable() throws Exception {
        Map<String, String> env = env();
        env.put(EnvironmentVariables.WAIT_MS, "ten seconds");

        Run run = probe(env, "get", "db");

        assertEquals(3, run.exit(), run.output());
        assertTrue(run.output().contains("SECRETS_PREFETCH_WAIT_MS must be a whole number of milliseconds"),
                run.output());
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(EnvironmentVariables.DIR, dir.resolve("secrets").toString());
        env.put(EnvironmentVariables.AWS_REGION, "us-east-1");
        env.put(EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER, fake.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        return env;
    }

    private Run probe(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path classLog = Files.createTempFile(dir, "classes-", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xlog:class+load=info:file=" + classLog, "-cp", System.getProperty("java.class.path"),
                FirstGetProbe.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear(); // nothing from the test JVM's environment leaks into the probe
        builder.environment().putAll(env);
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("probe did not finish: " + output);
        }
        return new Run(process.exitValue(), output, loadedClasses(classLog));
    }

    /** Class names from lines like {@code [0.012s][info][class,load] java.lang.Object source: jrt:/java.base}. */
    private static List<String> loadedClasses(Path classLog) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(classLog)) {
            int start = line.indexOf("[class,load] ");
            int end = line.indexOf(" source: ");
            if (start >= 0 && end > start) {
                names.add(line.substring(start + "[class,load] ".length(), end));
            }
        }
        return names;
    }

    private static List<String> filter(Run run, String prefix) {
        return run.loaded().stream().filter(name -> name.startsWith(prefix)).limit(10).toList();
    }
}
