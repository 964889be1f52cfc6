// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The cold-start benchmark recorded in docs/benchmarks.md: a Java function needing three secrets, Secrets
 * Manager at 100 ms per call, cold-started as a no-secrets baseline, with the SDK in its init, and with the
 * layer. Reports {@code (with extension - no secrets) / (SDK in init - no secrets)} of the init duration
 * (goal: at most 0.10), the extension's exec-to-manifest-ready time and its resident memory after the
 * prefetch. Variants run in interleaved rounds, after one discarded warm-up round. With {@code --compare-layer ZIP}
 * a fourth variant runs the same function with that layer instead (e.g. the Amazon Linux 2 layer next to the native
 * one), side by side in the same rounds.
 */
public final class ColdStartBenchmark {

    private static final String USAGE = "usage: ColdStartBenchmark [--cold-starts N] [--latency-ms MS] "
            + "[--compare-layer ZIP]";
    private static final List<String> SECRETS = List.of("db", "api-key", "signing-key");

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Arguments arguments = new Arguments(args, Set.of("cold-starts", "latency-ms", "compare-layer"), USAGE);
            Optional<Path> compared = arguments.string("compare-layer").map(z -> Path.of(z).toAbsolutePath());
            if (compared.isPresent() && !Files.isRegularFile(compared.get())) {
                throw new IllegalArgumentException("--compare-layer " + compared.get() + " is not a layer zip");
            }
            run(arguments.intAtLeast("cold-starts", 1, 20), arguments.intAtLeast("latency-ms", 0, 100), compared,
                    System.out);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("benchmark: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(int coldStarts, int latencyMs, Optional<Path> compared, PrintStream out) throws Exception {
        Locations.requireLayerZip();
        try (Testbed testbed = Testbed.start("bench/", SECRETS, Duration.ofMillis(latencyMs))) {
            List<LambdaFunction> variants = new ArrayList<>(List.of(
                    testbed.java("bench-no-secrets", Testbed.NO_SECRETS_HANDLER, false).build(),
                    testbed.java("bench-sdk-in-init", Testbed.SDK_IN_INIT_HANDLER, false).build(),
                    testbed.java("bench-extension", Testbed.SECRETS_HANDLER, true).build()));
            List<String> labels = new ArrayList<>(List.of("no secrets", "SDK in init (3 × GetSecretValue)",
                    "with the layer (Secrets.get × 3)"));
            if (compared.isPresent()) {
                variants.add(testbed.java("bench-compared", Testbed.SECRETS_HANDLER, compared).build());
                labels.add("with " + compared.get().getFileName() + " (Secrets.get × 3)");
            }
            List<List<Testbed.ColdStart>> results = new ArrayList<>();
            variants.forEach(v -> results.add(new ArrayList<>()));
            for (int round = -1; round < coldStarts; round++) {
                for (int v = 0; v < variants.size(); v++) {
                    Testbed.ColdStart coldStart = testbed.coldStart(variants.get(v));
                    if (round >= 0) {
                        results.get(v).add(coldStart);
                    }
                }
                out.print(round < 0 ? "w" : ".");
                out.flush();
            }
            out.println();
            report(labels, results, coldStarts, latencyMs, out);
        }
    }

