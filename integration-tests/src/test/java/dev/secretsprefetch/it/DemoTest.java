// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo's rows and skips, on made-up measurements: what it prints and its exit status. */
class DemoTest {

    private static final String RUBY_MISSING = "no ruby on the PATH; " + FunctionRuntime.RUBY_INSTALL;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final List<String> coldStarts = new ArrayList<>();

    @Test
    void languageThatCannotRunGetsOneLineNamingWhatToInstallAndTheJavaRowsArePrinted() throws Exception {
        Demo.Language ruby = new Demo.Language("ruby", () -> Optional.of(RUBY_MISSING), withLayer -> {
            throw new AssertionError("a language that cannot run is not built");
        });

        int status = Demo.measureAndReport(List.of(java(), ruby), 3, 3, out);

        assertEquals(0, status, "the Java rows ran: success");
        List<String> lines = lines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("java, no layer ")), output());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("java, with layer ")), output());
        List<String> rubyLines = lines.stream().filter(l -> l.contains("ruby")).toList();
        assertEquals(List.of("ruby: not run: " + RUBY_MISSING), rubyLines, output());
        assertTrue(rubyLines.get(0).contains("apt-get install -y ruby ruby-aws-sigv4"), output());
    }

    @Test
    void pythonAndNodeRowsStandNextToTheJavaAndRubyOnesEachPairWithItsChange() throws Exception {
        List<Demo.Language> languages = List.of(java(), fixed("ruby"), fixed("python"), fixed("node"));

        int status = Demo.measureAndReport(languages, 2, 3, out);

        assertEquals(0, status);
        List<String> rows = lines().stream().filter(l -> l.matches("(\\w+, (no|with) layer|  change) .*")).toList();
        List<String> labels = rows.stream().map(l -> l.substring(0, 18).strip()).toList();
        assertEquals(List.of("java, no layer", "java, with layer", "change", "ruby, no layer", "ruby, with layer",
                "change", "python, no layer", "python, with layer", "change", "node, no layer", "node, with layer",
                "change"), labels, output());
        assertTrue(lines().contains(String.format("%-18s  %9s  %11s  %14s  %17s   %s", "python, with layer", "400",
                "400", "10.0", "10.0", "extension: 1 BatchGetSecretValue")), output());
        assertTrue(lines().contains(String.format("%-18s  %9s  %11s  %14s  %17s   %s", "node, no layer", "800",
                "800", "10.0", "10.0", "function: 3 GetSecretValue")), output());
    }

    @Test
    void pythonAndNodeThatCannotRunGetOneLineEachNamingWhatToInstall() throws Exception {
        String pythonMissing = "no python3 on the PATH; " + FunctionRuntime.PYTHON_INSTALL;
        String nodeMissing = "no node on the PATH; " + FunctionRuntime.NODE_INSTALL;
        Demo.Language python = new Demo.Language("python", () -> Optional.of(pythonMissing), withLayer -> {
            throw new AssertionError("a language that cannot run is not built");
        });
        Demo.Language node = new Demo.Language("node", () -> Optional.of(nodeMissing), withLayer -> {
            throw new AssertionError("a language that cannot run is not built");
        });

        int status = Demo.measureAndReport(List.of(java(), fixed("ruby"), python, node), 1, 3, out);

        assertEquals(0, status, "what could run ran: success");
        assertTrue(lines().stream().anyMatch(l -> l.startsWith("ruby, with layer ")), output());
        assertEquals(List.of("python: not run: " + pythonMissing),
                lines().stream().filter(l -> l.contains("python")).toList(), output());
        assertEquals(List.of("node: not run: " + nodeMissing),
                lines().stream().filter(l -> l.startsWith("node")).toList(), output());
        assertTrue(pythonMissing.contains("apt-get install -y python3 python3-boto3"), pythonMissing);
        assertTrue(nodeMissing.contains("apt-get install -y nodejs npm") && nodeMissing.contains("npm ci"),
                nodeMissing);
    }

    @Test
    void rowsShowAverageMedianAndChangeOfColdStartsAlternatingWithoutAndWithTheLayer() throws Exception {
        int status = Demo.measureAndReport(List.of(java()), 3, 3, out);

        assertEquals(0, status);
        assertEquals(List.of("java-0", "java-layer-0", "java-1", "java-layer-1", "java-2", "java-layer-2"), coldStarts);
        // Without: init 1000, 1100, 1500 ms (avg 1200, median 1100); with: 500, 600, 1000 (avg 700, median 600).
        assertTrue(lines().contains(String.format("%-18s  %9s  %11s  %14s  %17s   %s", "java, no layer", "1200",
                "1100", "20.0", "20.0", "function: 3 GetSecretValue")), output());
        assertTrue(lines().contains(String.format("%-18s  %9s  %11s  %14s  %17s   %s", "java, with layer", "700",
                "600", "30.0", "30.0", "extension: 1 BatchGetSecretValue")), output());
        assertTrue(lines().contains(String.format("%-18s  %9s  %11s  %14s  %17s", "  change", "-42%", "-45%",
                "+50%", "+50%")), output());
        assertTrue(lines().contains("3 cold starts per row; each function reads 3 secrets in its init; times in ms"),
                output());
    }

    @Test
    void failedMeasurementIsReportedAfterTheRowsThatWereMeasuredAndFailsTheRun() throws Exception {
        Demo.Language ruby = new Demo.Language("ruby", Optional::empty, withLayer -> () -> {
            throw new IllegalStateException("cold start of demo-ruby failed: Runtime.ExitError");
        });

        int status = Demo.measureAndReport(List.of(java(), ruby), 2, 3, out);

        assertEquals(1, status, "a measurement failed");
        assertTrue(lines().stream().anyMatch(l -> l.startsWith("java, with layer ")), output());
        assertTrue(lines().contains("ruby: FAILED: cold start of demo-ruby failed: Runtime.ExitError"), output());
        assertFalse(lines().stream().anyMatch(l -> l.startsWith("ruby, ")), output());
    }

    @Test
    void noTableWhenNothingCouldRun() throws Exception {
        Demo.Language ruby = new Demo.Language("ruby", () -> Optional.of(RUBY_MISSING), withLayer -> null);

        int status = Demo.measureAndReport(List.of(ruby), 5, 3, out);

        assertEquals(0, status, "nothing failed; nothing could run either, and the line says why");
        assertEquals(List.of("", "ruby: not run: " + RUBY_MISSING), lines());
    }

    /** A Java language whose cold starts return fixed numbers, and record their order. */
    private Demo.Language java() {
        return new Demo.Language("java", Optional::empty, withLayer -> {
            Iterator<Integer> inits = (withLayer ? List.of(500, 600, 1000) : List.of(1000, 1100, 1500)).iterator();
            String calls = withLayer ? "extension: 1 BatchGetSecretValue" : "function: 3 GetSecretValue";
            String name = withLayer ? "java-layer-" : "java-";
            return () -> {
                coldStarts.add(name + coldStarts.stream().filter(c -> c.startsWith(name)
                        && c.substring(name.length()).matches("\\d+")).count());
                return new Demo.Sample(Duration.ofMillis(inits.next()), Duration.ofMillis(withLayer ? 30 : 20), calls);
            };
        });
    }

    /** A language whose cold starts take 800 ms without the layer and 400 ms with it, 10 ms for the invoke. */
    private static Demo.Language fixed(String name) {
        return new Demo.Language(name, Optional::empty, withLayer -> () -> new Demo.Sample(
                Duration.ofMillis(withLayer ? 400 : 800), Duration.ofMillis(10),
                withLayer ? "extension: 1 BatchGetSecretValue" : "function: 3 GetSecretValue"));
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return output().lines().toList();
    }
}
