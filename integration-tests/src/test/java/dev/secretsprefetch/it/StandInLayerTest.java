// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The whole harness end to end, before the real layer exists: a Java stand-in extension in a layer zip
 * prefetches through the proxy and writes the manifest with the real ManifestFilesWriter; Java (runtime
 * interface client) and Ruby functions read it; the proxy proves only the extension called Secrets Manager.
 */
class StandInLayerTest {

    private static final String EXTENSION = "stand-in-prefetch";

    @TempDir
    Path dir;

    private final String prefix = "stand-in/" + UUID.randomUUID() + "/";
    private final Map<String, String> values = Map.of("db", "stand-in-db-value-spv-Vb93", "api", "stand-in-api-value-spv-Kp27");
    private SecretsManagerProxy proxy;

    @BeforeEach
    void createSecrets() {
        try (SecretsManagerClient moto = SecretsManagerClient.builder()
                .endpointOverride(MotoServer.shared().endpoint())
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            values.forEach((name, value) -> moto.createSecret(r -> r.name(prefix + name).secretString(value)));
        }
        proxy = SecretsManagerProxy.start(MotoServer.shared().endpoint());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private LambdaFunction.Builder withStandInLayer(LambdaFunction.Builder builder) throws Exception {
        return builder
                .layer(TestLayers.withExtensions(dir, Map.of(EXTENSION, TestLayers.javaExtension())))
                .environment("SECRETS_PREFETCH_SECRETS", "db=" + prefix + "db,api=" + prefix + "api")
                .environment("AWS_ENDPOINT_URL_SECRETS_MANAGER", proxy.endpoint("function").toString())
                .processEnvironment(EXTENSION, "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                        proxy.endpoint("extension").toString())
                .sandboxParent(dir);
    }

    private void assertFingerprints(JsonNode secrets) {
        values.forEach((name, value) -> assertTrue(ManifestHandler.sha256(value).equals(secrets.path(name).asText()),
                "fingerprint of " + name + " differs"));
    }

    @Test
    void javaFunctionReadsWhatTheExtensionPrefetchedAndMakesNoCallOfItsOwn() throws Exception {
        Path task = JavaFunctionCode.stage(dir.resolve("task"), List.of(ManifestHandler.class),
                List.of(ManifestFiles.class, JsonFactory.class));
        LambdaFunction function = withStandInLayer(LambdaFunction.builder().name("java-manifest")
                .runtime(FunctionRuntime.java()).handler(ManifestHandler.class.getName()).taskDirectory(task)).build();
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            InvokeResult result = lambda.invoke("{}");

            assertTrue(result.succeeded(), result + "\n" + lambda.diagnostics());
            assertEquals("READY", result.json().path("state").asText());
            assertFingerprints(result.json().path("secrets"));
            assertEquals(Map.of("extension", Map.of("GetSecretValue", 2L)), proxy.counts());
            assertTrue(lambda.extension(EXTENSION).stdout().contains("wrote its manifest"));
            assertTrue(lambda.init().extensionInit().containsKey(EXTENSION));

            Path secretsDirectory = lambda.secretsDirectory();
            assertTrue(Files.exists(secretsDirectory.resolve("manifest.json")));
            ShutdownReport shutdown = lambda.shutdown();
            assertEquals(List.of(), shutdown.killed());
            assertFalse(Files.exists(secretsDirectory), "the stand-in removes the secrets directory at SHUTDOWN");
        }
    }

    @Test
    void rubyFunctionWithoutJavaOnItsPathReadsTheManifest() throws Exception {
        LambdaFunction function = withStandInLayer(LambdaFunction.builder().name("ruby-manifest")
                .runtime(FunctionRuntime.ruby()).handler("manifest_handler.handler")
                .taskDirectory(TestLayers.resource("manifest_handler.rb").getParent())).build();
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            InvokeResult result = lambda.invoke("{}");

            assertTrue(result.succeeded(), result + "\n" + lambda.diagnostics());
            assertEquals("ready", result.json().path("state").asText());
            assertFingerprints(result.json().path("secrets"));
            assertFalse(result.json().path("javaOnPath").asBoolean(true), "java is on the Ruby function's PATH");
            assertEquals(Map.of("extension", Map.of("GetSecretValue", 2L)), proxy.counts());
        }
    }
}
