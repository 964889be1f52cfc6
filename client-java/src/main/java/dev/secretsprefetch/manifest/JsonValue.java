// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One value of a JSON document, read with {@link StrictJson} (so under its rules): its kind, its text exactly as
 * written, and for strings the decoded text, for objects the members in document order, for arrays the items.
 */
public final class JsonValue {

    /** The JSON types, with integers (no fraction, no exponent) told apart from other numbers. */
    public enum Kind { OBJECT, ARRAY, STRING, INTEGER, DECIMAL, TRUE, FALSE, NULL }

    private final Kind kind;
    private final char[] source;
    private final int start;
    private final int end;
    private final String string;
    private final Map<String, JsonValue> members;
    private final List<JsonValue> items;

    private JsonValue(Kind kind, char[] source, int start, int end, String string, Map<String, JsonValue> members,
            List<JsonValue> items) {
        this.kind = kind;
        this.source = source;
        this.start = start;
        this.end = end;
        this.string = string;
        this.members = members;
        this.items = items;
    }

    /**
     * Parses a whole document: one value, with whitespace around it.
     *
     * @throws JsonSyntaxException if it breaks a rule of {@link StrictJson}; the message names the rule and the
     *     position
     */
    public static JsonValue parse(char[] text) throws JsonSyntaxException {
        StrictJson reader = StrictJson.over(text);
        JsonValue value = read(reader, text);
        reader.end();
        return value;
    }

    /** Parses a whole document; see {@link #parse(char[])}. */
    public static JsonValue parse(String text) throws JsonSyntaxException {
        return parse(text.toCharArray());
    }

    /** The value the reader is at, with everything in it. */
    private static JsonValue read(StrictJson reader, char[] text) throws JsonSyntaxException {
        int start = reader.position();
        switch (reader.peek()) {
            case StrictJson.OBJECT -> {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                reader.beginObject();
                for (String key = reader.nextKey(); key != null; key = reader.nextKey()) {
                    members.put(key, read(reader, text));
                }
                return new JsonValue(Kind.OBJECT, text, start, reader.position(), null, members, null);
            }
            case StrictJson.ARRAY -> {
                List<JsonValue> items = new ArrayList<>();
                reader.beginArray();
                while (reader.nextItem()) {
                    items.add(read(reader, text));
                }
                return new JsonValue(Kind.ARRAY, text, start, reader.position(), null, null, items);
            }
            case StrictJson.STRING -> {
                String decoded = reader.nextString();
                return new JsonValue(Kind.STRING, text, start, reader.position(), decoded, null, null);
            }
            case StrictJson.NUMBER -> {
                Kind kind = reader.nextIsInteger() ? Kind.INTEGER : Kind.DECIMAL;
                reader.skipValue();
                return new JsonValue(kind, text, start, reader.position(), null, null, null);
            }
            default -> {
                char first = reader.peek();
                Kind kind = first == StrictJson.TRUE ? Kind.TRUE : first == StrictJson.FALSE ? Kind.FALSE : Kind.NULL;
                reader.skipValue();
                return new JsonValue(kind, text, start, reader.position(), null, null, null);
            }
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The value's text exactly as the document spells it: {@code 1.10}, {@code {"x": 1.50}}, {@code "a\n"}. */
    public String text() {
        return new String(source, start, end - start);
    }

    /**
     * The decoded text of a string.
     *
     * @throws IllegalStateException if this is not a string
     */
    public String string() {
        if (kind != Kind.STRING) {
            throw new IllegalStateException("not a string: " + kind);
        }
        return string;
    }

    /**
     * An object's members, in document order (keys are unique: {@link StrictJson} refuses duplicates).
     *
     * @throws IllegalStateException if this is not an object
     */
    public Map<String, JsonValue> members() {
        if (kind != Kind.OBJECT) {
            throw new IllegalStateException("not an object: " + kind);
        }
        return members;
    }

    /** An object's member of that name; empty if there is none, or this is not an object. */
    public Optional<JsonValue> member(String name) {
        return kind == Kind.OBJECT ? Optional.ofNullable(members.get(name)) : Optional.empty();
    }

    /**
     * An array's items.
     *
     * @throws IllegalStateException if this is not an array
     */
    public List<JsonValue> items() {
        if (kind != Kind.ARRAY) {
            throw new IllegalStateException("not an array: " + kind);
        }
        return items;
    }

    /** Where the value starts, for messages: {@code " (line 3, column 14)"}; never any content. */
    public String at() {
        return StrictJson.at(source, start);
    }

    /** The kind only: a value's string form never contains content. */
    @Override
    public String toString() {
        return "JsonValue[" + kind + ", " + (end - start) + " chars]";
    }
}
