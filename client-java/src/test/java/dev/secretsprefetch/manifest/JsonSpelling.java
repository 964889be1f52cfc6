// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.secretsprefetch.testing.Choices;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON in any spelling the manifest's syntax allows (whitespace, every escape form, members in any order,
 * unknown members with values of every kind, nesting up to the limit), optionally with one of the things the syntax
 * forbids. The differential tests feed what it writes to our reader and to Jackson.
 */
final class JsonSpelling {

    /** What a spelling breaks, if anything; the first value breaks nothing. */
    enum Corruption {
        NONE, DUPLICATE_KEY, LONE_SURROGATE, TOO_DEEP, COMMENT, UNKNOWN_ESCAPE, BYTE_ORDER_MARK, TRAILING_CONTENT,
        NOT_A_NUMBER, BAD_NUMBER, TRAILING_COMMA, CONTROL_CHARACTER, SINGLE_QUOTES, BAD_WHITESPACE, BAD_LITERAL,
        INTEGER_RESPELLED
    }

    static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "1.10", "1e2", "1E+2", "1e-2", "-1.5E-300",
            "0.0", "12345678901234567.5", "123456789012345678901234567890", "1e400", "-1e400", "9223372036854775807",
            "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "1" + "0".repeat(400),
            "4.9E-324", "1.7976931348623157E308");
    private static final List<String> BAD_NUMBERS = List.of("01", "-01", "1.", "-", ".5", "+1", "0x10", "1e", "1e+",
            "--1", "1.5.2", "\u0661\u0662", "1_000", "00", "-.5", "1.e3");
    private static final List<String> NOT_NUMBERS = List.of("NaN", "Infinity", "-Infinity", "+Infinity");
    private static final List<String> LONE_SURROGATES = List.of("\\ud800", "\\udc00", "\\ud800\\u0041",
            "\\ud800\\ud800", "\\udbff", "\\udc00\\ud800", "\\uDFFF");
    private static final List<String> UNKNOWN_ESCAPES = List.of("\\x41", "\\a", "\\'", "\\U0041", "\\u00g1", "\\u12\"",
            "\\0", "\\v", "\\e");
    private static final List<String> COMMENTS = List.of("/* c */", "// c\n", "#c\n", "/**/");
    private static final List<String> BAD_SPACES = List.of("\u000b", "\f", "\u00a0", "\u2028", "\u0000", "\u3000");
    private static final List<String> BAD_LITERALS = List.of("tru", "True", "nul", "falsey", "NULL", "nulll", "t");
    private static final List<String> TRAILERS = List.of("}", "{}", "x", " 1", "\u0000", ",", "[]", " \"\"", "]");
    private static final List<String> KEYS = List.of("x", "unknown", "spv-Key9", "", "\u00e9\ud83d\udd11", "a b",
            "formatVersion2", "\u0000");

    private final Choices c;
    private final Corruption corruption;
    private final StringBuilder out = new StringBuilder();
    private boolean corrupted;

    private JsonSpelling(Choices c, Corruption corruption) {
        this.c = c;
        this.corruption = corruption;
    }

    /** {@code tree} respelled; with unknown members added to its objects (except inside {@code secrets}) if asked. */
    static String spell(JsonNode tree, Choices c, Corruption corruption, boolean unknownMembers) {
        JsonSpelling spelling = new JsonSpelling(c, corruption);
        spelling.start();
        spelling.tree(tree, 1, unknownMembers, false);
        return spelling.finish();
    }

    /** A document of random shape: any kind of value at the top, nested at random. */
    static String randomDocument(Choices c, Corruption corruption) {
        JsonSpelling spelling = new JsonSpelling(c, corruption);
        spelling.start();
        spelling.randomValue(1, 4);
        return spelling.finish();
    }

    private void start() {
        if (corruption == Corruption.BYTE_ORDER_MARK) {
            out.append('\uFEFF');
            corrupted = true;
        }
        space();
    }

    private String finish() {
        space();
        if (corruption == Corruption.TRAILING_CONTENT || (!corrupted && corruption != Corruption.NONE)) {
            out.append(c.pick(TRAILERS)); // the fallback of a corruption that found no place: still not JSON
        }
        return out.toString();
    }

    /** Whether to break the rule here: once per document, at a random one of the places it could be broken. */
    private boolean now(Corruption kind) {
        if (corruption != kind || corrupted || c.nextInt(3) != 0) {
            return false;
        }
        corrupted = true;
        return true;
    }

    private void tree(JsonNode node, int depth, boolean unknownMembers, boolean inSecrets) {
        if (node.isObject()) {
            out.append('{');
            boolean first = true;
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
            node.fields().forEachRemaining(members::add);
            if (c.nextInt(4) == 0) { // any order: the writer puts formatVersion first, readers must not rely on it
                for (int i = members.size() - 1; i > 0; i--) {
                    Collections.swap(members, i, c.nextInt(i + 1));
                }
            }
            for (Map.Entry<String, JsonNode> member : members) {
                first = comma(first);
                key(member.getKey());
                tree(member.getValue(), depth + 1, unknownMembers, member.getKey().equals("secrets") && depth == 1);
                if (now(Corruption.DUPLICATE_KEY)) {
                    comma(false);
                    key(member.getKey());
                    randomValue(depth + 1, 2);
                }
            }
            if (unknownMembers && !inSecrets) {
                for (int i = c.nextInt(3); i > 0; i--) {
                    first = comma(first);
                    key("x-" + c.pick(KEYS) + i); // "x-": no field a reader knows
                    randomValue(depth + 1, 3);
                }
            }
            close('}', first);
        } else if (node.isArray()) {
            out.append('[');
            boolean first = true;
            for (JsonNode item : node) {
                first = comma(first);
                tree(item, depth + 1, unknownMembers, false);
            }
            close(']', first);
        } else if (node.isTextual()) {
            string(node.asText());
        } else if (node.isIntegralNumber() && now(Corruption.INTEGER_RESPELLED)) {
            String n = node.asText();
            out.append(c.pick(List.of(n + ".0", n + "e0", n + "E+0", "0" + n, n + "0".repeat(20), "-" + n + "1".repeat(19),
                    "\"" + n + "\"", "true", "null", "[" + n + "]", "{}")));
        } else {
            out.append(node.asText());
        }
    }

    /** A value of random kind; objects and arrays go at most {@code budget} levels further, or to the limit. */
    private void randomValue(int depth, int budget) {
        if (now(Corruption.TOO_DEEP)) {
            nest(depth, StrictJson.MAX_DEPTH + 1 + c.nextInt(3));
            return;
        }
        switch (c.nextInt(budget <= 0 ? 4 : 7)) {
            case 0 -> number();
            case 1 -> string(text());
            case 2 -> literal(c.pick(List.of("true", "false", "null")));
            case 3 -> {
                if (c.nextInt(4) == 0) {
                    nest(depth, StrictJson.MAX_DEPTH - c.nextInt(3)); // up to the limit, not past it
                } else {
                    number();
                }
            }
            case 4, 5 -> {
                out.append('{');
                boolean first = true;
                for (int i = c.nextInt(4); i > 0; i--) {
                    first = comma(first);
                    String key = c.pick(KEYS) + i;
                    key(key);
                    randomValue(depth + 1, budget - 1);
                    if (now(Corruption.DUPLICATE_KEY)) {
                        comma(false);
                        key(key);
                        randomValue(depth + 1, budget - 1);
                    }
                }
                close('}', first);
            }
            default -> {
                out.append('[');
                boolean first = true;
                for (int i = c.nextInt(4); i > 0; i--) {
                    first = comma(first);
                    randomValue(depth + 1, budget - 1);
                }
                close(']', first);
            }
        }
    }

    /** Arrays (and objects) opened at {@code depth} until level {@code deepest}, then closed. */
    private void nest(int depth, int deepest) {
        int levels = Math.max(0, deepest - depth + 1);
        StringBuilder closing = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (c.nextInt(4) == 0) {
                out.append("{\"n\":");
                closing.append('}');
            } else {
                out.append('[');
                closing.append(']');
            }
        }
        boolean innermostIsObject = closing.length() > 0 && closing.charAt(closing.length() - 1) == '}';
        out.append(levels == 0 || innermostIsObject ? c.pick(List.of("1", "\"spv-Deep1\"", "null"))
                : c.pick(List.of("", "1", "\"spv-Deep1\"")));
        out.append(closing.reverse());
    }

    private void number() {
        if (now(Corruption.BAD_NUMBER)) {
            out.append(c.pick(BAD_NUMBERS));
        } else if (now(Corruption.NOT_A_NUMBER)) {
            out.append(c.pick(NOT_NUMBERS));
        } else if (c.nextInt(3) == 0) {
            out.append(c.nextLong());
        } else {
            out.append(c.pick(NUMBERS));
        }
    }

    private void literal(String word) {
        out.append(now(Corruption.BAD_LITERAL) ? c.pick(BAD_LITERALS) : word);
    }

    private String text() {
        StringBuilder text = new StringBuilder();
        for (int i = c.nextInt(6); i > 0; i--) {
            switch (c.nextInt(5)) {
                case 0 -> text.append((char) c.nextInt(0x80));
                case 1 -> text.append(c.pick(List.of("\ud83d\udd11", "\u00e9", "\u6f22", "\u2028", "\ufeff", "\"",
                        "\\", "/")));
                case 2 -> text.append((char) c.nextInt(0x20));
                default -> text.append(c.pick(List.of("spv-Txt1", "a", " ", "x y")));
            }
        }
        return text.toString();
    }

    private void key(String key) {
        if (now(Corruption.SINGLE_QUOTES)) {
            out.append('\'').append(key.replace("'", "").replace("\\", "")).append('\'');
        } else {
            string(key);
        }
        space();
        out.append(':');
        space();
    }

    private void string(String value) {
        if (now(Corruption.SINGLE_QUOTES)) {
            out.append('\'').append(value.replace("'", "").replace("\\", "").replace("\n", "")).append('\'');
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < value.length()) {
                char low = value.charAt(++i);
                if (c.nextBoolean()) {
                    out.append(ch).append(low);
                } else {
                    out.append(unicodeEscape(ch)).append(unicodeEscape(low));
                }
                continue;
            }
            character(ch);
            if (now(Corruption.LONE_SURROGATE)) {
                out.append(c.pick(LONE_SURROGATES));
            } else if (now(Corruption.UNKNOWN_ESCAPE)) {
                out.append(c.pick(UNKNOWN_ESCAPES));
            } else if (now(Corruption.CONTROL_CHARACTER)) {
                out.append((char) c.nextInt(0x20));
            }
        }
        out.append('"');
    }

    private void character(char ch) {
        String shortEscape = switch (ch) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '/' -> "\\/";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> null;
        };
        boolean mustEscape = ch == '"' || ch == '\\' || ch < 0x20;
        int choice = c.nextInt(4);
        if (!mustEscape && choice < 2) {
            out.append(ch);
        } else if (shortEscape != null && choice != 3) {
            out.append(shortEscape);
        } else {
            out.append(unicodeEscape(ch));
        }
    }

    private String unicodeEscape(char ch) {
        String hex = String.format("%04x", (int) ch);
        return "\\u" + (c.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT));
    }

    private boolean comma(boolean first) {
        if (!first) {
            space();
            out.append(',');
        }
        space();
        return false;
    }

    private void close(char bracket, boolean empty) {
        if (!empty && now(Corruption.TRAILING_COMMA)) {
            out.append(',');
        }
        space();
        out.append(bracket);
    }

    /** Nothing, or whitespace JSON allows; or where a corruption asks, a comment or whitespace it does not. */
    private void space() {
        if (now(Corruption.COMMENT)) {
            out.append(c.pick(COMMENTS));
        } else if (now(Corruption.BAD_WHITESPACE)) {
            out.append(c.pick(BAD_SPACES));
        }
        if (c.nextInt(4) == 0) {
            for (int i = c.nextInt(3); i >= 0; i--) {
                out.append(c.pick(List.of(" ", "\n", "\r", "\t", "\r\n", "  ")));
            }
        }
    }
}
