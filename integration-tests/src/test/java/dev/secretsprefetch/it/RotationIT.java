// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A secret gets a new value (PutSecretValue, as a rotation does) while the function is warm. With the
 * shortest refresh interval the configuration allows (1 s), a later invoke's handler gets the new value from
 * the extension's next manifest generation, still without calling Secrets Manager itself.
 */
class RotationIT {

    /** How long the new value may take to show: the 1 s interval, the clients' 1 s re-check, slack for a busy machine. */
    private static final Duration PICK_UP_LIMIT = Duration.ofSeconds(20);

    private static Testbed testbed;

    @BeforeAll
    static void startTestbed() throws Exception {
        testbed = Testbed.on(MotoServer.shared(), "it-rotation/" + UUID.randomUUID() + "/",
                List.of("db", "api-key"), Duration.ZERO);
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
    void javaHandlerSeesTheNewValueAfterTheRefreshInterval() throws Exception {
        assertRotationShows(testbed.java("rotation-java", Testbed.SECRETS_HANDLER, true), "db");
    }

    @Test
    void rubyHandlerSeesTheNewValueAfterTheRefreshInterval() throws Exception {
        assertRotationShows(testbed.ruby("rotation-ruby", "secrets_handler.handler", true), "api-key");
    }

    private void assertRotationShows(LambdaFunction.Builder builder, String name) throws Exception {
        String id = testbed.secretId(name);
        // 1 s: the shortest interval the configuration accepts.
        LambdaFunction function = testbed.withConfigFile(builder,
                BlackBox.configuration("\"refreshIntervalSeconds\": 1", testbed.secretIds())).build();
        String event = "{\"get\": [\"" + name + "\"]}";
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            List<InvokeResult> answers = new ArrayList<>();
            InvokeResult before = lambda.invoke(event);
            answers.add(before);
            assertTrue(before.succeeded(), before + "\n" + lambda.diagnostics());
            String old = before.json().path("request").path(name).asText();
            assertTrue(testbed.fingerprint(id).equals(old), "the value of " + name + " before the rotation differs");

            testbed.rotate(id);
            String rotated = testbed.fingerprint(id);
            long deadline = System.nanoTime() + PICK_UP_LIMIT.toNanos();
            String seen = old;
            while (!seen.equals(rotated) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                InvokeResult later = lambda.invoke(event);
                answers.add(later);
                assertTrue(later.succeeded(), later + "\n" + lambda.diagnostics());
                seen = later.json().path("request").path(name).asText();
                assertTrue(seen.equals(old) || seen.equals(rotated), "invoke " + answers.size() + " answered a value "
                        + "that is neither the old nor the new one for " + name);
            }

            assertTrue(seen.equals(rotated), "the new value of " + name + " did not show within " + PICK_UP_LIMIT
                    + " (" + answers.size() + " invokes)\n" + lambda.diagnostics());
            assertEquals(0, testbed.proxy().count("function"), "the function called Secrets Manager itself");
            assertTrue(testbed.proxy().count("extension", "BatchGetSecretValue") >= 2, "no refresh call");
            String extensionLog = lambda.extension(Testbed.EXTENSION).stdout();
            assertTrue(extensionLog.contains("for [" + name + "]"), "the extension should log the new generation "
                    + "for " + name + ":\n" + extensionLog);
            BlackBox.assertNoValueLeaked(testbed, lambda, answers);
        }
    }
}
