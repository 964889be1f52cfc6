// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The oracle of the manifest reader: the Jackson-based reader {@link ManifestJson} had before it got a parser of
 * its own (commit 28906bf), kept as it was (jackson-core's streaming parser, the syntax rules checked over its
 * tokens) but for one bug of Jackson's it inherited (see {@code read}). ManifestReaderDifferentialTest requires
 * both to reach the same verdict and the same model on every
 * document.
 */
final class JacksonManifestOracle {

    private JacksonManifestOracle() {
    }

    static final JsonFactory FACTORY = Syntax.FACTORY;

    /**
     * Parses a manifest. The syntax rules (docs/manifest.md) are checked over the whole document first and the
     * format version next, so a manifest of another version is reported as such even when the rest of it has a
     * shape this reader does not know.
     *
     * @throws ManifestFormatException if the bytes are not a version-1 manifest
     */
    static Manifest read(byte[] bytes) throws ManifestFormatException {
        try {
            char[] text = Syntax.decode(bytes);
            if (!JacksonJsonOracle.asciiHexEscapes(text)) {
                // The one change to the old reader: Jackson takes non-ASCII characters for hex digits in \\u
                // escapes (see JacksonJsonOracle#asciiHexEscapes); the old reader accepted such a manifest, which
                // the Ruby reader refuses. ManifestReaderDifferentialTest found it.
                throw ManifestFormatException.corrupt("manifest has a \\u escape without four hex digits");
            }
            long version = Syntax.checkAndReadVersion(text);
            if (version != Manifest.FORMAT_VERSION) {
                throw ManifestFormatException.unknownVersion(version);
            }
            try (JsonParser json = FACTORY.createParser(text)) {
                return readManifest(json);
            }
        } catch (JsonProcessingException e) {
            throw ManifestFormatException.corrupt("manifest is not valid JSON" + Syntax.at(e.getLocation()));
        } catch (IOException e) {
            throw ManifestFormatException.corrupt("manifest cannot be parsed");
        }
    }

