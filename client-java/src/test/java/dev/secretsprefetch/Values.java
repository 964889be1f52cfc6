// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

/** Assertions on secret values that never print a value, whether they pass or fail. */
final class Values {

    private Values() {
    }

    static void assertSameValue(String expected, String actual, String what) {
        assertTrue(expected.equals(actual), "value of " + what + " differs from the expected one (not printed)");
    }

    static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        assertTrue(Arrays.equals(expected, actual), "bytes of " + what + " differ from the expected ones (not printed)");
    }

    /** Fails if {@code text} (a message, a log) contains any of {@code values}. */
    static void assertNoValueIn(String text, String... values) {
        for (String value : values) {
            assertFalse(text.contains(value), "a secret value appears in: " + text.replace(value, "<value>"));
        }
    }
}
