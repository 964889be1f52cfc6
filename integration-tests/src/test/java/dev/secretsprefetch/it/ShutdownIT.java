// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lambda's SHUTDOWN: the extension removes the secrets directory (manifest and per-secret files) and exits
 * on its own before the deadline (2 s, Lambda's for external extensions), instead of being killed.
 */
class ShutdownIT {

    private static Testbed testbed;

    @BeforeAll
    static void startTestbed() throws Exception {
        testbed = Testbed.on(MotoServer.shared(), "it-shutdown/" + UUID.randomUUID() + "/", List.of("db"),
                Duration.ZERO);
    }

    @AfterAll
    static void closeTestbed() throws Exception {
        testbed.close();
    }

    @Test
    void shutdownRemovesTheSecretsDirectoryAndTheExtensionExitsBeforeTheDeadline() throws Exception {
        String config = "{\"secrets\": [{\"name\": \"db\", \"secretId\": \"" + testbed.secretId("db")
                + "\", \"file\": \"db.txt\"}]}";
        LambdaFunction function = testbed.withConfigFile(
                testbed.ruby("shutdown", "secrets_handler.handler", true), config).build();
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            InvokeResult result = lambda.invoke("{}");
            assertTrue(result.succeeded(), result + "\n" + lambda.diagnostics());
            Path secrets = lambda.secretsDirectory();
            assertTrue(Files.isRegularFile(secrets.resolve("manifest.json")), "no manifest before shutdown");
            assertTrue(Files.isRegularFile(secrets.resolve("db.txt")), "no db.txt before shutdown");

            ShutdownReport shutdown = lambda.shutdown();

            ShutdownReport.ProcessEnd extension = shutdown.process(Testbed.EXTENSION).orElseThrow();
            assertFalse(extension.killed(), "the extension outlived the shutdown deadline and was killed");
            assertEquals(OptionalInt.of(0), extension.exitCode(), lambda.diagnostics());
            assertEquals(List.of(), shutdown.killed());
            assertFalse(Files.exists(secrets), "the secrets directory is still there after SHUTDOWN");
            BlackBox.assertNoValueLeaked(testbed, lambda, List.of(result));
        }
    }
}