    private static Manifest readManifest(JsonParser json) throws IOException, ManifestFormatException {
        json.nextToken();
        Long generation = null;
        Long deadline = null;
        Long writtenAt = null;
        String state = null;
        String writer = null;
        Map<String, SecretEntry> secrets = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken token = json.nextToken();
            switch (field) {
                case "generation" -> generation = longValue(json, token, field);
                case "state" -> state = stringValue(json, token, field);
                case "deadlineEpochMs" -> deadline = longValue(json, token, field);
                case "writtenAtEpochMs" -> writtenAt = longValue(json, token, field);
                case "writer" -> writer = stringValue(json, token, field);
                case "secrets" -> secrets = readSecrets(json, token);
                default -> json.skipChildren();
            }
        }
        // No lambda here: this runs on a function's first secret read, where bootstrapping one costs milliseconds.
        Optional<Manifest.State> known = Manifest.State.fromJson(required(state, "state"));
        if (known.isEmpty()) {
            throw ManifestFormatException.corrupt("manifest field state must be \"pending\" or \"ready\"");
        }
        Manifest.State parsedState = known.get();
        long gen = required(generation, "generation");
        if (gen < 1) {
            throw ManifestFormatException.corrupt("manifest field generation must be at least 1");
        }
        if (parsedState == Manifest.State.PENDING) {
            return Manifest.pending(gen, required(deadline, "deadlineEpochMs"), required(writtenAt, "writtenAtEpochMs"),
                    required(writer, "writer"));
        }
        return Manifest.ready(gen, required(writtenAt, "writtenAtEpochMs"), required(writer, "writer"),
                required(secrets, "secrets"));
    }

    private static Map<String, SecretEntry> readSecrets(JsonParser json, JsonToken token)
            throws IOException, ManifestFormatException {
        expect(json, token, JsonToken.START_OBJECT, "secrets");
        Map<String, SecretEntry> secrets = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            secrets.put(name, readEntry(json, json.nextToken(), secrets.size() + 1));
        }
        return secrets;
    }

    /** Entries are named by position: a name is file content, and may be anything (docs/manifest.md). */
    private static SecretEntry readEntry(JsonParser json, JsonToken token, int position)
            throws IOException, ManifestFormatException {
        String where = "secrets entry " + position;
        expect(json, token, JsonToken.START_OBJECT, where);
        EntryFields fields = new EntryFields();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken valueToken = json.nextToken();
            String path = where + " field " + field;
            switch (field) {
                case "secretId" -> fields.secretId = stringValue(json, valueToken, path);
                case "parameter" -> fields.parameter = stringValue(json, valueToken, path);
                case "arn" -> fields.arn = stringValue(json, valueToken, path);
                case "versionId" -> fields.versionId = stringValue(json, valueToken, path);
                case "versionStages" -> fields.versionStages = stringArray(json, valueToken, path);
                case "requestedVersionId" -> fields.requestedVersionId = stringValue(json, valueToken, path);
                case "requestedVersionStage" -> fields.requestedVersionStage = stringValue(json, valueToken, path);
                case "parameterType" -> fields.parameterType = stringValue(json, valueToken, path);
                case "parameterVersion" -> fields.parameterVersion = longValue(json, valueToken, path);
                case "requestedVersion" -> fields.requestedVersion = longValue(json, valueToken, path);
                case "requestedLabel" -> fields.requestedLabel = stringValue(json, valueToken, path);
                case "fetchedAtEpochMs" -> fields.fetchedAtEpochMs = longValue(json, valueToken, path);
                case "secretString" -> fields.values.add(new SecretValue.Text(stringValue(json, valueToken, path)));
                case "secretBinary" -> {
                    fields.values.add(new SecretValue.Binary(base64(json, valueToken, path)));
                    fields.binary = true;
                }
                case "error" -> fields.values.add(readError(json, valueToken, path));
                default -> json.skipChildren();
            }
        }
        return fields.toEntry(where);
    }

    private static SecretValue.Failure readError(JsonParser json, JsonToken token, String path)
            throws IOException, ManifestFormatException {
        expect(json, token, JsonToken.START_OBJECT, path);
        String code = null;
        String message = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken valueToken = json.nextToken();
            switch (field) {
                case "code" -> code = stringValue(json, valueToken, path + ".code");
                case "message" -> message = stringValue(json, valueToken, path + ".message");
                default -> json.skipChildren();
            }
        }
        return new SecretValue.Failure(required(code, path + ".code"), message == null ? "" : message);
    }

    private static byte[] base64(JsonParser json, JsonToken token, String path)
            throws IOException, ManifestFormatException {
        String text = stringValue(json, token, path);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ManifestFormatException.corrupt("manifest " + path + " is not valid base64");
        }
        // Java's decoder ignores stray bits in the last character, Ruby's does not: accept canonical text only,
        // with its padding complete or left out.
        String canonical = Base64.getEncoder().encodeToString(bytes);
        if (!canonical.equals(text) && !canonical.equals(text + "=".repeat((4 - text.length() % 4) % 4))) {
            throw ManifestFormatException.corrupt("manifest " + path + " is not valid base64");
        }
        return bytes;
    }

    private static List<String> stringArray(JsonParser json, JsonToken token, String path)
            throws IOException, ManifestFormatException {
        expect(json, token, JsonToken.START_ARRAY, path);
        List<String> values = new ArrayList<>(2);
        JsonToken item;
        while ((item = json.nextToken()) != JsonToken.END_ARRAY) {
            values.add(stringValue(json, item, path + "[]"));
        }
        return values;
    }

    private static String stringValue(JsonParser json, JsonToken token, String path)
            throws IOException, ManifestFormatException {
        expect(json, token, JsonToken.VALUE_STRING, path);
        return json.getText();
    }

    static long longValue(JsonParser json, JsonToken token, String path)
            throws IOException, ManifestFormatException {
        expect(json, token, JsonToken.VALUE_NUMBER_INT, path);
        // Checked before parsing: a number of a million digits must not cost a BigInteger conversion.
        if (json.getTextLength() > 20 || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw ManifestFormatException.corrupt("manifest " + path + " must be an integer from " + Long.MIN_VALUE
                    + " to " + Long.MAX_VALUE + Syntax.at(json));
        }
        return json.getLongValue();
    }

    static void expect(JsonParser json, JsonToken actual, JsonToken expected, String path)
            throws ManifestFormatException {
        if (actual != expected) {
            throw ManifestFormatException.corrupt("manifest " + path + " must be " + describe(expected) + ", is "
                    + (actual == null ? "missing (truncated file?)" : describe(actual)) + Syntax.at(json));
        }
    }

    private static <T> T required(T value, String path) throws ManifestFormatException {
        if (value == null) {
            throw ManifestFormatException.corrupt("manifest has no " + path);
        }
        return value;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The syntax rules over Jackson's tokens, as ManifestSyntax checked them. */
    static final class Syntax {

        private Syntax() {
        }

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
                                version = JacksonManifestOracle.longValue(json, json.nextToken(), "formatVersion");
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

    /**
     * The fields of one {@code secrets} entry as found, each type-checked already, and the rules that join them into
     * a {@link SecretEntry} (docs/manifest.md, "An entry"): stated here a second time, apart from ManifestJson's,
     * which joins them inline, so that the differential test checks the rules too.
     */
    private static final class EntryFields {

        String secretId;
        String parameter;
        String arn;
        String versionId;
        List<String> versionStages = List.of();
        String requestedVersionId;
        String requestedVersionStage;
        String parameterType;
        Long parameterVersion;
        Long requestedVersion;
        String requestedLabel;
        Long fetchedAtEpochMs;
        boolean binary;
        final List<SecretValue> values = new ArrayList<>(1);

        /** The entry, or why the fields make none; {@code where} names the entry by position, never by name. */
        SecretEntry toEntry(String where) throws ManifestFormatException {
            if (values.size() != 1) {
                throw ManifestFormatException.corrupt("manifest "
                        + where + " must have exactly one of secretString, secretBinary and error, has " + values.size());
            }
            if ((secretId == null) == (parameter == null)) {
                throw ManifestFormatException.corrupt("manifest " + where + " must have exactly one of secretId and "
                        + "parameter, has " + (secretId == null ? "neither" : "both"));
            }
            if (fetchedAtEpochMs == null) {
                throw ManifestFormatException.corrupt("manifest has no " + where + " field fetchedAtEpochMs");
            }
            SecretEntry.Source source;
            if (secretId != null) {
                source = new SecretEntry.Secret(secretId, Optional.ofNullable(versionId), versionStages,
                        Optional.ofNullable(requestedVersionId), Optional.ofNullable(requestedVersionStage));
            } else if (binary) {
                throw ManifestFormatException.corrupt("manifest " + where + " is a parameter with a secretBinary; "
                        + "an SSM parameter's value is text");
            } else {
                source = new SecretEntry.Parameter(parameter, Optional.ofNullable(parameterType),
                        optionalLong(parameterVersion), optionalLong(requestedVersion), Optional.ofNullable(requestedLabel));
            }
            return new SecretEntry(source, Optional.ofNullable(arn), fetchedAtEpochMs, values.get(0));
        }

        private static OptionalLong optionalLong(Long value) {
            return value == null ? OptionalLong.empty() : OptionalLong.of(value);
        }
    }
}
