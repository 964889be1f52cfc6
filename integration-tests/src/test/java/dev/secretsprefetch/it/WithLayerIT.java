// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.secretsprefetch.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built layer under the simulator with the real Java (runtime interface client), Ruby, Python and Node.js
 * example functions: with the layer the functions read the extension's manifest and never call Secrets Manager
 * themselves; without it the very same functions fetch their secrets directly (the Python and Node.js ones
 * through the SDK their Lambda runtime ships: boto3, the AWS SDK for JavaScript v3).
 */
class WithLayerIT {

    private static Testbed testbed;

    @BeforeAll
    static void startTestbed() throws Exception {
        testbed = Testbed.on(MotoServer.shared(), "it-with-layer/" + UUID.randomUUID() + "/",
                List.of("db", "api-key", "signing-key"), Duration.ZERO);
    }

    @AfterAll
    static void closeTestbed() throws Exception {
        testbed.close();
    }

    @BeforeEach
    void resetCounts() {
        testbed.proxy().resetCounts();
    }

    @Test
    void javaFunctionGetsItsSecretsFromTheManifestAndNeverCallsSecretsManager() throws Exception {
        assertServedByTheExtension(testbed.java("with-layer-java", Testbed.SECRETS_HANDLER, true).build(),
                Optional.empty());
    }

    @Test
    void rubyFunctionGetsItsSecretsFromTheManifestAndNeverCallsSecretsManager() throws Exception {
        assertServedByTheExtension(testbed.ruby("with-layer-ruby", "secrets_handler.handler", true).build(),
                Optional.empty());
    }

    @Test
    void javaFunctionWithoutTheLayerFetchesEachSecretOnceItself() throws Exception {
        assertServedByTheFallback(testbed.java("no-layer-java", Testbed.SECRETS_HANDLER, false).build(),
                Optional.empty());
    }

    @Test
    void rubyFunctionWithoutTheLayerFetchesEachSecretOnceItself() throws Exception {
        assertServedByTheFallback(testbed.ruby("no-layer-ruby", "secrets_handler.handler", false).build(),
                Optional.empty());
    }

    @Test
    void pythonFunctionGetsItsSecretsFromTheManifestThroughTheLayersClientAndNeverCallsSecretsManager()
            throws Exception {
        assertServedByTheExtension(testbed.python("with-layer-python", "secrets_handler.handler", true).build(),
                Optional.of("python/secrets_prefetch"));
    }

    @Test
    void nodeFunctionGetsItsSecretsFromTheManifestThroughTheLayersClientAndNeverCallsSecretsManager()
            throws Exception {
        assertServedByTheExtension(testbed.node("with-layer-node", "secrets_handler.handler", true).build(),
                Optional.of("nodejs/node_modules/secrets-prefetch"));
    }

    @Test
    void pythonFunctionWithoutTheLayerFetchesEachSecretOnceItselfThroughBoto3() throws Exception {
        assertServedByTheFallback(testbed.python("no-layer-python", "secrets_handler.handler", false).build(),
                Optional.of("secrets_prefetch"));
    }

    @Test
    void nodeFunctionWithoutTheLayerFetchesEachSecretOnceItselfThroughTheAwsSdk() throws Exception {
        assertServedByTheFallback(testbed.node("no-layer-node", "secrets_handler.handler", false).build(),
                Optional.of("node_modules/secrets-prefetch"));
    }

    /** The directory the Python and Node.js handlers answer their client was loaded from is {@code expected}. */
    private static void assertClientLoadedFrom(Path expected, InvokeResult result) throws IOException {
        Path client = Path.of(result.json().path("client").asText()).toRealPath();
        assertEquals(expected.toRealPath(), client, "where the handler's client was loaded from");
    }

    /** {@code client}: for the Python and Node.js handlers, where in /opt the layer has the client they must load. */
    private void assertServedByTheExtension(LambdaFunction function, Optional<String> client) throws Exception {
        String db = testbed.secretId("db");
        // By id and by the name the layer's configuration gives it.
        String event = "{\"get\": [\"" + db + "\", \"signing-key\"]}";
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            InvokeResult result = lambda.invoke(event);

            assertTrue(result.succeeded(), result + "\n" + lambda.diagnostics());
            JsonNode answer = result.json();
            BlackBox.assertFingerprints(testbed, answer.path("init"), testbed.secretIds());
            BlackBox.assertFingerprints(testbed, answer.path("request"), List.of(db));
            assertTrue(testbed.fingerprint(testbed.secretId("signing-key"))
                    .equals(answer.path("request").path("signing-key").asText()), "signing-key by name differs");
            assertEquals(Map.of("extension", Map.of("BatchGetSecretValue", 1L)), testbed.proxy().counts(),
                    "only the extension calls Secrets Manager, once for all three secrets");
            String extensionLog = lambda.extension(Testbed.EXTENSION).stdout();
            assertTrue(extensionLog.contains("prefetch: 3 secret(s), 3 fetched, 0 failed"), extensionLog);
            BlackBox.assertNoValueLeaked(testbed, lambda, List.of(result));
            if (client.isPresent()) {
                assertClientLoadedFrom(lambda.sandbox().resolve("opt").resolve(client.get()), result);
            }
        }
    }

    /** {@code client}: for the Python and Node.js handlers, where in the function's code its own client is. */
    private void assertServedByTheFallback(LambdaFunction function, Optional<String> client) throws Exception {
        String db = testbed.secretId("db");
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            assertEquals(Map.of(), lambda.extensions(), "no layer, no extension");
            InvokeResult result = lambda.invoke("{\"get\": [\"" + db + "\"]}");

            assertTrue(result.succeeded(), result + "\n" + lambda.diagnostics());
            BlackBox.assertFingerprints(testbed, result.json().path("init"), testbed.secretIds());
            BlackBox.assertFingerprints(testbed, result.json().path("request"), List.of(db));
            // The request's db comes from the client's cache: one call per secret, made at init.
            assertEquals(Map.of("function", Map.of("GetSecretValue", 3L)), testbed.proxy().counts());
            BlackBox.assertNoValueLeaked(testbed, lambda, List.of(result));
            if (client.isPresent()) {
                assertClientLoadedFrom(function.taskDirectory().resolve(client.get()), result);
            }
        }
    }
}
