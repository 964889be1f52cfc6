// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.io.PrintStream;
import java.util.Map;

/**
 * The project's log lines: one line each, prefixed {@code [secrets-prefetch]}, on the stream Lambda sends to
 * CloudWatch. Callers pass names, ids, codes and counts, never a value.
 */
public final class Log {

    /** Severity, in increasing order; {@code OFF} silences everything. */
    public enum Level { DEBUG, INFO, WARN, ERROR, OFF }

    private static final String PREFIX = "[secrets-prefetch] ";

    private final Level threshold;
    private final PrintStream out;

    public Log(Level threshold, PrintStream out) {
        this.threshold = threshold;
        this.out = out;
    }

    /**
     * The log that {@code SECRETS_PREFETCH_LOG_LEVEL} asks for, on standard output.
     *
     * @throws IllegalArgumentException naming the variable and the accepted values when the level is unknown
     */
    public static Log from(Map<String, String> environment) {
        return new Log(level(environment.get(EnvironmentVariables.LOG_LEVEL)), System.out);
    }

    /**
     * Parses a {@code SECRETS_PREFETCH_LOG_LEVEL} value; blank means {@code info}.
     *
     * @throws IllegalArgumentException naming the variable and the accepted values when the level is unknown
     */
    public static Level level(String value) {
        if (value == null || Whitespace.isBlank(value)) {
            return Level.INFO;
        }
        // ASCII case only ("\u0131nfo" is no level, as in every other client), and no Enum.valueOf, whose
        // reflective set-up costs a cold start milliseconds.
        String name = Whitespace.trim(value);
        for (Level level : Level.values()) {
            if (level.name().length() == name.length() && level.name().regionMatches(0, asciiUpperCase(name), 0,
                    name.length())) {
                return level;
            }
        }
        throw new IllegalArgumentException(EnvironmentVariables.LOG_LEVEL + " must be one of debug, info, warn, "
                + "error, off; was \"" + EnvironmentVariables.shown(value) + "\"");
    }

    private static String asciiUpperCase(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'a' && chars[i] <= 'z') {
                chars[i] = (char) (chars[i] - 'a' + 'A');
            }
        }
        return new String(chars);
    }

    public boolean enabled(Level level) {
        return level.compareTo(threshold) >= 0 && level != Level.OFF;
    }

    public void debug(String message) {
        log(Level.DEBUG, message);
    }

    public void info(String message) {
        log(Level.INFO, message);
    }

    public void warn(String message) {
        log(Level.WARN, message);
    }

    public void error(String message) {
        log(Level.ERROR, message);
    }

    private void log(Level level, String message) {
        if (enabled(level)) {
            out.println(PREFIX + level.name() + " " + message);
        }
    }
}
