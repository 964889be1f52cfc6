// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The suite's one convention for fake secret values (docs/reliability.md, "Hygiene"): every value a test
 * stores as a secret contains a marker, {@code spv-} followed by at least four letters or digits, such as
 * {@code "fixture-db-password-spv-Zq7vK2"}; binary values start with the marker's bytes. The hygiene scan at
 * the end of the build looks for markers in every captured output and log file, so a value that leaks into
 * one fails the build. Test helpers that store values refuse unmarked ones.
 */
public final class FakeValues {

    /** A marker as it appears in text. */
    public static final Pattern MARKER = Pattern.compile("spv-[A-Za-z0-9]{4,}");

    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private FakeValues() {
    }

    /** A new marker, {@code spv-} and eight random characters. */
    public static String marker() {
        char[] suffix = new char[8];
        for (int i = 0; i < suffix.length; i++) {
            suffix[i] = ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length()));
        }
        return "spv-" + new String(suffix);
    }

    /** A new string value: {@code label}, a dash and a fresh marker. */
    public static String text(String label) {
        return label + "-" + marker();
    }

    /** A new binary value: a fresh marker's bytes, then {@code payload} (each int taken as a byte). */
    public static byte[] binary(int... payload) {
        byte[] bytes = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            bytes[i] = (byte) payload[i];
        }
        return binary(bytes);
    }

    /** A new binary value: a fresh marker's bytes, then {@code payload}. */
    public static byte[] binary(byte[] payload) {
        byte[] marker = marker().getBytes(StandardCharsets.US_ASCII);
        byte[] value = Arrays.copyOf(marker, marker.length + payload.length);
        System.arraycopy(payload, 0, value, marker.length, payload.length);
        return value;
    }

    /** Whether {@code text} contains a marker. */
    public static boolean isMarked(String text) {
        return MARKER.matcher(text).find();
    }

    /**
     * Returns {@code value} if it carries a marker.
     *
     * @throws IllegalArgumentException (without the value) if it does not
     */
    public static String requireMarked(String value) {
        if (!isMarked(value)) {
            throw new IllegalArgumentException("fake secret value of " + value.length() + " chars has no marker "
                    + "(spv- and 4+ letters or digits): tests use distinctive values so the hygiene scan can find "
                    + "leaks; see FakeValues");
        }
        return value;
    }

    /**
     * Returns {@code value} if it starts with a marker's bytes.
     *
     * @throws IllegalArgumentException (without the value) if it does not
     */
    public static byte[] requireMarked(byte[] value) {
        String head = new String(value, 0, Math.min(value.length, 64), StandardCharsets.ISO_8859_1);
        if (!MARKER.matcher(head).lookingAt()) {
            throw new IllegalArgumentException("fake binary secret value of " + value.length + " bytes does not start "
                    + "with a marker (spv- and 4+ letters or digits); see FakeValues.binary");
        }
        return value;
    }
}
