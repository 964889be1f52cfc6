// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Ruby, Python or Node.js function has no Java: nothing named {@code java} on the environment's {@code PATH}.
 * The extension runs anyway, from the layer alone (its native executable; in the Amazon Linux 2 layer, on the
 * Java runtime that layer brings), and the function gets its secrets from it, through the layer's client.
 */
class RuntimesWithoutJavaOnLayerIT {

    private static Testbed testbed;

    @BeforeAll
    static void startTestbed() throws Exception {
        testbed = Testbed.on(MotoServer.shared(), "it-runtimes-layer/" + UUID.randomUUID() + "/",
                List.of("db", "api-key"), Duration.ZERO);
    }

    @AfterAll
    static void closeTestbed() throws Exception {
        testbed.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ruby", "python", "node"})
    void extensionRunsFromTheLayerAloneWhereTheFunctionHasNoJava(String language) throws Exception {
        testbed.proxy().resetCounts();
        LambdaFunction function = switch (language) {
            case "ruby" -> testbed.ruby("ruby-on-layer", "secrets_handler.handler", true).build();
            case "python" -> testbed.python("python-on-layer", "secrets_handler.handler", true).build();
            default -> testbed.node("node-on-layer", "secrets_handler.handler", true).build();
        };
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            FunctionProcess extension = lambda.extension(Testbed.EXTENSION);
            FunctionProcess runtime = lambda.runtime().orElseThrow();

            for (FunctionProcess process : List.of(extension, runtime)) {
                String path = environmentOf(process).get("PATH");
                Optional<String> java = Arrays.stream(path.split(":")).filter(dir -> Files.exists(Path.of(dir, "java")))
                        .findFirst();
                assertEquals(Optional.empty(), java, process + " has java on its PATH " + path);
            }
            Path layer = lambda.sandbox().resolve("opt").toRealPath();
            List<Path> executables = executables(extension.pid());
            assertTrue(executables.stream().allMatch(e -> e.startsWith(layer)), "the extension runs "
                    + executables + ", not all of them from the layer in " + layer);

            InvokeResult result = lambda.invoke("{}");
            assertTrue(result.succeeded(), result + "\n" + lambda.diagnostics());
            BlackBox.assertFingerprints(testbed, result.json().path("init"), testbed.secretIds());
            assertEquals(Map.of("extension", Map.of("BatchGetSecretValue", 1L)), testbed.proxy().counts());
            BlackBox.assertNoValueLeaked(testbed, lambda, List.of(result));
        }
    }

    /** What the process and its descendants run, from {@code /proc/PID/exe}. */
    private static List<Path> executables(long pid) throws IOException {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("process " + pid
                + " is gone"));
        List<Path> executables = new ArrayList<>();
        for (ProcessHandle handle : Stream.concat(Stream.of(process), process.descendants()).toList()) {
            executables.add(Files.readSymbolicLink(Path.of("/proc", Long.toString(handle.pid()), "exe")));
        }
        return executables;
    }

    /** A running process's environment, from {@code /proc/PID/environ}. */
    private static Map<String, String> environmentOf(FunctionProcess process) throws IOException {
        String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ")),
                StandardCharsets.UTF_8);
        return Arrays.stream(environ.split("\0")).filter(entry -> entry.indexOf('=') > 0)
                .collect(Collectors.toMap(entry -> entry.substring(0, entry.indexOf('=')),
                        entry -> entry.substring(entry.indexOf('=') + 1), (first, second) -> second));
    }
}
