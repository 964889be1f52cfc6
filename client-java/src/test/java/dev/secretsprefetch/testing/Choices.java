// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import java.util.List;
import java.util.Random;

/**
 * The random decisions a test generator makes, from a {@link Random} (a plain seed) or from QuickTheories'
 * randomness ({@link QtChoices}), which shrinks a failing case by shrinking the decisions that built it.
 */
public interface Choices {

    /** A number from 0 to {@code bound - 1}. */
    int nextInt(int bound);

    long nextLong();

    /** A number from 0 (inclusive) to 1 (exclusive). */
    double nextDouble();

    default boolean nextBoolean() {
        return nextInt(2) == 1;
    }

    default void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) nextInt(256);
        }
    }

    /** One of {@code options}. */
    default <T> T pick(List<T> options) {
        return options.get(nextInt(options.size()));
    }

    /** The decisions {@code random} makes, call for call, so a seed gives what it gave before. */
    static Choices of(Random random) {
        return new Choices() {
            @Override
            public int nextInt(int bound) {
                return random.nextInt(bound);
            }

            @Override
            public long nextLong() {
                return random.nextLong();
            }

            @Override
            public double nextDouble() {
                return random.nextDouble();
            }

            @Override
            public boolean nextBoolean() {
                return random.nextBoolean();
            }

            @Override
            public void nextBytes(byte[] bytes) {
                random.nextBytes(bytes);
            }
        };
    }
}
