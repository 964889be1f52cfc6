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

/**
 * Reads the manifest's JSON form (docs/manifest.md) with {@link StrictJson}, which checks the syntax rules;
 * {@link ManifestJsonWriter} writes it. No JSON library: reading a manifest is on a function's cold start.
 *
 * <p>Error messages carry field names and positions, never content: a manifest holds secret values.
 */
public final class ManifestJson {

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
     * Parses a manifest. The syntax rules (docs/manifest.md) are checked over the whole document first and the
     * format version next, so a manifest of another version is reported as such even when the rest of it has a
     * shape this reader does not know.
     *
     * @throws ManifestFormatException if the bytes are not a version-1 manifest
     */
    public static Manifest read(byte[] bytes) throws ManifestFormatException {
        JsonValue root;
        try {
            root = StrictJson.parse(decode(bytes));
        } catch (JsonSyntaxException e) {
            throw ManifestFormatException.corrupt("manifest " + e.getMessage());
        }
        if (root.kind() != JsonValue.Kind.OBJECT) {
            throw ManifestFormatException.corrupt("manifest top level must be an object, is " + describe(root));
        }
        Optional<JsonValue> version = root.member("formatVersion");
        if (version.isEmpty()) {
            throw ManifestFormatException.corrupt("manifest has no formatVersion");
        }
        long formatVersion = longValue(version.get(), "formatVersion");
        if (formatVersion != Manifest.FORMAT_VERSION) {
            throw ManifestFormatException.unknownVersion(formatVersion);
        }
        return readManifest(root);
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

    private static Manifest readManifest(JsonValue root) throws ManifestFormatException {
        Long generation = null;
        Long deadline = null;
        Long writtenAt = null;
        String state = null;
        String writer = null;
        Map<String, SecretEntry> secrets = null;
        for (Map.Entry<String, JsonValue> member : root.members().entrySet()) {
            String field = member.getKey();
            JsonValue value = member.getValue();
            switch (field) {
                case "generation" -> generation = longValue(value, field);
                case "state" -> state = stringValue(value, field);
                case "deadlineEpochMs" -> deadline = longValue(value, field);
                case "writtenAtEpochMs" -> writtenAt = longValue(value, field);
                case "writer" -> writer = stringValue(value, field);
                case "secrets" -> secrets = readSecrets(value);
                default -> {
                    // formatVersion (read already), and fields of later minor versions
                }
            }
        }
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

    private static Map<String, SecretEntry> readSecrets(JsonValue value) throws ManifestFormatException {
        expect(value, JsonValue.Kind.OBJECT, "secrets");
        Map<String, SecretEntry> secrets = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : value.members().entrySet()) {
            secrets.put(entry.getKey(), readEntry(entry.getValue(), secrets.size() + 1));
        }
        return secrets;
    }

    /** Entries are named by position: a name is file content, and may be anything (docs/manifest.md). */
    private static SecretEntry readEntry(JsonValue value, int position) throws ManifestFormatException {
        String where = "secrets entry " + position;
        expect(value, JsonValue.Kind.OBJECT, where);
        EntryFields fields = new EntryFields();
        for (Map.Entry<String, JsonValue> member : value.members().entrySet()) {
            String field = member.getKey();
            JsonValue item = member.getValue();
            String path = where + " field " + field;
            switch (field) {
                case "secretId" -> fields.secretId = stringValue(item, path);
                case "parameter" -> fields.parameter = stringValue(item, path);
                case "arn" -> fields.arn = stringValue(item, path);
                case "versionId" -> fields.versionId = stringValue(item, path);
                case "versionStages" -> fields.versionStages = stringArray(item, path);
                case "requestedVersionId" -> fields.requestedVersionId = stringValue(item, path);
                case "requestedVersionStage" -> fields.requestedVersionStage = stringValue(item, path);
                case "parameterType" -> fields.parameterType = stringValue(item, path);
                case "parameterVersion" -> fields.parameterVersion = longValue(item, path);
                case "requestedVersion" -> fields.requestedVersion = longValue(item, path);
                case "requestedLabel" -> fields.requestedLabel = stringValue(item, path);
                case "fetchedAtEpochMs" -> fields.fetchedAtEpochMs = longValue(item, path);
                case "secretString" -> fields.values.add(new SecretValue.Text(stringValue(item, path)));
                case "secretBinary" -> {
                    fields.values.add(new SecretValue.Binary(base64(item, path)));
                    fields.binary = true;
                }
                case "error" -> fields.values.add(readError(item, path));
                default -> {
                    // fields of later minor versions
                }
            }
        }
        return fields.toEntry(where);
    }

    private static SecretValue.Failure readError(JsonValue value, String path) throws ManifestFormatException {
        expect(value, JsonValue.Kind.OBJECT, path);
        String code = null;
        String message = null;
        for (Map.Entry<String, JsonValue> member : value.members().entrySet()) {
            switch (member.getKey()) {
                case "code" -> code = stringValue(member.getValue(), path + ".code");
                case "message" -> message = stringValue(member.getValue(), path + ".message");
                default -> {
                    // fields of later minor versions
                }
            }
        }
        return new SecretValue.Failure(required(code, path + ".code"), message == null ? "" : message);
    }

    private static byte[] base64(JsonValue value, String path) throws ManifestFormatException {
        String text = stringValue(value, path);
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

    private static List<String> stringArray(JsonValue value, String path) throws ManifestFormatException {
        expect(value, JsonValue.Kind.ARRAY, path);
        List<String> strings = new ArrayList<>(value.items().size());
        for (JsonValue item : value.items()) {
            strings.add(stringValue(item, path + "[]"));
        }
        return strings;
    }

    private static String stringValue(JsonValue value, String path) throws ManifestFormatException {
        expect(value, JsonValue.Kind.STRING, path);
        return value.string();
    }

    /** A 64-bit integer; a decimal number such as {@code 1.0} is not one (docs/manifest.md). */
    private static long longValue(JsonValue value, String path) throws ManifestFormatException {
        expect(value, JsonValue.Kind.INTEGER, path);
        String digits = value.text();
        // Checked before parsing: a number of a million digits must not cost a conversion.
        if (digits.length() <= 20) {
            try {
                return Long.parseLong(digits);
            } catch (IllegalArgumentException e) {
                // out of range (a NumberFormatException, a class that naming here would load on every cold start)
            }
        }
        throw ManifestFormatException.corrupt("manifest " + path + " must be an integer from " + Long.MIN_VALUE
                + " to " + Long.MAX_VALUE + value.at());
    }

    private static void expect(JsonValue value, JsonValue.Kind expected, String path) throws ManifestFormatException {
        if (value.kind() != expected) {
            throw ManifestFormatException.corrupt("manifest " + path + " must be " + describe(expected) + ", is "
                    + describe(value) + value.at());
        }
    }

    private static <T> T required(T value, String path) throws ManifestFormatException {
        if (value == null) {
            throw ManifestFormatException.corrupt("manifest has no " + path);
        }
        return value;
    }

    private static String describe(JsonValue value) {
        return describe(value.kind());
    }

    private static String describe(JsonValue.Kind kind) {
        return switch (kind) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case DECIMAL -> "a decimal number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }
}
