// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.time.Duration;
import java.util.List;

/** Average and median of a series: of durations in milliseconds, or of any measure. */
record Stats(double average, double median, int count) {

    static Stats of(List<Duration> samples) {
        return ofValues(samples.stream().map(d -> d.toNanos() / 1e6).toList());
    }

    static Stats ofValues(List<Double> samples) {
        if (samples.isEmpty()) {
            return new Stats(Double.NaN, Double.NaN, 0);
        }
        List<Double> sorted = samples.stream().sorted().toList();
        double average = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle)
                : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        return new Stats(average, median, sorted.size());
    }

    /** {@code (after - before) / before} as a signed percentage, e.g. {@code -42%}. */
    static String change(double before, double after) {
        if (!(before > 0)) {
            return "n/a";
        }
        long percent = Math.round((after - before) / before * 100);
        return (percent > 0 ? "+" : "") + percent + "%";
    }
}
