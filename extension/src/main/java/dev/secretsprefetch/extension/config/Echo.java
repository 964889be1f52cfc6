// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.util.Locale;

/**
 * Configuration text as an error message may show it: names, ids, keys and paths, never values of the wrong
 * type or content around them. Always one line (control characters escaped) and bounded, whatever the input.
 */
public final class Echo {

    static final int MAX_CODE_POINTS = 64;
    static final int MAX_PATH_CODE_POINTS = 256;

    private Echo() {
    }

    /** {@code "value"}, escaped and cut after {@value #MAX_CODE_POINTS} code points. */
    static String quoted(String value) {
        return "\"" + escaped(value, MAX_CODE_POINTS) + "\"";
    }

    /** A path or a configuration source, unquoted as messages show them, escaped and bounded. */
    public static String path(Object path) {
        return escaped(String.valueOf(path), MAX_PATH_CODE_POINTS);
    }

    private static String escaped(String value, int max) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(max).forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return value.codePointCount(0, value.length()) > max ? out.append("...").toString() : out.toString();
    }
}
