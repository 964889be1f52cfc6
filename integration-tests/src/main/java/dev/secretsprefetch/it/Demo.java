// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The README's first command ({@code ./demo}): the example functions of each language, each needing three
 * secrets in its init, cold-started under the local Lambda environment without and with the layer while
 * Secrets Manager (moto behind the proxy) takes 100 ms per call. A language this machine cannot run gets one
 * line naming what to install instead of its rows; the exit status is 0 when every language either ran or was
 * skipped that way, 1 when a measurement failed (the rows that were measured are printed all the same).
 */
public final class Demo {

    private static final String USAGE = "usage: demo [--cold-starts N] [--latency-ms MS]";
    private static final List<String> SECRETS = List.of("db", "api-key", "signing-key");

    private Demo() {
    }

    /** What one cold start measured. */
    record Sample(Duration init, Duration firstInvoke, String calls) {
    }

    /** An example function, with or without the layer, ready to be cold-started. */
    interface Variant {
        Sample coldStart() throws Exception;
    }

    /** Builds a language's example function without ({@code false}) or with the layer. */
    interface VariantFactory {
        Variant create(boolean withLayer) throws IOException;
    }

    /**
     * A language of the demo.
     *
     * @param unavailable why this machine cannot run its functions, naming what to install; empty when it can
     */
    record Language(String name, Supplier<Optional<String>> unavailable, VariantFactory variants) {
    }

    /** One row of the table: a function and layer choice, its cold starts. */
    record Row(String label, List<Sample> samples) {
        Stats init() {
            return Stats.of(samples.stream().map(Sample::init).toList());
        }

        Stats invoke() {
            return Stats.of(samples.stream().map(Sample::firstInvoke).toList());
        }

        /** Who called Secrets Manager, per cold start; the same in every run, else each run's. */
        String calls() {
            List<String> distinct = samples.stream().map(Sample::calls).distinct().toList();
            return distinct.size() == 1 ? distinct.get(0) : String.join(" | ", distinct);
        }
    }

    public static void main(String[] args) throws Exception {
        int status;
        try {
            Arguments arguments = new Arguments(args, Set.of("cold-starts", "latency-ms"), USAGE);
            status = run(arguments.intAtLeast("cold-starts", 1, 5), arguments.intAtLeast("latency-ms", 0, 100),
                    System.out);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("demo: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    /** The demo on moto and the built layer; returns the exit status. */
    static int run(int coldStarts, int latencyMs, PrintStream out) throws Exception {
        Locations.requireLayerZip();
        out.printf("Starting moto with %d secrets; every Secrets Manager call takes %d ms more (the proxy).%n",
                SECRETS.size(), latencyMs);
        try (Testbed testbed = Testbed.start("demo/", SECRETS, Duration.ofMillis(latencyMs))) {
            List<Language> languages = List.of(
                    new Language("java", Optional::empty, withLayer -> variant(testbed, testbed.java(
                            "demo-java" + (withLayer ? "-layer" : ""), Testbed.SECRETS_HANDLER, withLayer))),
                    new Language("ruby", FunctionRuntime::rubyUnavailable, withLayer -> variant(testbed,
                            testbed.ruby("demo-ruby" + (withLayer ? "-layer" : ""), "secrets_handler.handler",
                                    withLayer))),
                    new Language("python", FunctionRuntime::pythonUnavailable, withLayer -> variant(testbed,
                            testbed.python("demo-python" + (withLayer ? "-layer" : ""), "secrets_handler.handler",
                                    withLayer))),
                    new Language("node", FunctionRuntime::nodeUnavailable, withLayer -> variant(testbed,
                            testbed.node("demo-node" + (withLayer ? "-layer" : ""), "secrets_handler.handler",
                                    withLayer))));
            return measureAndReport(languages, coldStarts, SECRETS.size(), out);
        }
    }

    private static Variant variant(Testbed testbed, LambdaFunction.Builder builder) {
        LambdaFunction function = builder.build();
        return () -> {
            Testbed.ColdStart coldStart = testbed.coldStart(function);
            return new Sample(coldStart.init().initDuration(), coldStart.firstInvoke().duration(),
                    Testbed.describeCalls(coldStart.calls()));
        };
    }

    /**
     * Cold-starts every language this machine can run, {@code coldStarts} times without and with the layer,
     * prints the table of what was measured, then one line per language that was not; returns the exit status.
     */
    static int measureAndReport(List<Language> languages, int coldStarts, int secrets, PrintStream out)
            throws InterruptedException {
        List<Row[]> pairs = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        boolean failed = false;
        for (Language language : languages) {
            Optional<String> unavailable = language.unavailable().get();
            if (unavailable.isPresent()) {
                notRun.add(language.name() + ": not run: " + unavailable.get());
                continue;
            }
            try {
                pairs.add(pair(language, coldStarts, out));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                out.println();
                notRun.add(language.name() + ": FAILED: " + e.getMessage());
                failed = true;
            }
        }
        if (!pairs.isEmpty()) {
            printTable(pairs, coldStarts, secrets, out);
        }
        if (!notRun.isEmpty()) {
            out.println();
            notRun.forEach(out::println);
        }
        return failed ? 1 : 0;
    }

    private static Row[] pair(Language language, int coldStarts, PrintStream out) throws Exception {
        Variant without = language.variants().create(false);
        Variant with = language.variants().create(true);
        List<Sample> withoutRuns = new ArrayList<>();
        List<Sample> withRuns = new ArrayList<>();
        out.printf("%s: ", language.name());
        // Alternate the two, so drift on a shared machine hits both alike.
        for (int i = 0; i < coldStarts; i++) {
            withoutRuns.add(without.coldStart());
            withRuns.add(with.coldStart());
            out.print(".");
            out.flush();
        }
        out.println();
        return new Row[] {new Row(language.name() + ", no layer", withoutRuns),
            new Row(language.name() + ", with layer", withRuns)};
    }

    private static void printTable(List<Row[]> pairs, int coldStarts, int secrets, PrintStream out) {
        out.println();
        out.printf("%d cold starts per row; each function reads %d secrets in its init; times in ms%n",
                coldStarts, secrets);
        out.printf("%-18s  %9s  %11s  %14s  %17s   %s%n", "function", "init avg", "init median",
                "1st invoke avg", "1st invoke median", "Secrets Manager calls per cold start");
        for (Row[] pair : pairs) {
            for (Row row : pair) {
                out.printf("%-18s  %9s  %11s  %14s  %17s   %s%n", row.label(), format(row.init().average()),
                        format(row.init().median()), format(row.invoke().average()),
                        format(row.invoke().median()), row.calls());
            }
            out.printf("%-18s  %9s  %11s  %14s  %17s%n", "  change",
                    Stats.change(pair[0].init().average(), pair[1].init().average()),
                    Stats.change(pair[0].init().median(), pair[1].init().median()),
                    Stats.change(pair[0].invoke().average(), pair[1].invoke().average()),
                    Stats.change(pair[0].invoke().median(), pair[1].invoke().median()));
        }
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
