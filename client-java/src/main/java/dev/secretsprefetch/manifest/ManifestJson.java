// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the manifest's JSON form (docs/manifest.md) with {@link StrictJson}, which checks the syntax rules;
 * {@link ManifestJsonWriter} writes it. No JSON library: reading a manifest is on a function's cold start.
 *
 * <p>Error messages carry field names and positions, never content: a manifest holds secret values.
 */
public final class ManifestJson {

    private static final String FORMAT_VERSION = "formatVersion";

    private ManifestJson() {
    }

    /**
     * The manifest as UTF-8 JSON, in the field order docs/manifest.md shows. The generator code lives in
     * {@link ManifestJsonWriter}, so that readers never load or verify it.
     */
    public static byte[] write(Manifest manifest) {
        return ManifestJsonWriter.write(manifest);
    }

    /**
     * Parses a manifest. The syntax rules (docs/manifest.md) hold over the whole document before the format version
     * counts, and the version before the shape, so a manifest of another version is reported as such even when the
     * rest of it has a shape this reader does not know.
     *
     * @throws ManifestFormatException if the bytes are not a version-1 manifest
     */
    public static Manifest read(byte[] bytes) throws ManifestFormatException {
        char[] text = decode(bytes);
        try {
            return readManifest(text);
        } catch (JsonSyntaxException e) {
            throw ManifestFormatException.corrupt("manifest " + e.getMessage());
        }
    }

