// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secrets the extension cannot fetch: one that does not exist, one the role may not read (access denied, as
 * Secrets Manager reports it in a batch and alone) and one Secrets Manager throttles (every call naming it).
 * The function still starts and serves its other secret; asking for a failed one is a handler error that
 * names the secret and the cause; the logs name the cause; no value appears anywhere.
 */
class FailuresIT {

    private static final List<String> FAILING = List.of("missing", "denied", "throttled");

    private static Testbed testbed;
    private static String missingId;

    @BeforeAll
    static void startTestbed() throws Exception {
        String prefix = "it-failures/" + UUID.randomUUID() + "/";
        testbed = Testbed.on(MotoServer.shared(), prefix, List.of("db", "denied", "throttled"), Duration.ZERO);
        missingId = prefix + "missing";
        testbed.proxy().failSecret(testbed.secretId("denied"), "AccessDeniedException");
        for (String operation : List.of("BatchGetSecretValue", "GetSecretValue")) {
            testbed.proxy().fail(operation, Optional.of(testbed.secretId("throttled")), 400, "ThrottlingException");
        }
    }

    @AfterAll
    static void closeTestbed() throws Exception {
        testbed.close();
    }

    @Test
    void javaFunctionStartsAndNamesEachSecretItCannotGetAndWhy() throws Exception {
        assertFailuresAreReported(testbed.java("failures-java", Testbed.SECRETS_HANDLER, true));
    }

    @Test
    void rubyFunctionStartsAndNamesEachSecretItCannotGetAndWhy() throws Exception {
        assertFailuresAreReported(testbed.ruby("failures-ruby", "secrets_handler.handler", true));
    }

    private void assertFailuresAreReported(LambdaFunction.Builder builder) throws Exception {
        List<String> configured = new ArrayList<>(testbed.secretIds());
        configured.add(missingId);
        // Init needs only db; the handler asks for the others by their configured names. The throttled batch
        // call and its retries, then each secret alone, take seconds: the longest fetch deadline allowed
        // keeps a busy machine from turning "throttled" into "timeout".
        LambdaFunction function = testbed.withConfigFile(builder.environment("SECRET_IDS", testbed.secretId("db")),
                BlackBox.configuration("\"fetchDeadlineMs\": 9000", configured)).build();
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), "the function must start: " + lambda.diagnostics());
            List<InvokeResult> answers = new ArrayList<>();
            Map<String, String> codes = Map.of("missing", "ResourceNotFoundException", "denied",
                    "AccessDeniedException", "throttled", "ThrottlingException");
            for (String name : FAILING) {
                InvokeResult failed = lambda.invoke("{\"get\": [\"" + name + "\"]}");
                answers.add(failed);
                assertEquals(InvokeResult.Status.FUNCTION_ERROR, failed.status(), failed + "\n" + lambda.diagnostics());
                String message = BlackBox.errorMessage(failed);
                assertTrue(message.contains("\"" + name + "\"") && message.contains(codes.get(name)),
                        "the error for " + name + " should name it and " + codes.get(name) + ": " + message);
            }
            InvokeResult healthy = lambda.invoke("{\"get\": [\"db\"]}");
            answers.add(healthy);
            assertTrue(healthy.succeeded(), healthy + "\n" + lambda.diagnostics());
            assertTrue(testbed.fingerprint(testbed.secretId("db")).equals(
                    healthy.json().path("request").path("db").asText()), "the value of db differs");

            String extensionLog = lambda.extension(Testbed.EXTENSION).stdout();
            assertTrue(extensionLog.contains("4 secret(s), 1 fetched, 3 failed"), extensionLog);
            for (String name : FAILING) {
                assertTrue(extensionLog.lines().anyMatch(line -> line.contains("(name " + name + ") not fetched: "
                        + codes.get(name))), "the extension's log should say why " + name + " failed:\n"
                        + extensionLog);
            }
            String runtimeLog = lambda.runtime().orElseThrow().output();
            for (String name : FAILING) {
                assertTrue(runtimeLog.lines().anyMatch(line -> line.contains("\"" + name + "\"")
                        && line.contains(codes.get(name))), "the function's log should say why " + name
                        + " failed:\n" + runtimeLog);
            }
            BlackBox.assertNoValueLeaked(testbed, lambda, answers);
        }
    }
}
