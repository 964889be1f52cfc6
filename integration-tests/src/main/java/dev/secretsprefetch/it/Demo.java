package dev.secretsprefetch.it;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The README's first command ({@code ./demo}): the Java and the Ruby example functions, each needing three
 * secrets in its init, cold-started under the local Lambda environment without and with the layer while
 * Secrets Manager (moto behind the proxy) takes 100 ms per call.
 */
public final class Demo {

    private static final String USAGE = "usage: demo [--cold-starts N] [--latency-ms MS]";
    private static final List<String> SECRETS = List.of("db", "api-key", "signing-key");

    private Demo() {
    }

    /** One row of the table: a function and layer choice, its cold starts. */
    private record Row(String label, List<Testbed.ColdStart> coldStarts) {
        Stats init() {
            return Stats.of(coldStarts.stream().map(c -> c.init().initDuration()).toList());
        }

        Stats invoke() {
            return Stats.of(coldStarts.stream().map(c -> c.firstInvoke().duration()).toList());
        }

        /** Who called Secrets Manager, per cold start; the same in every run, else each run's. */
        String calls() {
            List<String> distinct = coldStarts.stream().map(c -> Testbed.describeCalls(c.calls())).distinct().toList();
            return distinct.size() == 1 ? distinct.get(0) : String.join(" | ", distinct);
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            Arguments arguments = new Arguments(args, Set.of("cold-starts", "latency-ms"), USAGE);
            run(arguments.intAtLeast("cold-starts", 1, 5), arguments.intAtLeast("latency-ms", 0, 100), System.out);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(int coldStarts, int latencyMs, PrintStream out) throws Exception {
        Locations.requireLayerZip();
        out.printf("Starting moto with %d secrets; every Secrets Manager call takes %d ms more (the proxy).%n",
                SECRETS.size(), latencyMs);
        try (Testbed testbed = Testbed.start("demo/", SECRETS, Duration.ofMillis(latencyMs))) {
            List<Row[]> pairs = List.of(
                    pair(testbed, "java", coldStarts, out, withLayer -> testbed.java(
                            "demo-java" + (withLayer ? "-layer" : ""), Testbed.SECRETS_HANDLER, withLayer).build()),
                    pair(testbed, "ruby", coldStarts, out, withLayer -> testbed.ruby(
                            "demo-ruby" + (withLayer ? "-layer" : ""), "secrets_handler.handler", withLayer)
                            .build()));
            out.println();
            out.printf("%d cold starts per row; each function reads %d secrets in its init; times in ms%n",
                    coldStarts, SECRETS.size());
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
    }

    /** A function's source of configurations, with or without the layer. */
    interface FunctionFactory {
        LambdaFunction create(boolean withLayer) throws java.io.IOException;
    }

    private static Row[] pair(Testbed testbed, String language, int coldStarts, PrintStream out,
            FunctionFactory factory) throws Exception {
        LambdaFunction without = factory.create(false);
        LambdaFunction with = factory.create(true);
        List<Testbed.ColdStart> withoutRuns = new ArrayList<>();
        List<Testbed.ColdStart> withRuns = new ArrayList<>();
        out.printf("%s: ", language);
        // Alternate the two, so drift on a shared machine hits both alike.
        for (int i = 0; i < coldStarts; i++) {
            withoutRuns.add(testbed.coldStart(without));
            withRuns.add(testbed.coldStart(with));
            out.print(".");
            out.flush();
        }
        out.println();
        return new Row[] {new Row(language + ", no layer", withoutRuns), new Row(language + ", with layer", withRuns)};
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
