// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The oracle of {@link StrictJson}: Jackson's strict parser (no JSON extensions, duplicate keys detected, size
 * limits lifted), plus the rules it does not have (no half of a surrogate pair, at most 100 levels, nothing after
 * the value, ASCII hex digits in {@code \\u} escapes), building the same tree from Jackson's tokens and their
 * positions.
 */
final class JacksonJsonOracle {

    /** A value as Jackson saw it: its kind, its text as written (scalars and containers), decoded strings. */
    record Node(JsonValue.Kind kind, String text, String decoded, Map<String, Node> members, List<Node> items) {
    }

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE)
                    .maxNestingDepth(Integer.MAX_VALUE).build())
            .build();

    private final char[] text;
    private final JsonParser json;
    private int depth;

    private JacksonJsonOracle(char[] text, JsonParser json) {
        this.text = text;
        this.json = json;
    }

    /** The document's tree, or empty when Jackson or one of the rules it lacks refuses it. */
    static Optional<Node> parse(String document) {
        char[] text = document.toCharArray();
        if (!asciiHexEscapes(text)) {
            return Optional.empty();
        }
        try (JsonParser json = FACTORY.createParser(text)) {
            JacksonJsonOracle oracle = new JacksonJsonOracle(text, json);
            JsonToken first = json.nextToken();
            if (first == null) {
                return Optional.empty();
            }
            Node root = oracle.value(first);
            if (root == null || json.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of(root);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The value that starts with {@code token}; null when a rule Jackson does not have is broken. */
    private Node value(JsonToken token) throws IOException {
        int start = (int) json.currentTokenLocation().getCharOffset();
        switch (token) {
            case START_OBJECT -> {
                if (++depth > StrictJson.MAX_DEPTH) {
                    return null;
                }
                Map<String, Node> members = new LinkedHashMap<>();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    Node value = wellFormed(name) ? value(json.nextToken()) : null;
                    if (value == null) {
                        return null;
                    }
                    members.put(name, value);
                }
                depth--;
                return new Node(JsonValue.Kind.OBJECT, span(start), null, members, null);
            }
            case START_ARRAY -> {
                if (++depth > StrictJson.MAX_DEPTH) {
                    return null;
                }
                List<Node> items = new ArrayList<>();
                JsonToken item;
                while ((item = json.nextToken()) != JsonToken.END_ARRAY) {
                    Node value = value(item);
                    if (value == null) {
                        return null;
                    }
                    items.add(value);
                }
                depth--;
                return new Node(JsonValue.Kind.ARRAY, span(start), null, null, items);
            }
            case VALUE_STRING -> {
                return wellFormed(json.getText()) ? new Node(JsonValue.Kind.STRING, null, json.getText(), null, null)
                        : null;
            }
            case VALUE_NUMBER_INT -> {
                return new Node(JsonValue.Kind.INTEGER, json.getText(), null, null, null);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node(JsonValue.Kind.DECIMAL, json.getText(), null, null, null);
            }
            case VALUE_TRUE -> {
                return new Node(JsonValue.Kind.TRUE, "true", null, null, null);
            }
            case VALUE_FALSE -> {
                return new Node(JsonValue.Kind.FALSE, "false", null, null, null);
            }
            case VALUE_NULL -> {
                return new Node(JsonValue.Kind.NULL, "null", null, null, null);
            }
            default -> throw new IllegalStateException("unexpected token " + token);
        }
    }

    /**
     * Whether every {@code \\u} escape has four ASCII hex digits. Jackson does not check it: its {@code charToHex}
     * masks a character with 0xFF, so it reads U+0130 ("\u0130") as the digit 0, and {@code "\\u000\u0130"} as
     * U+0000, which RFC 8259 and every other reader refuse. Backslashes appear only in strings of a document
     * Jackson accepts, so a scan from the start sees the escapes as Jackson does.
     */
    static boolean asciiHexEscapes(char[] text) {
        for (int i = 0; i < text.length - 1; i++) {
            if (text[i] != '\\') {
                continue;
            }
            if (text[i + 1] == 'u') {
                for (int d = i + 2; d < i + 6 && d < text.length; d++) {
                    if (Character.digit(text[d], 16) < 0 || text[d] > 'f') {
                        return false;
                    }
                }
            }
            i++; // the escaped character; for \\u the hex digits hold no backslash
        }
        return true;
    }

    /** The text from {@code start} to the closing bracket Jackson has just read. */
    private String span(int start) {
        int end = (int) json.currentTokenLocation().getCharOffset() + 1;
        return new String(text, start, end - start);
    }

    private static boolean wellFormed(String decoded) {
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < decoded.length() && Character.isLowSurrogate(decoded.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether our reader's tree is this one: same kinds, texts, decoded strings, member order and items. */
    static boolean same(Node expected, JsonValue actual) {
        if (expected.kind() != actual.kind()) {
            return false;
        }
        return switch (expected.kind()) {
            case STRING -> expected.decoded().equals(actual.string());
            case OBJECT -> expected.text().equals(actual.text()) && sameMembers(expected.members(), actual.members());
            case ARRAY -> expected.text().equals(actual.text()) && sameItems(expected.items(), actual.items());
            default -> expected.text().equals(actual.text());
        };
    }

    private static boolean sameMembers(Map<String, Node> expected, Map<String, JsonValue> actual) {
        if (!new ArrayList<>(expected.keySet()).equals(new ArrayList<>(actual.keySet()))) {
            return false;
        }
        for (Map.Entry<String, Node> member : expected.entrySet()) {
            if (!same(member.getValue(), actual.get(member.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameItems(List<Node> expected, List<JsonValue> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!same(expected.get(i), actual.get(i))) {
                return false;
            }
        }
        return true;
    }
}
