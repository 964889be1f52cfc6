// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A configuration the extension cannot use fails the init with the extension's own error
 * ({@code Extension.ConfigInvalid}), which names the source, the problem and the fix and quotes nothing else
 * from the configuration. The function is the Ruby one: the runtime plays no part here.
 */
class BadConfigIT {

    /** Something a configuration might hold that must not be echoed back. */
    private static final String CONFIG_CONTENT = "bad-config-fake-value-spv-Zt31";

    private static Testbed testbed;

    @BeforeAll
    static void startTestbed() throws Exception {
        testbed = Testbed.on(MotoServer.shared(), "it-bad-config/" + UUID.randomUUID() + "/", List.of("db"),
                Duration.ZERO);
    }

    @AfterAll
    static void closeTestbed() throws Exception {
        testbed.close();
    }

    @Test
    void unknownKeyInTheConfigurationFileFailsTheInitWithTheExtensionsError() throws Exception {
        String file = "{\n  \"secrets\": [{\"name\": \"db\", \"secretId\": \"" + testbed.secretId("db") + "\"}],\n"
                + "  \"refreshInterval\": \"" + CONFIG_CONTENT + "\"\n}";
        LambdaFunction function = testbed.withConfigFile(
                testbed.ruby("bad-config-file", "secrets_handler.handler", true), file).build();

        String message = assertInitFailsWithConfigInvalid(function);

        assertTrue(message.contains("unknown key \"refreshInterval\" (line 3, column 3)"), message);
        assertTrue(message.contains("did you mean \"refreshIntervalSeconds\"?"), message);
        assertTrue(message.contains("secrets-prefetch-"), "the message should name the file: " + message);
    }

    @Test
    void malformedInlineListFailsTheInitWithTheExtensionsError() throws Exception {
        LambdaFunction function = testbed.ruby("bad-config-inline", "secrets_handler.handler", true)
                .environment("SECRETS_PREFETCH_SECRETS", "db=" + testbed.secretId("db") + "," + CONFIG_CONTENT).build();

        String message = assertInitFailsWithConfigInvalid(function);

        assertTrue(message.startsWith("SECRETS_PREFETCH_SECRETS: entry 2 is not name=secretIdOrArn; write e.g. "
                + "db=prod/db"), message);
    }

    /** Cold-starts the function, checks how the init failed, and returns the error message Lambda shows. */
    private static String assertInitFailsWithConfigInvalid(LambdaFunction function) throws Exception {
        testbed.proxy().resetCounts();
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertFalse(lambda.init().succeeded(), "the init should fail:\n" + lambda.diagnostics());
            LambdaError error = lambda.init().error().orElseThrow();
            assertEquals("Extension.ConfigInvalid", error.type(), lambda.diagnostics());
            String marker = "extension " + Testbed.EXTENSION + " reported an init error: Extension.ConfigInvalid: ";
            assertTrue(error.message().startsWith(marker), error.message());
            String message = error.message().substring(marker.length());
            FunctionProcess extension = lambda.extension(Testbed.EXTENSION);
            lambda.shutdown();
            assertEquals(OptionalInt.of(1), extension.exitCode(), "the extension's exit status");
            assertTrue(extension.stdout().contains("[secrets-prefetch] ERROR invalid configuration: "
                    + message), "the extension should log the message:\n" + extension.stdout());
            List<String> outputs = new ArrayList<>(List.of(message, extension.output()));
            lambda.runtime().ifPresent(runtime -> outputs.add(runtime.output()));
            for (String output : outputs) {
                assertFalse(output.contains(CONFIG_CONTENT), "configuration content was echoed:\n" + output);
            }
            // The runtime may already be starting (and, finding no manifest, fetch for itself) when the error comes.
            assertEquals(0, testbed.proxy().count("extension"), "the extension fetched with a bad configuration");
            return message;
        }
    }
}
