// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** Comparing and naming secret values in tests without ever printing one. */
final class Fingerprints {

    private Fingerprints() {
    }

    static void assertSameValue(String expected, String actual, String what) {
        assertTrue(expected.equals(actual), "value of " + what + " differs from the expected one (not printed)");
    }

    static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        assertTrue(Arrays.equals(expected, actual), "bytes of " + what + " differ from the expected ones (not printed)");
    }

    /** Fails if {@code text} (a message, a log) contains the marker of a fake value. */
    static void assertNoValueIn(String text) {
        assertFalse(text.contains("spv-"), "a fake secret value appears in a message (not printed)");
    }

    /** SHA-256 of a value, in hex: what a test may print instead of the value. */
    static String of(String value) {
        return of(value.getBytes(StandardCharsets.UTF_8));
    }

    static String of(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
