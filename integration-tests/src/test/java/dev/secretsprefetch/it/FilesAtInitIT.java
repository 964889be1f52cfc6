// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.secretsprefetch.testing.MotoServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A function without a client reads the extension's per-secret files in its init (a Ruby handler reading them
 * at module level with plain Ruby). With {@code "runtimeStart": "afterSecrets"} they are there: Lambda starts the
 * runtime only once the extension has registered, and it registers only once they are written. With the default
 * {@code overlap} the runtime starts first, so files read in its init are missing while Secrets Manager takes
 * longer to answer than the runtime to start (here 1.5 s per call); read during the invoke, they are there.
 */
class FilesAtInitIT {

    private static final Duration LATENCY = Duration.ofMillis(1500);

    private static Testbed testbed;

    @BeforeAll
    static void startTestbed() throws Exception {
        testbed = Testbed.on(MotoServer.shared(), "it-files-at-init/" + UUID.randomUUID() + "/",
                List.of("db", "api-key"), LATENCY);
    }

    @AfterAll
    static void closeTestbed() throws Exception {
        testbed.close();
    }

    @BeforeEach
    void resetCounts() {
        testbed.proxy().resetCounts();
    }

    /** The handler's fingerprints of the files, by the secret they belong to; "missing" where none was. */
    private static Map<String, String> files(JsonNode answer) {
        return Map.of("db", answer.path("db.txt").asText(), "api-key", answer.path("api-key.txt").asText());
    }

    private static Map<String, String> expected() {
        return Map.of("db", testbed.fingerprint(testbed.secretId("db")),
                "api-key", testbed.fingerprint(testbed.secretId("api-key")));
    }

    @Test
    void withAfterSecretsTheFilesAreThereWhenTheRuntimeReadsThemInItsInit() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(FilesAtInitFunction.build(testbed,
                "files-after-secrets", true, "\"runtimeStart\": \"afterSecrets\", ", 0))) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            InvokeResult result = lambda.invoke("{}");
            assertTrue(result.succeeded(), result + "\n" + lambda.diagnostics());

            assertEquals(expected(), files(result.json().path("init")), "files read in init");
            assertEquals(expected(), files(result.json().path("invoke")), "files read in the invoke");
            assertTrue(lambda.init().runtimeStart().orElseThrow().compareTo(LATENCY) >= 0,
                    "the runtime started before the extension's call was answered: " + lambda.init());
            assertEquals(Map.of("extension", Map.of("BatchGetSecretValue", 1L)), testbed.proxy().counts());
            String log = lambda.extension(Testbed.EXTENSION).stdout();
            assertTrue(log.contains("prefetch: 2 secret(s), 2 fetched, 0 failed"), log);
            BlackBox.assertNoValueLeaked(testbed, lambda, List.of(result));
        }
    }

    @Test
    void withTheDefaultOverlapFilesReadInInitMayBeMissingAndTheLogSaysWhatToSet() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(FilesAtInitFunction.build(testbed,
                "files-overlap", true, "", 0))) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            InvokeResult result = lambda.invoke("{}");
            assertTrue(result.succeeded(), result + "\n" + lambda.diagnostics());

            assertEquals(Map.of("db", "missing", "api-key", "missing"), files(result.json().path("init")),
                    "files read in init, while the extension's call waits " + LATENCY.toMillis() + " ms: "
                            + lambda.init());
            assertEquals(expected(), files(result.json().path("invoke")), "files read in the invoke");
            String log = lambda.extension(Testbed.EXTENSION).stdout();
            assertTrue(log.contains("set \"runtimeStart\": \"afterSecrets\""), log);
            BlackBox.assertNoValueLeaked(testbed, lambda, List.of(result));
        }
    }
}
