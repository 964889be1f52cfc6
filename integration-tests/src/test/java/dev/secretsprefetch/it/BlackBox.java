// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the black-box tests check over and over: fingerprints in a handler's answer, and that no secret value
 * reached any output. Failure messages name secrets and files, never values.
 */
final class BlackBox {

    private BlackBox() {
    }

    /** Asserts that {@code fingerprints} (id → SHA-256, as the example handlers answer) match the secrets' values. */
    static void assertFingerprints(Testbed testbed, JsonNode fingerprints, List<String> secretIds) {
        List<String> answered = new ArrayList<>();
        fingerprints.fieldNames().forEachRemaining(answered::add);
        assertTrue(answered.containsAll(secretIds), "answered for " + answered + ", expected " + secretIds);
        for (String id : secretIds) {
            assertTrue(testbed.fingerprint(id).equals(fingerprints.path(id).asText()),
                    "the value of " + id + " differs from the secret's (fingerprints differ)");
        }
    }

    /** Asserts that no value of the testbed's secrets is in any process's output or in {@code answers}. */
    static void assertNoValueLeaked(Testbed testbed, LambdaSimulator lambda, List<InvokeResult> answers) {
        List<FunctionProcess> processes = new ArrayList<>(lambda.extensions().values());
        lambda.runtime().ifPresent(processes::add);
        for (FunctionProcess process : processes) {
            assertFalse(testbed.containsAnyValue(process.stdout()), "a secret value is in " + process.stdoutFile());
            assertFalse(testbed.containsAnyValue(process.stderr()), "a secret value is in " + process.stderrFile());
        }
        for (InvokeResult answer : answers) {
            assertFalse(testbed.containsAnyValue(answer.bodyText()), "a secret value is in the answer to " + answer);
        }
    }

    /**
     * An extension configuration file listing {@code secretIds} under their names ({@link Testbed#nameOf}),
     * after {@code settings} (JSON members, e.g. {@code "refreshIntervalSeconds": 1}).
     */
    static String configuration(String settings, List<String> secretIds) {
        StringBuilder json = new StringBuilder("{").append(settings).append(settings.isEmpty() ? "" : ", ")
                .append("\"secrets\": [");
        for (int i = 0; i < secretIds.size(); i++) {
            json.append(i == 0 ? "" : ", ").append("{\"name\": \"").append(Testbed.nameOf(secretIds.get(i)))
                    .append("\", \"secretId\": \"").append(secretIds.get(i)).append("\"}");
        }
        return json.append("]}").toString();
    }

    /** The answer's error message (Lambda's error document), for a failed invoke. */
    static String errorMessage(InvokeResult result) {
        return result.json().path("errorMessage").asText();
    }
}
