// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * SSM parameters of every type beside a secret, in one configuration file: the handler gets them all from the
 * manifest without a call of its own; a parameter that does not exist is a handler error naming it; one the
 * extension was refused is fetched by the client directly (GetParameter); a parameter's new version reaches the
 * handler after the refresh interval.
 */
class ParametersIT {

    /** How long a new version may take to show: the 1 s interval, the clients' 1 s re-check, slack for a busy machine. */
    private static final Duration PICK_UP_LIMIT = Duration.ofSeconds(20);

    private static Testbed testbed;
    private static String path;

    @BeforeAll
    static void startTestbed() throws Exception {
        String prefix = "it-parameters/" + UUID.randomUUID() + "/";
        testbed = Testbed.on(MotoServer.shared(), prefix, List.of("db"), Duration.ZERO);
        path = "/" + prefix;
        testbed.putParameter(path + "url", ParameterType.STRING, "url");
        testbed.putParameter(path + "hosts", ParameterType.STRING_LIST, "hosts");
        testbed.putParameter(path + "password", ParameterType.SECURE_STRING, "password");
        testbed.putParameter(path + "denied", ParameterType.SECURE_STRING, "denied");
        // The extension's GetParameters naming it is refused, as IAM refuses a call with one denied parameter.
        testbed.proxy().fail("GetParameters", Optional.of(path + "denied"), 400, "AccessDeniedException");
    }

    @AfterAll
    static void closeTestbed() throws Exception {
        testbed.close();
    }

    private static String configuration() {
        StringBuilder json = new StringBuilder("{\"refreshIntervalSeconds\": 1, \"secrets\": [")
                .append("{\"name\": \"db\", \"secretId\": \"").append(testbed.secretId("db")).append("\"}");
        for (String name : List.of("url", "hosts", "password", "missing", "denied")) {
            json.append(", {\"name\": \"").append(name).append("\", \"parameter\": \"").append(path).append(name)
                    .append("\"}");
        }
        return json.append("]}").toString();
    }

    private static String fingerprint(InvokeResult result, String name) {
        return result.json().path("request").path(name).asText();
    }

    @Test
    void javaHandlerGetsParametersLikeSecretsFallsBackForARefusedOneAndSeesANewVersion() throws Exception {
        LambdaFunction function = testbed.withConfigFile(testbed.java("parameters-java", Testbed.SECRETS_HANDLER,
                true), configuration()).build();
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), "the function must start: " + lambda.diagnostics());
            List<InvokeResult> answers = new ArrayList<>();

            InvokeResult all = lambda.invoke("{\"get\": [\"db\", \"url\", \"hosts\", \"password\"]}");
            answers.add(all);
            assertTrue(all.succeeded(), all + "\n" + lambda.diagnostics());
            assertEquals(testbed.fingerprint(testbed.secretId("db")), fingerprint(all, "db"));
            for (String name : List.of("url", "hosts", "password")) {
                assertEquals(testbed.fingerprint(path + name), fingerprint(all, name), "the value of " + name);
            }
            assertEquals(0, testbed.proxy().count("function"), "values come from the manifest: "
                    + testbed.proxy().counts());
            String extensionLog = lambda.extension(Testbed.EXTENSION).stdout();
            assertTrue(extensionLog.contains("6 secret(s), 4 fetched, 2 failed"), extensionLog);
            assertTrue(extensionLog.contains("(name missing) not fetched: ParameterNotFound"), extensionLog);
            assertTrue(extensionLog.contains("(name denied) not fetched: AccessDeniedException"), extensionLog);

            InvokeResult missing = lambda.invoke("{\"get\": [\"missing\"]}");
            answers.add(missing);
            assertEquals(InvokeResult.Status.FUNCTION_ERROR, missing.status(), missing + "\n" + lambda.diagnostics());
            assertTrue(BlackBox.errorMessage(missing).contains("missing"), BlackBox.errorMessage(missing));

            InvokeResult denied = lambda.invoke("{\"get\": [\"denied\"]}");
            answers.add(denied);
            assertTrue(denied.succeeded(), denied + "\n" + lambda.diagnostics());
            assertEquals(testbed.fingerprint(path + "denied"), fingerprint(denied, "denied"));
            // One direct GetParameter for each error entry asked for: missing (ParameterNotFound again) and denied.
            assertEquals(2, testbed.proxy().count("function", "GetParameter"), testbed.proxy().counts().toString());

            testbed.putParameter(path + "url", ParameterType.STRING, "url-version-2");
            String rotated = testbed.fingerprint(path + "url");
            long deadline = System.nanoTime() + PICK_UP_LIMIT.toNanos();
            String seen = fingerprint(all, "url");
            while (!seen.equals(rotated) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                InvokeResult later = lambda.invoke("{\"get\": [\"url\"]}");
                answers.add(later);
                assertTrue(later.succeeded(), later + "\n" + lambda.diagnostics());
                seen = fingerprint(later, "url");
            }
            assertEquals(rotated, seen, "the new version of url did not reach the handler within " + PICK_UP_LIMIT);
            assertEquals(0, testbed.proxy().count("function", "GetParameters"));
            BlackBox.assertNoValueLeaked(testbed, lambda, answers);
        }
    }
}
