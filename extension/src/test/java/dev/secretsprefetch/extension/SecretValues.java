// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Distinctive fake secret values ({@code spv-} and random letters), so that a scan of logs and test output can
 * find any that leaked, and assertions about them that never print one.
 */
final class SecretValues {

    static final String MARKER = "spv-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private SecretValues() {
    }

    /** A new value, e.g. {@code spv-XqRrTmLwQpZk} (letters only after the marker). */
    static String next() {
        return next(MARKER.length() + 12);
    }

    /** A new value of {@code length} characters. */
    static String next(int length) {
        StringBuilder value = new StringBuilder(MARKER);
        while (value.length() < length) {
            value.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        }
        return value.toString();
    }

    static void assertSameValue(String expected, String actual, String what) {
        assertTrue(expected.equals(actual), "value of " + what + " differs from the expected one (not printed)");
    }

    static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        assertTrue(Arrays.equals(expected, actual),
                "bytes of " + what + " differ from the expected ones (not printed)");
    }

    /** Fails if {@code text} (a log, a message) holds the marker or any of {@code values}, or a part of one. */
    static void assertNoValueIn(String text, String what, String... values) {
        // "spv" without the dash: a JSON parser quoting a bare token stops at the dash.
        assertFalse(text.contains(MARKER.substring(0, 3)), "a secret value appears in " + what);
        for (String value : values) {
            String random = value.startsWith(MARKER) ? value.substring(MARKER.length()) : value;
            assertFalse(text.contains(random.substring(0, Math.min(random.length(), 8))),
                    "a part of a secret value appears in " + what);
        }
    }
}
