// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for exactly the JSON that docs/manifest.md ("Syntax") allows, for the manifest and for JSON secrets:
 * RFC 8259 without extensions (no comments, no escapes but JSON's, no trailing commas, no {@code NaN}), no key twice
 * in any object, no half of a surrogate pair in any string, at most {@link #MAX_DEPTH} levels of objects and arrays,
 * nothing after the value. Hand-written rather than a JSON library because a function's first secret read sits
 * on its cold start: loading and verifying jackson-core cost it 80-200 ms (docs/benchmarks.md). The tests hold it
 * to Jackson, value by value ({@code StrictJsonDifferentialTest}).
 *
 * <p>Messages say what is wrong and where, never what the document holds: manifests and secrets are values.
 */
public final class StrictJson {

    /** Objects and arrays nested deeper than this make a document invalid (the top level is level 1). */
    public static final int MAX_DEPTH = 100;

    private final char[] text;
    private int pos;

    private StrictJson(char[] text) {
        this.text = text;
    }

    /**
     * Parses a whole document: one value, with whitespace around it.
     *
     * @throws JsonSyntaxException if it breaks a rule above; the message names the rule and the position
     */
    public static JsonValue parse(char[] text) throws JsonSyntaxException {
        StrictJson parser = new StrictJson(text);
        parser.skipWhitespace();
        if (parser.pos == text.length) {
            throw new JsonSyntaxException("is empty: there is no JSON value in it");
        }
        JsonValue value = parser.value(1);
        parser.skipWhitespace();
        if (parser.pos < text.length) {
            throw parser.error("has content after its end", parser.pos);
        }
        return value;
    }

    /** Parses a whole document; see {@link #parse(char[])}. */
    public static JsonValue parse(String text) throws JsonSyntaxException {
        return parse(text.toCharArray());
    }

    /** {@code " (line 3, column 14)"} for an offset into {@code text}. */
    static String at(char[] text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length; i++) {
            if (text[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return " (line " + line + ", column " + (offset - lineStart + 1) + ")";
    }

    /** A value at {@code depth}: the level it has if it is an object or an array. */
    private JsonValue value(int depth) throws JsonSyntaxException {
        if (pos >= text.length) {
            throw endsEarly();
        }
        char c = text[pos];
        if (c == '{') {
            return object(depth);
        }
        if (c == '[') {
            return array(depth);
        }
        if (c == '"') {
            int start = pos;
            String decoded = string();
            return JsonValue.string(text, start, pos, decoded);
        }
        if (c == 't') {
            return literal("true", JsonValue.Kind.TRUE);
        }
        if (c == 'f') {
            return literal("false", JsonValue.Kind.FALSE);
        }
        if (c == 'n') {
            return literal("null", JsonValue.Kind.NULL);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        throw invalid("an unexpected character", pos);
    }

    private JsonValue object(int depth) throws JsonSyntaxException {
        int start = pos;
        checkDepth(depth);
        pos++;
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (pos < text.length && text[pos] == '}') {
            pos++;
            return JsonValue.object(text, start, pos, members);
        }
        while (true) {
            skipWhitespace();
            if (pos >= text.length) {
                throw endsEarly();
            }
            if (text[pos] != '"') {
                throw invalid("a key that is not a string", pos);
            }
            int keyStart = pos;
            String key = string();
            if (members.containsKey(key)) {
                throw error("has a duplicate key", keyStart);
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(key, value(depth + 1));
            skipWhitespace();
            if (pos >= text.length) {
                throw endsEarly();
            }
            char c = text[pos++];
            if (c == '}') {
                return JsonValue.object(text, start, pos, members);
            }
            if (c != ',') {
                throw invalid("an unexpected character", pos - 1);
            }
        }
    }

    private JsonValue array(int depth) throws JsonSyntaxException {
        int start = pos;
        checkDepth(depth);
        pos++;
        List<JsonValue> items = new ArrayList<>();
        skipWhitespace();
        if (pos < text.length && text[pos] == ']') {
            pos++;
            return JsonValue.array(text, start, pos, items);
        }
        while (true) {
            skipWhitespace();
            items.add(value(depth + 1));
            skipWhitespace();
            if (pos >= text.length) {
                throw endsEarly();
            }
            char c = text[pos++];
            if (c == ']') {
                return JsonValue.array(text, start, pos, items);
            }
            if (c != ',') {
                throw invalid("an unexpected character", pos - 1);
            }
        }
    }

    private void checkDepth(int depth) throws JsonSyntaxException {
        if (depth > MAX_DEPTH) {
            throw error("is nested deeper than " + MAX_DEPTH + " levels", pos);
        }
    }

    /** A string from its opening quote; leaves {@code pos} after the closing one. */
    private String string() throws JsonSyntaxException {
        int start = pos;
        int from = ++pos;
        boolean surrogates = false;
        // Most strings have no escape: one scan, one copy.
        while (pos < text.length) {
            char c = text[pos];
            if (c == '"') {
                String plain = new String(text, from, pos - from);
                pos++;
                if (surrogates) {
                    checkSurrogates(plain, start);
                }
                return plain;
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            surrogates |= Character.isSurrogate(c);
            pos++;
        }
        StringBuilder decoded = new StringBuilder(pos - from + 16).append(text, from, pos - from);
        while (true) {
            if (pos >= text.length) {
                throw endsEarly();
            }
            char c = text[pos];
            if (c == '"') {
                pos++;
                break;
            }
            if (c < 0x20) {
                throw invalid("a control character not escaped in a string", pos);
            }
            if (c != '\\') {
                decoded.append(c);
                surrogates |= Character.isSurrogate(c);
                pos++;
                continue;
            }
            if (pos + 1 >= text.length) {
                throw endsEarly();
            }
            char escaped = text[pos + 1];
            switch (escaped) {
                case '"', '\\', '/' -> decoded.append(escaped);
                case 'b' -> decoded.append('\b');
                case 'f' -> decoded.append('\f');
                case 'n' -> decoded.append('\n');
                case 'r' -> decoded.append('\r');
                case 't' -> decoded.append('\t');
                case 'u' -> {
                    char unit = hex4(pos + 2);
                    decoded.append(unit);
                    surrogates |= Character.isSurrogate(unit);
                    pos += 4;
                }
                default -> throw invalid("an escape JSON does not have", pos);
            }
            pos += 2;
        }
        String result = decoded.toString();
        if (surrogates) {
            checkSurrogates(result, start);
        }
        return result;
    }

    private char hex4(int from) throws JsonSyntaxException {
        if (from + 4 > text.length) {
            throw endsEarly();
        }
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            char c = text[i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                throw invalid("a \\u escape without four hex digits", from - 2);
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    /** Half of a surrogate pair is no character at all; readers in other languages refuse it. */
    private void checkSurrogates(String decoded, int start) throws JsonSyntaxException {
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < decoded.length()
                    && Character.isLowSurrogate(decoded.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error("has a string with an unpaired surrogate escape", start);
            }
        }
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}, RFC 8259's number. */
    private JsonValue number() throws JsonSyntaxException {
        int start = pos;
        if (text[pos] == '-') {
            pos++;
        }
        if (pos < text.length && text[pos] == '0') {
            pos++;
        } else if (digits() == 0) {
            throw invalid("a number JSON does not allow", start);
        }
        boolean integer = true;
        if (pos < text.length && text[pos] == '.') {
            integer = false;
            pos++;
            if (digits() == 0) {
                throw invalid("a number JSON does not allow", start);
            }
        }
        if (pos < text.length && (text[pos] == 'e' || text[pos] == 'E')) {
            integer = false;
            pos++;
            if (pos < text.length && (text[pos] == '+' || text[pos] == '-')) {
                pos++;
            }
            if (digits() == 0) {
                throw invalid("a number JSON does not allow", start);
            }
        }
        return JsonValue.scalar(integer ? JsonValue.Kind.INTEGER : JsonValue.Kind.DECIMAL, text, start, pos);
    }

    private int digits() {
        int from = pos;
        while (pos < text.length && text[pos] >= '0' && text[pos] <= '9') {
            pos++;
        }
        return pos - from;
    }

    private JsonValue literal(String word, JsonValue.Kind kind) throws JsonSyntaxException {
        int start = pos;
        for (int i = 0; i < word.length(); i++) {
            if (pos >= text.length) {
                throw endsEarly();
            }
            if (text[pos] != word.charAt(i)) {
                throw invalid("an unexpected character", start);
            }
            pos++;
        }
        return JsonValue.scalar(kind, text, start, pos);
    }

    private void expect(char wanted) throws JsonSyntaxException {
        if (pos >= text.length) {
            throw endsEarly();
        }
        if (text[pos] != wanted) {
            throw invalid("an unexpected character", pos);
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length) {
            char c = text[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private JsonSyntaxException endsEarly() {
        return new JsonSyntaxException("ends early (truncated?)");
    }

    private JsonSyntaxException invalid(String what, int offset) {
        return error("is not valid JSON: " + what, offset);
    }

    private JsonSyntaxException error(String problem, int offset) {
        return new JsonSyntaxException(problem + at(text, offset));
    }
}
