// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * A reader for exactly the JSON that docs/manifest.md ("Syntax") allows, for the manifest and for JSON secrets:
 * RFC 8259 without extensions (no comments, no escapes but JSON's, no trailing commas, no {@code NaN}), no key twice
 * in any object, no half of a surrogate pair in any string, at most {@link #MAX_DEPTH} levels of objects and arrays,
 * nothing after the value. Hand-written rather than a JSON library because a function's first secret read sits
 * on its cold start: loading and verifying jackson-core cost it 80-200 ms (docs/benchmarks.md). The tests hold it
 * to Jackson, value by value ({@code StrictJsonDifferentialTest}, {@code ManifestReaderDifferentialTest}).
 *
 * <p>A pull reader: it hands out one value at a time, which the manifest's reader maps straight to the model (a
 * cold start then loads no tree classes and builds no tree) and the JSON secrets' reader builds a tree of. Every
 * rule is checked on what is read, and {@link #skipValue} checks what is skipped.
 *
 * <p>Messages say what is wrong and where, never what the document holds: manifests and secrets are values.
 */
public final class StrictJson {

    /** Objects and arrays nested deeper than this make a document invalid (the top level is level 1). */
    public static final int MAX_DEPTH = 100;

    // What peek() says the next value is: the character its spelling starts with (numbers: any digit or '-').
    // Characters, not an enum: on a cold start every class loaded costs a fraction of a millisecond.
    static final char OBJECT = '{';
    static final char ARRAY = '[';
    static final char STRING = '"';
    static final char NUMBER = '0';
    static final char TRUE = 't';
    static final char FALSE = 'f';
    static final char NULL = 'n';

    private final char[] text;
    private int pos;
    private int depth;
    /** The keys of each open object, innermost last: no key twice. */
    private final List<HashSet<String>> keys = new ArrayList<>();
    /** Set by beginObject and beginArray: the next member or item is the first, so it follows no comma. */
    private boolean opened;

    private StrictJson(char[] text) {
        this.text = text;
    }

    /**
     * A pull reader positioned at the document's value.
     *
     * @throws JsonSyntaxException if the document holds only whitespace
     */
    static StrictJson over(char[] text) throws JsonSyntaxException {
        StrictJson reader = new StrictJson(text);
        reader.skipWhitespace();
        if (reader.pos == text.length) {
            throw new JsonSyntaxException("is empty: there is no JSON value in it");
        }
        return reader;
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

    /** The offset of the next value: {@link #at(int)} makes it a position for messages. */
    int position() {
        return pos;
    }

    /** {@code " (line 3, column 14)"} for an offset {@link #position} returned. */
    String at(int offset) {
        return at(text, offset);
    }

    /**
     * What the next value is: {@link #OBJECT}, {@link #ARRAY}, {@link #STRING}, {@link #NUMBER}, {@link #TRUE},
     * {@link #FALSE} or {@link #NULL}, told by its first character only; reading it checks the rest.
     */
    char peek() throws JsonSyntaxException {
        if (pos >= text.length) {
            throw endsEarly();
        }
        char c = text[pos];
        switch (c) {
            case OBJECT, ARRAY, STRING, TRUE, FALSE, NULL -> {
                return c;
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return NUMBER;
                }
                throw invalid("an unexpected character", pos);
            }
        }
    }

    /** Enters the object that is the next value; {@link #nextKey} then hands out its members' keys. */
    void beginObject() throws JsonSyntaxException {
        expectValue(OBJECT);
        keys.add(new HashSet<>());
    }

    /**
     * The next member's key, leaving the reader at its value, which the caller must read or skip; null, leaving the
     * object, when it has no more members.
     */
    String nextKey() throws JsonSyntaxException {
        if (!moreInContainer('}')) {
            keys.remove(keys.size() - 1);
            return null;
        }
        if (text[pos] != '"') {
            throw invalid("a key that is not a string", pos);
        }
        int keyStart = pos;
        String key = string();
        if (!keys.get(keys.size() - 1).add(key)) {
            throw error("has a duplicate key", keyStart);
        }
        skipWhitespace();
        expect(':');
        skipWhitespace();
        return key;
    }

    /** Enters the array that is the next value; {@link #nextItem} then steps through its items. */
    void beginArray() throws JsonSyntaxException {
        expectValue(ARRAY);
    }

    /** Whether another item follows, leaving the reader at it; false, leaving the array, at its end. */
    boolean nextItem() throws JsonSyntaxException {
        return moreInContainer(']');
    }

    /** The next value, a string, decoded. */
    String nextString() throws JsonSyntaxException {
        if (peek() != STRING) {
            throw invalid("an unexpected character", pos);
        }
        return string();
    }

    /**
     * The next value, a number, as spelled: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}, RFC 8259's
     * number. See {@link #nextIsInteger}.
     */
    String nextNumber() throws JsonSyntaxException {
        int start = pos;
        number();
        return new String(text, start, pos - start);
    }

    /** Whether the next value, a number, has no fraction and no exponent; reads nothing. */
    boolean nextIsInteger() throws JsonSyntaxException {
        int start = pos;
        boolean integer = number();
        pos = start;
        return integer;
    }

    /** Skips the next value, whatever it is, checking every rule on the way. */
    void skipValue() throws JsonSyntaxException {
        switch (peek()) {
            case OBJECT -> {
                beginObject();
                while (nextKey() != null) {
                    skipValue();
                }
            }
            case ARRAY -> {
                beginArray();
                while (nextItem()) {
                    skipValue();
                }
            }
            case STRING -> string();
            case NUMBER -> number();
            default -> literal();
        }
    }

    /** Checks that nothing but whitespace follows the document's value. */
    void end() throws JsonSyntaxException {
        skipWhitespace();
        if (pos < text.length) {
            throw error("has content after its end", pos);
        }
    }

    /** Consumes the opening character of an object or array, one level deeper than the one it is in. */
    private void expectValue(char opening) throws JsonSyntaxException {
        if (peek() != opening) {
            throw invalid("an unexpected character", pos);
        }
        if (++depth > MAX_DEPTH) {
            throw error("is nested deeper than " + MAX_DEPTH + " levels", pos);
        }
        pos++;
        opened = true;
    }

    /**
     * After an opening character or a member or item: whether another member or item follows (the comma consumed,
     * the reader at it), or the container ends with {@code closing} (consumed, one level up).
     */
    private boolean moreInContainer(char closing) throws JsonSyntaxException {
        skipWhitespace();
        if (pos >= text.length) {
            throw endsEarly();
        }
        char c = text[pos];
        if (c == closing) {
            pos++;
            depth--;
            opened = false;
            return false;
        }
        if (opened) {
            opened = false;
            return true;
        }
        if (c != ',') {
            throw invalid("an unexpected character", pos);
        }
        pos++;
        skipWhitespace();
        if (pos >= text.length) {
            throw endsEarly();
        }
        return true;
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

    /** A number (see {@link #nextNumber}); whether it is an integer: no fraction, no exponent. */
    private boolean number() throws JsonSyntaxException {
        int start = pos;
        if (peek() != NUMBER) {
            throw invalid("an unexpected character", pos);
        }
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
        return integer;
    }

    private int digits() {
        int from = pos;
        while (pos < text.length && text[pos] >= '0' && text[pos] <= '9') {
            pos++;
        }
        return pos - from;
    }

    /** The next value, {@code true}, {@code false} or {@code null}: its first character. */
    private char literal() throws JsonSyntaxException {
        char first = peek();
        String word = first == TRUE ? "true" : first == FALSE ? "false" : first == NULL ? "null" : null;
        if (word == null) {
            throw invalid("an unexpected character", pos);
        }
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
        return first;
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