    private static void report(List<String> labels, List<List<Testbed.ColdStart>> results, int coldStarts,
            int latencyMs, PrintStream out) {
        out.printf("Java function, %d secrets, +%d ms per Secrets Manager call, %d cold starts per variant "
                + "(after a warm-up round), times in ms%n%n", SECRETS.size(), latencyMs, coldStarts);
        out.println("| variant | init avg | init median | runtime exec at (median) | runtime init (median) "
                + "| 1st invoke median | Secrets Manager calls (last cold start) |");
        out.println("|---|---:|---:|---:|---:|---:|---|");
        List<Stats> init = new ArrayList<>();
        for (int v = 0; v < labels.size(); v++) {
            List<Testbed.ColdStart> runs = results.get(v);
            Stats stats = Stats.of(runs.stream().map(c -> c.init().initDuration()).toList());
            Stats runtimeStart = Stats.of(runs.stream().map(c -> c.init().runtimeStart()).flatMap(Optional::stream)
                    .toList());
            Stats runtimeInit = Stats.of(runs.stream().map(c -> c.init().runtimeInit()).flatMap(Optional::stream)
                    .toList());
            Stats invoke = Stats.of(runs.stream().map(c -> c.firstInvoke().duration()).toList());
            init.add(stats);
            out.printf("| %s | %s | %s | %s | %s | %s | %s |%n", labels.get(v), Demo.format(stats.average()),
                    Demo.format(stats.median()), Demo.format(runtimeStart.median()), Demo.format(runtimeInit.median()),
                    Demo.format(invoke.median()),
                    runs.isEmpty() ? "" : Testbed.describeCalls(runs.get(runs.size() - 1).calls()));
        }
        for (int layered = 2; layered < labels.size(); layered++) {
            out.println();
            out.printf(Locale.ROOT, "%s: ratio (with the layer - no secrets) / (SDK in init - no secrets): median "
                    + "%.3f, average %.3f (goal: at most 0.10)%n", labels.get(layered),
                    ratio(init, layered, Stats::median), ratio(init, layered, Stats::average));
            extension(results.get(layered), out);
        }
    }

    /** The extension's own figures over a layered variant's cold starts. */
    private static void extension(List<Testbed.ColdStart> layered, PrintStream out) {
        Stats registered = Stats.of(layered.stream().map(c -> c.init().extensionRegister().get(Testbed.EXTENSION))
                .filter(java.util.Objects::nonNull).toList());
        out.printf("extension exec -> registered (the runtime starts then): median %s ms, average %s ms "
                + "(%d samples)%n", Demo.format(registered.median()), Demo.format(registered.average()),
                registered.count());
        Stats firstCall = Stats.of(layered.stream().map(Testbed.ColdStart::extensionToFirstCall)
                .flatMap(Optional::stream).toList());
        out.printf("extension exec -> its first Secrets Manager call arrives: median %s ms, average %s ms "
                + "(%d samples)%n", Demo.format(firstCall.median()), Demo.format(firstCall.average()), firstCall.count());
        Stats ready = Stats.of(layered.stream().map(Testbed.ColdStart::extensionToManifestReady)
                .flatMap(Optional::stream).toList());
        out.printf("extension exec -> manifest ready: median %s ms, average %s ms (%d samples)%n",
                Demo.format(ready.median()), Demo.format(ready.average()), ready.count());
        Stats rss = Stats.ofValues(layered.stream().map(Testbed.ColdStart::extensionRssKb).flatMap(Optional::stream)
                .map(Long::doubleValue).toList());
        out.printf("extension RSS after prefetch (VmRSS, process tree): median %s MiB, average %s MiB (%d samples)%n",
                Demo.format(rss.median() / 1024), Demo.format(rss.average() / 1024), rss.count());
        Stats peak = Stats.ofValues(layered.stream().map(c -> c.init().extensionPeakRssKb().get(Testbed.EXTENSION))
                .filter(java.util.Objects::nonNull).map(Long::doubleValue).toList());
        out.printf("extension peak RSS by the end of init (VmHWM): median %s MiB, average %s MiB (%d samples)%n",
                Demo.format(peak.median() / 1024), Demo.format(peak.average() / 1024), peak.count());
    }

    private static double ratio(List<Stats> init, int layered, java.util.function.ToDoubleFunction<Stats> statistic) {
        double none = statistic.applyAsDouble(init.get(0));
        double sdk = statistic.applyAsDouble(init.get(1));
        double layer = statistic.applyAsDouble(init.get(layered));
        return (layer - none) / (sdk - none);
    }
}
