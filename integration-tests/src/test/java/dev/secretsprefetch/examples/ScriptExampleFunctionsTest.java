// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example Python and Node.js functions' unit tests ({@code src/test/python}, pytest with
 * secrets_prefetch.testing; {@code src/test/node}, node:test with secrets-prefetch/testing) in the build, as
 * their Java and Ruby twins' run. Python with pytest and Node.js are prerequisites of the build (the clients' own
 * tests need them too).
 */
class ScriptExampleFunctionsTest {

    private final Path module = Path.of("").toAbsolutePath();

    @TempDir
    Path project;

    @Test
    void theExamplePythonFunctionsUnitTestsPass() throws IOException, InterruptedException {
        String output = run(List.of("python3", "-m", "pytest", "-p", "no:cacheprovider", "--rootdir",
                project.toString(), module.resolve("src/test/python/test_secrets_handler.py").toString()),
                Map.of("PYTHONPATH", module.resolveSibling("client-python") + ":" + module.resolve("src/lambda/python"),
                        "PYTHONDONTWRITEBYTECODE", "1"));
        assertTrue(output.contains("3 passed"), output);
    }

    @Test
    void theExampleNodeFunctionsUnitTestsPass() throws IOException, InterruptedException {
        // A function's project: the handler, its test, and the package in node_modules.
        Files.copy(module.resolve("src/lambda/node/secrets_handler.mjs"), project.resolve("secrets_handler.mjs"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(module.resolve("src/test/node/secrets_handler.test.mjs"),
                project.resolve("secrets_handler.test.mjs"), StandardCopyOption.REPLACE_EXISTING);
        Files.createSymbolicLink(Files.createDirectories(project.resolve("node_modules")).resolve("secrets-prefetch"),
                module.resolveSibling("client-node"));
        String output = run(List.of("node", "--test", "secrets_handler.test.mjs"), Map.of());
        assertTrue(output.contains("# pass 3") && output.contains("# fail 0"), output);
    }

    private String run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SECRETS_PREFETCH_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), command + " did not finish");
        System.out.println(output); // into the test report, which the hygiene scan reads
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
