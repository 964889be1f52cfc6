// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A function's first {@code Secrets.get} in a fresh JVM, side by side with a hello-world JVM: each round starts
 * one of each, alternately, and measures process start to exit; the probe also reports the get's own time.
 * A last run with {@code -Xlog:class+load} counts AWS SDK and Jackson classes (both must be 0). Prints a Markdown
 * table. Not a test: results depend on the machine and are recorded by hand in docs/benchmarks.md.
 *
 * <p>System properties: {@code bench.runs} (default 15), {@code bench.javas} (comma-separated java
 * executables, default this JVM's), {@code bench.compare} (the class path of another build, e.g. the previous
 * commit's: its probe then runs in the same rounds, and a second table sets the two side by side).
 */
public final class FirstGetBenchmark {

    private FirstGetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 15);
        String javas = System.getProperty("bench.javas", "");
        List<String> executables = javas.isBlank()
                ? List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                : Arrays.asList(javas.split(","));
        Path work = Files.createTempDirectory("first-get-bench");
        Path secrets = work.resolve("secrets");
        ManifestFilesWriter.ensureDirectory(secrets);
        ManifestFilesWriter.writeAtomically(secrets, ManifestFiles.MANIFEST_FILE,
                Files.readAllBytes(Fixtures.manifests().resolve("valid.json")));
        String compare = System.getProperty("bench.compare", "");
        List<String> comparisons = new ArrayList<>();
        System.out.println("| JVM | flags | hello-world ms (median) | first-get JVM ms (median) | ratio | "
                + "difference ms | get itself ms (median) | AWS SDK classes | Jackson classes |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        try {
            for (String java : executables) {
                for (List<String> flags : List.of(List.<String>of(), List.of("-XX:TieredStopAtLevel=1"))) {
                    comparisons.add(measure(java, flags, secrets, work, runs, compare));
                }
            }
        } finally {
            ManifestFilesWriter.deleteDirectory(work);
        }
        if (!compare.isBlank()) {
            System.out.println();
            System.out.println("The same rounds, with the probe of the build on bench.compare (\"before\"):");
            System.out.println();
            System.out.println("| JVM | flags | hello-world ms | before: first-get JVM ms | before: difference ms | "
                    + "after: first-get JVM ms | after: difference ms | before: get itself ms | after: get itself ms |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            comparisons.forEach(System.out::println);
        }
    }

    /** One JVM and flags: prints its row, and returns the row of the comparison table (empty without one). */
    private static String measure(String java, List<String> flags, Path secrets, Path work, int runs, String compare)
            throws IOException, InterruptedException {
        String classPath = System.getProperty("java.class.path");
        double[] hello = new double[runs];
        double[] probe = new double[runs];
        double[] get = new double[runs];
        double[] before = new double[runs];
        double[] beforeGet = new double[runs];
        for (int i = -2; i < runs; i++) { // two unrecorded rounds warm the page cache
            Timed h = run(command(java, flags, List.of(), classPath, HelloWorld.class.getName()), secrets);
            // The two probes take turns going first: the second JVM of a round starts on a warmer machine.
            boolean beforeFirst = !compare.isBlank() && (i & 1) == 1;
            Timed b = beforeFirst ? probe(java, flags, compare, secrets) : null;
            Timed p = probe(java, flags, classPath, secrets);
            if (b == null) {
                b = compare.isBlank() ? p : probe(java, flags, compare, secrets);
            }
            if (i >= 0) {
                hello[i] = h.millis;
                probe[i] = p.millis;
                get[i] = getMillis(p.output);
                before[i] = b.millis;
                beforeGet[i] = getMillis(b.output);
            }
        }
        Path classLog = work.resolve("classes.log");
        run(command(java, flags, List.of("-Xlog:class+load=info:file=" + classLog), classPath,
                FirstGetProbe.class.getName(), "get", "db"), secrets);
        List<String> loaded = Files.readAllLines(classLog);
        double helloMedian = median(hello);
        double probeMedian = median(probe);
        String jvm = version(java);
        String flagText = flags.isEmpty() ? "(default)" : String.join(" ", flags);
        System.out.println(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.2f | %.1f | %.2f | %d | %d |",
                jvm, flagText, helloMedian, probeMedian, probeMedian / helloMedian, probeMedian - helloMedian,
                median(get), count(loaded, " software.amazon.awssdk."), count(loaded, " com.fasterxml.jackson.")));
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |", jvm,
                flagText, helloMedian, median(before), median(before) - helloMedian, probeMedian,
                probeMedian - helloMedian, median(beforeGet), median(get));
    }

    private static Timed probe(String java, List<String> flags, String classPath, Path secrets)
            throws IOException, InterruptedException {
        return run(command(java, flags, List.of(), classPath, FirstGetProbe.class.getName(), "get", "db"), secrets);
    }

    private static List<String> command(String java, List<String> flags, List<String> logging, String classPath,
            String main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        command.addAll(logging);
        command.addAll(List.of("-cp", classPath, main));
        command.addAll(List.of(args));
        return command;
    }

    private record Timed(double millis, String output) {
    }

    private static Timed run(List<String> command, Path secrets) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put(EnvironmentVariables.DIR, secrets.toString());
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " failed: " + output);
        }
        return new Timed((System.nanoTime() - start) / 1e6, output);
    }

    private static double getMillis(String output) {
        for (String token : output.trim().split("\\s+")) {
            if (token.startsWith("nanos=")) {
                return Long.parseLong(token.substring("nanos=".length())) / 1e6;
            }
        }
        throw new IllegalStateException("probe printed no timing: " + output);
    }

    private static String version(String java) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(java, "-XshowSettings:properties", "-version").redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        for (String line : output.split("\n")) {
            if (line.trim().startsWith("java.runtime.version = ")) {
                return line.trim().substring("java.runtime.version = ".length());
            }
        }
        return java;
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.contains(prefix)).count();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
