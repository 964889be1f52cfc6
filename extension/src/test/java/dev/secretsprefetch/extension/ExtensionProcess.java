// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.config.Config;
import dev.secretsprefetch.testing.TestLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The layer's {@code extensions/secrets-prefetch} as a process, started as Lambda starts it: no arguments, the
 * environment given and nothing else of the test's ({@code AWS_*}, {@code SECRETS_PREFETCH_*} and Java options
 * removed), the configuration in a file. Its output goes to the build's test logs, where the hygiene scan reads it.
 */
final class ExtensionProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final Path configFile;

    private ExtensionProcess(Process process, Path output, Path configFile) {
        this.process = process;
        this.output = output;
        this.configFile = configFile;
    }

    static ExtensionProcess start(Path executable, Config config, Map<String, String> env) throws IOException {
        Path configFile = Files.createTempFile("secrets-prefetch-", ".json");
        Files.write(configFile, ConfigFiles.json(config));
        Map<String, String> withConfig = new java.util.HashMap<>(env);
        withConfig.put("SECRETS_PREFETCH_CONFIG", configFile.toString());
        return start(List.of(executable.toString()), withConfig, configFile);
    }

    /** {@code command} with exactly {@code env} on top of the machine's own (PATH, HOME, ...). */
    static ExtensionProcess start(List<String> command, Map<String, String> env) throws IOException {
        return start(command, env, null);
    }

    private static ExtensionProcess start(List<String> command, Map<String, String> env, Path configFile)
            throws IOException {
        Path output = TestLogs.newFile("extension-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SECRETS_PREFETCH_")
                || k.endsWith("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS") || k.endsWith("_PROXY")
                || k.endsWith("_proxy"));
        builder.environment().putAll(env);
        return new ExtensionProcess(builder.start(), output, configFile);
    }

    long pid() {
        return process.pid();
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<Integer> exitStatus(Duration wait) throws InterruptedException {
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** A value of {@code /proc/PID/status}, e.g. {@code VmHWM}, in kB; -1 once the process is gone. */
    long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** SIGTERM first, so that a JVM under the tracing agent writes what it recorded; SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (configFile != null) {
                Files.deleteIfExists(configFile);
            }
        } catch (IOException | InterruptedException e) {
            // A temporary file; the process is gone or going.
        }
    }
}
