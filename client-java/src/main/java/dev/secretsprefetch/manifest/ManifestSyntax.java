package dev.secretsprefetch.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The manifest's syntax rules (docs/manifest.md, "Syntax"): strict RFC 8259 JSON in UTF-8 without a byte order
 * mark, one object, no duplicate key in any object, no unpaired surrogate in any string, nested at most
 * {@link #MAX_DEPTH} levels. Checked over the whole document, ignored fields included, so the Java and the Ruby
 * reader accept exactly the same files whatever their JSON libraries tolerate.
 */
final class ManifestSyntax {

    /** Objects and arrays nested deeper than this make a document corrupt (Ruby's JSON default, too). */
    static final int MAX_DEPTH = 100;

    /**
     * Jackson's own limits would reject long strings, names and numbers that the Ruby reader accepts; the file
     * size cap ({@link ManifestFiles#MAX_MANIFEST_BYTES}) is the one size limit, so these are lifted. The
     * constructor, not the builder: a reader's first call loads less.
     */
    static final JsonFactory FACTORY = new JsonFactory().setStreamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE)
            .maxNameLength(Integer.MAX_VALUE)
            .maxNumberLength(Integer.MAX_VALUE)
            .maxNestingDepth(MAX_DEPTH + 1)
            .build());

    private static final Set<String> ARRAY = Set.of();

    private ManifestSyntax() {
    }

    /**
     * The document as characters.
     *
     * @throws ManifestFormatException if the bytes are not UTF-8 or start with a byte order mark
     */
    static char[] decode(byte[] bytes) throws ManifestFormatException {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw ManifestFormatException.corrupt("manifest is not UTF-8 text");
        }
        char[] text = new char[chars.remaining()];
        chars.get(text);
        if (text.length > 0 && text[0] == '\uFEFF') {
            throw ManifestFormatException.corrupt("manifest starts with a byte order mark");
        }
        return text;
    }

    /**
     * Walks every token of the document, checking the rules above, and returns its top-level
     * {@code formatVersion}.
     *
     * @throws ManifestFormatException if a rule is broken or there is no integer formatVersion
     * @throws IOException (a {@link com.fasterxml.jackson.core.JsonProcessingException}) if it is not JSON
     */
    static long checkAndReadVersion(char[] text) throws IOException, ManifestFormatException {
        try (JsonParser json = FACTORY.createParser(text)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw ManifestFormatException.corrupt("manifest top level must be an object" + at(json));
            }
            // The keys seen so far in each open object; arrays hold a shared empty set.
            List<Set<String>> open = new ArrayList<>();
            open.add(new HashSet<>());
            Long version = null;
            while (!open.isEmpty()) {
                JsonToken token = json.nextToken();
                if (token == null) {
                    throw ManifestFormatException.corrupt("manifest ends early (truncated file?)");
                }
                switch (token) {
                    case FIELD_NAME -> {
                        String name = json.currentName();
                        if (!open.get(open.size() - 1).add(name)) {
                            throw ManifestFormatException.corrupt("manifest has a duplicate key" + at(json));
                        }
                        checkUnicode(name, json);
                        if (open.size() == 1 && "formatVersion".equals(name)) {
                            version = ManifestJson.longValue(json, json.nextToken(), "formatVersion");
                        }
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (open.size() == MAX_DEPTH) {
                            throw ManifestFormatException.corrupt("manifest is nested deeper than " + MAX_DEPTH
                                    + " levels" + at(json));
                        }
                        open.add(token == JsonToken.START_OBJECT ? new HashSet<>() : ARRAY);
                    }
                    case END_OBJECT, END_ARRAY -> open.remove(open.size() - 1);
                    case VALUE_STRING -> checkUnicode(json.getText(), json);
                    default -> {
                        // numbers, booleans and null: Jackson has checked their syntax
                    }
                }
            }
            if (json.nextToken() != null) {
                throw ManifestFormatException.corrupt("manifest has content after its closing brace" + at(json));
            }
            if (version == null) {
                throw ManifestFormatException.corrupt("manifest has no formatVersion");
            }
            return version;
        }
    }

    /** JSON escapes can spell half of a surrogate pair, which is no character at all; Ruby rejects those. */
    private static void checkUnicode(String text, JsonParser json) throws ManifestFormatException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ManifestFormatException.corrupt("manifest has a string with an unpaired surrogate escape"
                        + at(json));
            }
        }
    }

    static String at(JsonParser json) {
        return at(json.currentTokenLocation());
    }

    static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
