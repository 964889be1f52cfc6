// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code runtimeStart} costs, recorded in docs/benchmarks.md: a Ruby function without a client that reads two
 * per-secret files at the end of its init ({@code files_at_init_handler.rb}, after {@code INIT_WORK_MS} of CPU
 * work standing for the rest of its init), cold-started without the layer, with it under {@code overlap} and
 * under {@code afterSecrets}, Secrets Manager answering after {@code --latency-ms}. Reports the init duration
 * (median, average), when the runtime was started and how often the init found both files. Variants run in
 * interleaved rounds after one discarded warm-up round. Not a test: run it from the built tree with
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * java -cp "$(cat integration-tests/target/driver.classpath):integration-tests/target/classes:integration-tests/target/test-classes" \
 *     dev.secretsprefetch.it.RuntimeStartBenchmark --cold-starts 10 --latency-ms 100
 * </pre>
 */
public final class RuntimeStartBenchmark {

    private static final String USAGE = "usage: RuntimeStartBenchmark [--cold-starts N] [--latency-ms MS]";
    private static final List<Integer> INIT_WORK_MS = List.of(0, 500);

    private record Variant(String label, LambdaFunction function) {
    }

    private RuntimeStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = new Arguments(args, Set.of("cold-starts", "latency-ms"), USAGE);
        run(arguments.intAtLeast("cold-starts", 1, 10), arguments.intAtLeast("latency-ms", 0, 100), System.out);
    }

    static void run(int coldStarts, int latencyMs, PrintStream out) throws Exception {
        Locations.requireLayerZip();
        try (Testbed testbed = Testbed.start("bench-runtime-start/", List.of("db", "api-key"),
                Duration.ofMillis(latencyMs))) {
            List<Variant> variants = new ArrayList<>();
            for (int work : INIT_WORK_MS) {
                variants.add(new Variant("no layer, init work " + work + " ms",
                        FilesAtInitFunction.build(testbed, "bench-no-layer-" + work, false, "", work)));
                variants.add(new Variant("overlap (default), init work " + work + " ms",
                        FilesAtInitFunction.build(testbed, "bench-overlap-" + work, true, "", work)));
                variants.add(new Variant("afterSecrets, init work " + work + " ms",
                        FilesAtInitFunction.build(testbed, "bench-after-secrets-" + work, true,
                        "\"runtimeStart\": \"afterSecrets\", ", work)));
            }
            List<List<Testbed.ColdStart>> results = new ArrayList<>();
            variants.forEach(v -> results.add(new ArrayList<>()));
            for (int round = -1; round < coldStarts; round++) {
                for (int v = 0; v < variants.size(); v++) {
                    Testbed.ColdStart coldStart = testbed.coldStart(variants.get(v).function());
                    if (round >= 0) {
                        results.get(v).add(coldStart);
                    }
                }
                out.print(round < 0 ? "w" : ".");
                out.flush();
            }
            out.println();
            out.printf("Ruby function reading 2 files at the end of its init, +%d ms per Secrets Manager call, %d cold "
                    + "starts per variant (after a warm-up round), times in ms%n%n", latencyMs, coldStarts);
            out.println("| variant | init median | init avg | runtime exec at (median) | files found in init |");
            out.println("|---|---:|---:|---:|---:|");
            for (int v = 0; v < variants.size(); v++) {
                List<Testbed.ColdStart> runs = results.get(v);
                Stats init = Stats.of(runs.stream().map(c -> c.init().initDuration()).toList());
                Stats runtimeStart = Stats.of(runs.stream().map(c -> c.init().runtimeStart())
                        .flatMap(Optional::stream).toList());
                long found = runs.stream().filter(RuntimeStartBenchmark::foundBothFiles).count();
                out.printf("| %s | %s | %s | %s | %d of %d |%n", variants.get(v).label(), Demo.format(init.median()),
                        Demo.format(init.average()), Demo.format(runtimeStart.median()), found, runs.size());
            }
        }
    }

    private static boolean foundBothFiles(Testbed.ColdStart coldStart) {
        JsonNode init = coldStart.firstInvoke().json().path("init");
        return !init.path("db.txt").asText("missing").equals("missing")
                && !init.path("api-key.txt").asText("missing").equals("missing");
    }
}