    /** The document as characters: strict UTF-8 (no overlong forms, no encoded surrogates), no byte order mark. */
    private static char[] decode(byte[] bytes) throws ManifestFormatException {
        // The String constructor replaces what is not UTF-8 with U+FFFD; only a document holding U+FFFD needs the
        // strict decoder to tell (whose classes a cold start otherwise does not load).
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes));
            } catch (IOException e) { // CharacterCodingException, which naming here would load on every cold start
                throw ManifestFormatException.corrupt("manifest is not UTF-8 text");
            }
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw ManifestFormatException.corrupt("manifest starts with a byte order mark");
        }
        return text.toCharArray();
    }

    /**
     * Maps the document straight to the model, without a tree: one pass when {@code formatVersion} comes first, as
     * the writer puts it; otherwise a first pass finds it.
     */
    private static Manifest readManifest(char[] text) throws JsonSyntaxException, ManifestFormatException {
        StrictJson json = StrictJson.over(text);
        if (json.peek() != StrictJson.OBJECT) {
            String is = describeNext(json);
            json.skipValue();
            json.end();
            throw ManifestFormatException.corrupt("manifest top level must be an object, is " + is);
        }
        json.beginObject();
        String key = json.nextKey();
        if (FORMAT_VERSION.equals(key)) {
            long version = longValue(json, 0, key);
            if (version != Manifest.FORMAT_VERSION) {
                while (json.nextKey() != null) {
                    json.skipValue();
                }
                json.end();
                throw ManifestFormatException.unknownVersion(version);
            }
            key = json.nextKey();
        } else {
            checkVersion(text);
            json = StrictJson.over(text);
            json.beginObject();
            key = json.nextKey();
        }
        Long generation = null;
        Long deadline = null;
        Long writtenAt = null;
        String state = null;
        String writer = null;
        Map<String, SecretEntry> secrets = null;
        for (; key != null; key = json.nextKey()) {
            switch (key) {
                case "generation" -> generation = longValue(json, 0, key);
                case "state" -> state = stringValue(json, 0, key);
                case "deadlineEpochMs" -> deadline = longValue(json, 0, key);
                case "writtenAtEpochMs" -> writtenAt = longValue(json, 0, key);
                case "writer" -> writer = stringValue(json, 0, key);
                case "secrets" -> secrets = readSecrets(json);
                default -> json.skipValue(); // formatVersion (read already), and fields of later minor versions
            }
        }
        json.end();
        Optional<Manifest.State> known = Manifest.State.fromJson(required(state, "state"));
        if (known.isEmpty()) {
            throw ManifestFormatException.corrupt("manifest field state must be \"pending\" or \"ready\"");
        }
        long gen = required(generation, "generation");
        if (gen < 1) {
            throw ManifestFormatException.corrupt("manifest field generation must be at least 1");
        }
        if (known.get() == Manifest.State.PENDING) {
            return Manifest.pending(gen, required(deadline, "deadlineEpochMs"), required(writtenAt, "writtenAtEpochMs"),
                    required(writer, "writer"));
        }
        return Manifest.ready(gen, required(writtenAt, "writtenAtEpochMs"), required(writer, "writer"),
                required(secrets, "secrets"));
    }

    /** The first pass, for a document whose first member is not {@code formatVersion}: the whole syntax, then it. */
    private static void checkVersion(char[] text) throws JsonSyntaxException, ManifestFormatException {
        StrictJson json = StrictJson.over(text);
        json.beginObject();
        Long version = null;
        for (String key = json.nextKey(); key != null; key = json.nextKey()) {
            if (FORMAT_VERSION.equals(key)) {
                version = longValue(json, 0, key);
            } else {
                json.skipValue();
            }
        }
        json.end();
        if (version == null) {
            throw ManifestFormatException.corrupt("manifest has no formatVersion");
        }
        if (version != Manifest.FORMAT_VERSION) {
            throw ManifestFormatException.unknownVersion(version);
        }
    }

    private static Map<String, SecretEntry> readSecrets(StrictJson json)
            throws JsonSyntaxException, ManifestFormatException {
        expect(json, StrictJson.OBJECT, 0, "secrets");
        Map<String, SecretEntry> secrets = new LinkedHashMap<>();
        json.beginObject();
        for (String name = json.nextKey(); name != null; name = json.nextKey()) {
            secrets.put(name, readEntry(json, secrets.size() + 1));
        }
        return secrets;
    }

    /**
     * One entry, named by its position: a name is file content, and may be anything (docs/manifest.md). Every field
     * of the table in "An entry" is type-checked on every entry; the ones of the other kind (a {@code versionId} on a
     * parameter entry) are then ignored.
     */
    private static SecretEntry readEntry(StrictJson json, int entry) throws JsonSyntaxException,
            ManifestFormatException {
        expect(json, StrictJson.OBJECT, entry, null);
        String secretId = null;
        String parameter = null;
        String arn = null;
        String versionId = null;
        List<String> versionStages = List.of();
        String requestedVersionId = null;
        String requestedVersionStage = null;
        String parameterType = null;
        Long parameterVersion = null;
        Long requestedVersion = null;
        String requestedLabel = null;
        Long fetchedAtEpochMs = null;
        SecretValue value = null;
        int values = 0;
        json.beginObject();
        for (String field = json.nextKey(); field != null; field = json.nextKey()) {
            switch (field) {
                case "secretId" -> secretId = stringValue(json, entry, field);
                case "parameter" -> parameter = stringValue(json, entry, field);
                case "arn" -> arn = stringValue(json, entry, field);
                case "versionId" -> versionId = stringValue(json, entry, field);
                case "versionStages" -> versionStages = stringArray(json, entry, field);
                case "requestedVersionId" -> requestedVersionId = stringValue(json, entry, field);
                case "requestedVersionStage" -> requestedVersionStage = stringValue(json, entry, field);
                case "parameterType" -> parameterType = stringValue(json, entry, field);
                case "parameterVersion" -> parameterVersion = longValue(json, entry, field);
                case "requestedVersion" -> requestedVersion = longValue(json, entry, field);
                case "requestedLabel" -> requestedLabel = stringValue(json, entry, field);
                case "fetchedAtEpochMs" -> fetchedAtEpochMs = longValue(json, entry, field);
                case "secretString" -> {
                    value = new SecretValue.Text(stringValue(json, entry, field));
                    values++;
                }
                case "secretBinary" -> {
                    value = new SecretValue.Binary(base64(json, entry, field));
                    values++;
                }
                case "error" -> {
                    value = readError(json, entry);
                    values++;
                }
                default -> json.skipValue(); // fields of later minor versions
            }
        }
        String where = "secrets entry " + entry;
        if (values != 1) {
            throw ManifestFormatException.corrupt("manifest "
                    + where + " must have exactly one of secretString, secretBinary and error, has " + values);
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
        } else if (value instanceof SecretValue.Binary) {
            throw ManifestFormatException.corrupt("manifest " + where + " is a parameter with a secretBinary; "
                    + "an SSM parameter's value is text");
        } else {
            source = new SecretEntry.Parameter(parameter, Optional.ofNullable(parameterType),
                    optionalLong(parameterVersion), optionalLong(requestedVersion), Optional.ofNullable(requestedLabel));
        }
        return new SecretEntry(source, Optional.ofNullable(arn), fetchedAtEpochMs, value);
    }

    private static OptionalLong optionalLong(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static SecretValue.Failure readError(StrictJson json, int entry)
            throws JsonSyntaxException, ManifestFormatException {
        expect(json, StrictJson.OBJECT, entry, "error");
        String code = null;
        String message = null;
        json.beginObject();
        for (String field = json.nextKey(); field != null; field = json.nextKey()) {
            switch (field) {
                case "code" -> code = stringValue(json, entry, "error.code");
                case "message" -> message = stringValue(json, entry, "error.message");
                default -> json.skipValue(); // fields of later minor versions
            }
        }
        return new SecretValue.Failure(required(code, path(entry, "error.code")), message == null ? "" : message);
    }

    private static byte[] base64(StrictJson json, int entry, String field)
            throws JsonSyntaxException, ManifestFormatException {
        String text = stringValue(json, entry, field);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ManifestFormatException.corrupt("manifest " + path(entry, field) + " is not valid base64");
        }
        // Java's decoder ignores stray bits in the last character, Ruby's does not: accept canonical text only,
        // with its padding complete or left out.
        String canonical = Base64.getEncoder().encodeToString(bytes);
        if (!canonical.equals(text) && !canonical.equals(text + "=".repeat((4 - text.length() % 4) % 4))) {
            throw ManifestFormatException.corrupt("manifest " + path(entry, field) + " is not valid base64");
        }
        return bytes;
    }

    private static List<String> stringArray(StrictJson json, int entry, String field)
            throws JsonSyntaxException, ManifestFormatException {
        expect(json, StrictJson.ARRAY, entry, field);
        List<String> strings = new ArrayList<>();
        json.beginArray();
        while (json.nextItem()) {
            strings.add(stringValue(json, entry, "versionStages[]"));
        }
        return strings;
    }

    private static String stringValue(StrictJson json, int entry, String field)
            throws JsonSyntaxException, ManifestFormatException {
        expect(json, StrictJson.STRING, entry, field);
        return json.nextString();
    }

    /** A 64-bit integer; a decimal number such as {@code 1.0} is not one (docs/manifest.md). */
    private static long longValue(StrictJson json, int entry, String field)
            throws JsonSyntaxException, ManifestFormatException {
        if (json.peek() != StrictJson.NUMBER || !json.nextIsInteger()) {
            throw mismatch(json, "an integer", entry, field);
        }
        int at = json.position();
        String digits = json.nextNumber();
        // Checked before parsing: a number of a million digits must not cost a conversion.
        if (digits.length() <= 20) {
            try {
                return Long.parseLong(digits);
            } catch (IllegalArgumentException e) {
                // out of range (a NumberFormatException, a class that naming here would load on every cold start)
            }
        }
        throw ManifestFormatException.corrupt("manifest " + path(entry, field) + " must be an integer from "
                + Long.MIN_VALUE + " to " + Long.MAX_VALUE + json.at(at));
    }

    private static void expect(StrictJson json, char expected, int entry, String field)
            throws JsonSyntaxException, ManifestFormatException {
        if (json.peek() != expected) {
            throw mismatch(json, describe(expected), entry, field);
        }
    }

    private static ManifestFormatException mismatch(StrictJson json, String expected, int entry, String field)
            throws JsonSyntaxException {
        return ManifestFormatException.corrupt("manifest " + path(entry, field) + " must be " + expected + ", is "
                + describeNext(json) + json.at(json.position()));
    }

    /**
     * Where a value is, for messages, built only for one: {@code field} of the top level (entry 0), or of the
     * {@code entry}th secrets entry, or with no field, that entry itself. Entries are named by position, never by
     * name: a name is file content.
     */
    private static String path(int entry, String field) {
        if (entry == 0) {
            return field;
        }
        return field == null ? "secrets entry " + entry : "secrets entry " + entry + " field " + field;
    }

    private static <T> T required(T value, String path) throws ManifestFormatException {
        if (value == null) {
            throw ManifestFormatException.corrupt("manifest has no " + path);
        }
        return value;
    }

    private static String describeNext(StrictJson json) throws JsonSyntaxException {
        char kind = json.peek();
        return kind == StrictJson.NUMBER && !json.nextIsInteger() ? "a decimal number" : describe(kind);
    }

    private static String describe(char kind) {
        return switch (kind) {
            case StrictJson.OBJECT -> "an object";
            case StrictJson.ARRAY -> "an array";
            case StrictJson.STRING -> "a string";
            case StrictJson.NUMBER -> "an integer";
            case StrictJson.TRUE, StrictJson.FALSE -> "a boolean";
            default -> "null";
        };
    }
}
