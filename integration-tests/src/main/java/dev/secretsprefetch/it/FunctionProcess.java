// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One process of the execution environment (an extension or the runtime), with its standard output and
 * error captured to files in the sandbox.
 */
final class FunctionProcess {

    /** What the process is to Lambda. */
    enum Kind { EXTENSION, RUNTIME }

    private final String name;
    private final Kind kind;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startNanos;
    private final long startEpochMs;

    private FunctionProcess(String name, Kind kind, Process process, Path stdout, Path stderr, long startNanos,
            long startEpochMs) {
        this.name = name;
        this.kind = kind;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.startNanos = startNanos;
        this.startEpochMs = startEpochMs;
    }

    static FunctionProcess start(String name, Kind kind, List<String> command, Map<String, String> environment,
            Path workingDirectory, Path logDirectory) throws IOException {
        String prefix = (kind == Kind.EXTENSION ? "extension-" : "runtime-") + name;
        Path out = logDirectory.resolve(prefix + ".stdout");
        Path err = logDirectory.resolve(prefix + ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        long epochMs = System.currentTimeMillis();
        long nanos = System.nanoTime();
        Process process = builder.start();
        return new FunctionProcess(name, kind, process, out, err, nanos, epochMs);
    }

    /** The extension's executable file name, or the runtime's name. */
    String name() {
        return name;
    }

    Kind kind() {
        return kind;
    }

    long pid() {
        return process.pid();
    }

    /** {@link System#nanoTime()} just before the exec. */
    long startNanos() {
        return startNanos;
    }

    /** Wall-clock time of the exec, to compare with times other processes wrote down. */
    long startEpochMs() {
        return startEpochMs;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    boolean awaitExit(long timeoutNanos) throws InterruptedException {
        return process.waitFor(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** SIGTERM to the process. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL to the process and everything it started, as Lambda does when the deadline passes. */
    void kill() {
        List<ProcessHandle> tree = new ArrayList<>();
        process.toHandle().descendants().forEach(tree::add);
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Resident memory of the process and its descendants, from {@code /proc/PID/status} (VmRSS). */
    Optional<Long> residentKilobytes() {
        return statusKilobytes("VmRSS");
    }

    /** The peak resident memory so far of the process (its descendants' added), {@code VmHWM}. */
    Optional<Long> peakResidentKilobytes() {
        return statusKilobytes("VmHWM");
    }

    private Optional<Long> statusKilobytes(String field) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.toHandle().descendants().forEach(tree::add);
        long total = 0;
        boolean found = false;
        for (ProcessHandle handle : tree) {
            Optional<Long> value = status(handle.pid(), field);
            if (value.isPresent()) {
                total += value.get();
                found = true;
            }
        }
        return found ? Optional.of(total) : Optional.empty();
    }

    private static Optional<Long> status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // The process exited between listing and reading: it has no memory left to count.
        }
        return Optional.empty();
    }

    Path stdoutFile() {
        return stdout;
    }

    Path stderrFile() {
        return stderr;
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Both streams, for failure messages: stdout first. */
    String output() {
        String out = stdout();
        String err = stderr();
        return out + (err.isEmpty() ? "" : (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name + " (pid " + process.pid() + ")";
    }
}
