// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets Manager takes a second per call, so the function's init asks for its secrets while the extension is
 * still fetching them: the function waits on the {@code pending} manifest and makes no call of its own.
 *
 * <p>The proxy also holds its answer until the function has logged (at debug level) that it found the
 * manifest pending: on a loaded machine the function's runtime may take longer than a second to reach its
 * first {@code get}, and then there would be nothing to wait for.
 */
class SlowSecretsManagerIT {

    private static Testbed testbed;

    @TempDir
    Path sandboxes;

    @BeforeAll
    static void startTestbed() throws Exception {
        testbed = Testbed.on(MotoServer.shared(), "it-slow/" + UUID.randomUUID() + "/",
                List.of("db", "api-key", "signing-key"), Duration.ofSeconds(1));
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
    void javaInitWaitsForThePendingManifestInsteadOfCallingSecretsManager() throws Exception {
        assertInitWaitsForTheExtension(testbed.java("slow-java", Testbed.SECRETS_HANDLER, true), "(PENDING)");
    }

    @Test
    void rubyInitWaitsForThePendingManifestInsteadOfCallingSecretsManager() throws Exception {
        assertInitWaitsForTheExtension(testbed.ruby("slow-ruby", "secrets_handler.handler", true),
                "manifest pending");
    }

    private void assertInitWaitsForTheExtension(LambdaFunction.Builder builder, String sawPending)
            throws Exception {
        LambdaFunction function = builder.processEnvironment(LambdaFunction.RUNTIME_PROCESS,
                "SECRETS_PREFETCH_LOG_LEVEL", "debug").sandboxParent(sandboxes).build();
        testbed.proxy().holdAnswersUntil(() -> runtimeOutputContains(sawPending), Duration.ofSeconds(8));
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            String runtimeLog = lambda.runtime().orElseThrow().output();

            assertTrue(runtimeLog.contains(sawPending), "the function never saw a pending manifest:\n" + runtimeLog);
            assertFalse(runtimeLog.contains("still pending"), "the function gave up waiting:\n" + runtimeLog);
            assertEquals(Map.of("extension", Map.of("BatchGetSecretValue", 1L)), testbed.proxy().counts(),
                    "one call in all, by the extension");
            InvokeResult result = lambda.invoke("{}");
            assertTrue(result.succeeded(), result + "\n" + lambda.diagnostics());
            BlackBox.assertFingerprints(testbed, result.json().path("init"), testbed.secretIds());
            BlackBox.assertNoValueLeaked(testbed, lambda, List.of(result));
        }
    }

    /** Whether the runtime of the environment being started (in {@link #sandboxes}) has logged {@code text}. */
    private boolean runtimeOutputContains(String text) {
        try (Stream<Path> logs = Files.find(sandboxes, 3, (file, attributes) -> file.getFileName().toString()
                .equals("runtime-" + LambdaFunction.RUNTIME_PROCESS + ".stdout"))) {
            for (Path log : (Iterable<Path>) logs::iterator) {
                if (Files.readString(log).contains(text)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // The sandbox is being created or removed: not yet.
        }
    }
}
