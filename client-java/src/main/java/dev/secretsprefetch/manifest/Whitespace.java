// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

/**
 * The one definition of whitespace for settings and secret names, the same in every client
 * (fixtures/client-contract): ASCII space, tab, line feed, vertical tab, form feed and carriage return. Not
 * {@link String#trim()} (every control character) nor {@link String#strip()} (Unicode spaces), which other
 * languages' readers would not match.
 */
public final class Whitespace {

    private Whitespace() {
    }

    public static boolean is(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /** Empty, or only whitespace. */
    public static boolean isBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!is(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code text} without whitespace at either end. */
    public static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && is(text.charAt(start))) {
            start++;
        }
        while (end > start && is(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }
}
