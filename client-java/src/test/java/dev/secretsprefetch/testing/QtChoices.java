// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * {@link Choices} drawn from QuickTheories' randomness: every decision is a draw QuickTheories records and, when a
 * property fails, shrinks towards its smallest value (0, false), so a generator written as plain code still
 * shrinks to a small failing case. Use it inside a {@link Gen}: {@code source -> build(new QtChoices(source))}.
 */
public final class QtChoices implements Choices {

    private static final Gen<Long> LONGS = SourceDSL.longs().all();

    private final RandomnessSource source;

    public QtChoices(RandomnessSource source) {
        this.source = source;
    }

    @Override
    public int nextInt(int bound) {
        return bound == 1 ? 0 : Generate.range(0, bound - 1).generate(source);
    }

    @Override
    public long nextLong() {
        return LONGS.generate(source);
    }

    @Override
    public double nextDouble() {
        return nextInt(1 << 24) / (double) (1 << 24);
    }
}
