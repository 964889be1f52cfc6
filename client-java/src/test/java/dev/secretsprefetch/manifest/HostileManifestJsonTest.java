// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secretsprefetch.testing.FakeValues;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Manifests no extension would write: each is refused as corrupt (or of an unknown version) with a message
 * naming the problem and never quoting the document. The Ruby shim's hostile_manifest_test.rb checks the same
 * cases; fixtures/manifest pins the syntax rules for both.
 */
class HostileManifestJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Every field a reader looks at, with the JSON type it must have and what a message calls it. */
    private static final Map<List<Object>, String> FIELDS = new LinkedHashMap<>();
    private static final Map<List<Object>, JsonNodeType> TYPES = new LinkedHashMap<>();

    private enum JsonNodeType { INTEGER, STRING, OBJECT, ARRAY }

    static {
        field(JsonNodeType.INTEGER, "formatVersion", "formatVersion");
        field(JsonNodeType.INTEGER, "generation", "generation");
        field(JsonNodeType.STRING, "state", "state");
        field(JsonNodeType.INTEGER, "writtenAtEpochMs", "writtenAtEpochMs");
        field(JsonNodeType.STRING, "writer", "writer");
        field(JsonNodeType.OBJECT, "secrets", "secrets");
        field(JsonNodeType.OBJECT, "secrets entry 1", "secrets", "db");
        field(JsonNodeType.STRING, "secretId", "secrets", "db", "secretId");
        field(JsonNodeType.STRING, "arn", "secrets", "db", "arn");
        field(JsonNodeType.STRING, "versionId", "secrets", "db", "versionId");
        field(JsonNodeType.ARRAY, "versionStages", "secrets", "db", "versionStages");
        field(JsonNodeType.STRING, "versionStages", "secrets", "db", "versionStages", 0);
        field(JsonNodeType.STRING, "requestedVersionStage", "secrets", "db", "requestedVersionStage");
        field(JsonNodeType.INTEGER, "fetchedAtEpochMs", "secrets", "db", "fetchedAtEpochMs");
        field(JsonNodeType.STRING, "secretString", "secrets", "db", "secretString");
        field(JsonNodeType.STRING, "secretBinary", "secrets", "key", "secretBinary");
        field(JsonNodeType.OBJECT, "error", "secrets", "gone", "error");
        field(JsonNodeType.STRING, "error.code", "secrets", "gone", "error", "code");
        field(JsonNodeType.STRING, "error.message", "secrets", "gone", "error", "message");
        field(JsonNodeType.OBJECT, "secrets entry 4", "secrets", "url");
        field(JsonNodeType.STRING, "parameter", "secrets", "url", "parameter");
        field(JsonNodeType.STRING, "parameterType", "secrets", "url", "parameterType");
        field(JsonNodeType.INTEGER, "parameterVersion", "secrets", "url", "parameterVersion");
        field(JsonNodeType.INTEGER, "requestedVersion", "secrets", "url", "requestedVersion");
        field(JsonNodeType.STRING, "requestedLabel", "secrets", "old-url", "requestedLabel");
    }

    private static void field(JsonNodeType type, String name, Object... path) {
        FIELDS.put(List.of(path), name);
        TYPES.put(List.of(path), type);
    }

    /** A value of each JSON type, and how messages describe it. */
    private static final Map<String, JsonNode> WRONG = new LinkedHashMap<>();

    static {
        WRONG.put("an integer", NODES.numberNode(7));
        WRONG.put("a decimal number", NODES.numberNode(1.5));
        WRONG.put("a string", NODES.textNode("spv-Wr0ng"));
        WRONG.put("a boolean", NODES.booleanNode(true));
        WRONG.put("null", NODES.nullNode());
        WRONG.put("an object", NODES.objectNode());
        WRONG.put("an array", NODES.arrayNode());
    }

    private static ObjectNode base() throws Exception {
        Map<String, SecretEntry> secrets = new LinkedHashMap<>();
        secrets.put("db", new SecretEntry("prod/db", Optional.of("arn:aws:secretsmanager:us-east-1:1:secret:x"),
                Optional.of("v1"), List.of("AWSCURRENT"), Optional.empty(),
                Optional.of("AWSCURRENT"), 1, new SecretValue.Text("test-db-spv-Ht01")));
        secrets.put("key", new SecretEntry("prod/key", Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), 1,
                new SecretValue.Binary(FakeValues.binary(0, 1))));
        secrets.put("gone", SecretEntry.failed("prod/gone", Optional.empty(), Optional.empty(), 1,
                "ResourceNotFoundException", "not found"));
        secrets.put("url", new SecretEntry(new SecretEntry.Parameter("/prod/url:2", Optional.of("SecureString"),
                OptionalLong.of(2), OptionalLong.of(2), Optional.empty()), Optional.empty(), 1,
                new SecretValue.Text("test-url-spv-Ht02")));
        secrets.put("old-url", SecretEntry.failed(new SecretEntry.Parameter("/prod/url:old", Optional.empty(),
                OptionalLong.empty(), OptionalLong.empty(), Optional.of("old")), 1, "ParameterNotFound", "not found"));
        return (ObjectNode) JSON.readTree(ManifestJson.write(Manifest.ready(3, 1, "test/1", secrets)));
    }

    private static ManifestFormatException refused(byte[] document, String problem) {
        ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> ManifestJson.read(document));
        assertFalse(e.unknownVersion(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage() + " should say " + problem);
        assertFalse(FakeValues.isMarked(e.getMessage()), "a value in the message");
        assertEquals(null, e.getCause(), "no parser exception (whose message quotes the document) is kept");
        return e;
    }

    private static ManifestFormatException refused(String document, String problem) {
        return refused(document.getBytes(StandardCharsets.UTF_8), problem);
    }

    @Test
    void aWrongTypeAtEveryLevelIsCorruptAndNamed() throws Exception {
        assertEquals(3, ManifestJson.read(JSON.writeValueAsBytes(base())).generation());
        int cases = 0;
        for (Map.Entry<List<Object>, String> field : FIELDS.entrySet()) {
            for (Map.Entry<String, JsonNode> wrong : WRONG.entrySet()) {
                if (matches(TYPES.get(field.getKey()), wrong.getValue())) {
                    continue;
                }
                ObjectNode manifest = base();
                set(manifest, field.getKey(), wrong.getValue());
                byte[] document = JSON.writeValueAsBytes(manifest);
                refused(document, field.getValue());
                refused(document, "is " + wrong.getKey());
                cases++;
            }
        }
        assertEquals(25 * 6, cases);
    }

    private static boolean matches(JsonNodeType type, JsonNode value) {
        return switch (type) {
            case INTEGER -> value.isIntegralNumber();
            case STRING -> value.isTextual();
            case OBJECT -> value.isObject();
            case ARRAY -> value.isArray();
        };
    }

    private static void set(ObjectNode root, List<Object> path, JsonNode value) {
        JsonNode parent = root;
        for (Object key : path.subList(0, path.size() - 1)) {
            parent = key instanceof Integer i ? parent.get(i) : parent.get((String) key);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer i) {
            ((ArrayNode) parent).set(i, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
    }

    @Test
    void anEntryWithBothSecretIdAndParameterIsCorrupt() throws Exception {
        ObjectNode manifest = base();
        ((ObjectNode) manifest.get("secrets").get("url")).put("secretId", "prod/url");
        refused(JSON.writeValueAsBytes(manifest), "secrets entry 4 must have exactly one of secretId and parameter, "
                + "has both");
    }

    @Test
    void anEntryWithNeitherSecretIdNorParameterIsCorrupt() throws Exception {
        ObjectNode manifest = base();
        ((ObjectNode) manifest.get("secrets").get("db")).remove("secretId");
        refused(JSON.writeValueAsBytes(manifest), "secrets entry 1 must have exactly one of secretId and parameter, "
                + "has neither");
    }

    @Test
    void aParameterWithABinaryValueIsCorrupt() throws Exception {
        ObjectNode manifest = base();
        ObjectNode url = (ObjectNode) manifest.get("secrets").get("url");
        url.remove("secretString");
        url.put("secretBinary", "c3B2LUJpbjE=");
        refused(JSON.writeValueAsBytes(manifest), "secrets entry 4 is a parameter with a secretBinary");
    }

    @Test
    void integersOutside64BitsAreCorrupt() throws Exception {
        String max = "9223372036854775807";
        ObjectNode manifest = base();
        manifest.put("generation", new BigInteger(max).add(BigInteger.ONE));
        refused(JSON.writeValueAsBytes(manifest), "must be an integer from -9223372036854775808");
        manifest.put("generation", new BigInteger("1" + "0".repeat(100_000)));
        refused(JSON.writeValueAsBytes(manifest), "generation");
        ((ObjectNode) manifest.get("secrets").get("db")).put("fetchedAtEpochMs",
                new BigInteger("-9223372036854775809"));
        manifest.put("generation", Long.MAX_VALUE);
        refused(JSON.writeValueAsBytes(manifest), "fetchedAtEpochMs");
        ((ObjectNode) manifest.get("secrets").get("db")).put("fetchedAtEpochMs", Long.MIN_VALUE);
        assertEquals(Long.MAX_VALUE, ManifestJson.read(JSON.writeValueAsBytes(manifest)).generation());
    }

    @Test
    void futureFormatVersionsAreUnknownWhateverTheirShape() {
        for (String document : List.of("{\"formatVersion\":2}", "{\"formatVersion\":1099511627776,\"secrets\":[1,2]}")) {
            ManifestFormatException e = assertThrows(ManifestFormatException.class,
                    () -> ManifestJson.read(document.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.unknownVersion(), e.getMessage());
        }
    }

    @Test
    void theFormatVersionCountsWhereverItStands() throws Exception {
        ObjectNode first = base();
        ObjectNode last = first.deepCopy();
        last.remove("formatVersion");
        last.put("formatVersion", 1);
        assertEquals(ManifestJson.read(JSON.writeValueAsBytes(first)), ManifestJson.read(JSON.writeValueAsBytes(last)));
        for (String document : List.of("{\"secrets\":[1,2],\"formatVersion\":2}", "{\"x\":{},\"formatVersion\":2}")) {
            ManifestFormatException e = assertThrows(ManifestFormatException.class,
                    () -> ManifestJson.read(document.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.unknownVersion(), document + ": " + e.getMessage());
        }
        refused("{\"generation\":1}", "has no formatVersion");
        refused("{}", "has no formatVersion");
    }

    @Test
    void aSyntaxErrorAnywhereIsCorruptWhateverTheVersion() {
        refused("{\"formatVersion\":2,\"x\":[1,]}", "not valid JSON");
        refused("{\"x\":[1,],\"formatVersion\":2}", "not valid JSON");
        refused("{\"formatVersion\":2,\"x\":1,\"x\":2}", "duplicate key");
        refused("{\"formatVersion\":2} []", "content after its end");
        refused("[{\"formatVersion\":2},]", "not valid JSON");
        refused("[{\"formatVersion\":2}]", "top level must be an object, is an array");
    }

    @Test
    void truncatedAtAnyByteIsCorruptNeverACrash() throws Exception {
        byte[] document = JSON.writeValueAsBytes(base());
        for (int cut = 0; cut < document.length; cut += 7) {
            refused(Arrays.copyOf(document, cut), "manifest");
        }
    }

    @Test
    void deeplyNestedJunkIsCorruptAndDoesNotOverflowTheStack() {
        refused("{\"formatVersion\":1,\"junk\":" + "[".repeat(100_000), "nested deeper than 100 levels");
        refused("{\"formatVersion\":1,\"junk\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001),
                "nested deeper than 100 levels");
    }

    @Test
    void duplicateKeysAreCorruptAtEveryLevel() {
        refused("{\"formatVersion\":1,\"formatVersion\":1}", "duplicate key");
        refused("{\"formatVersion\":1,\"junk\":{\"x\":[{\"a\":1,\"a\":2}]}}", "duplicate key (line 1, column 40)");
    }

    @Test
    void jsonExtensionsSomeParsersAcceptAreCorrupt() throws Exception {
        String valid = JSON.writeValueAsString(base());
        refused(valid.replaceFirst("\\{", "{ // note\n"), "not valid JSON");
        refused(valid.replaceFirst("\\{", "{\"junk\":\"\\\\q\","), "not valid JSON");
        refused(valid.replaceFirst("\\{", "{\"junk\":\"\\\\ud800\","), "unpaired surrogate");
        refused(valid.replaceFirst("\\{", "{\"junk\":\"\\\\udc00\\\\ud800\","), "unpaired surrogate");
        refused("\uFEFF" + valid, "byte order mark");
        refused(valid + " {}", "content after its end");
        // Jackson takes U+0130 for the hex digit 0 (it masks with 0xFF); the manifest's reader takes ASCII only.
        refused(valid.replaceFirst("\\{", "{\"junk\":\"\\\\u000\u0130\","), "four hex digits");
        refused(valid.replaceFirst("\\{", "{\"junk\":\"\\\\u00\u0664\u0661\","), "four hex digits");
        refused(valid.replaceFirst("\\{", "{\"junk\":NaN,"), "not valid JSON");
        refused(valid.replaceFirst("\\{", "{\"junk\":[1,],"), "not valid JSON");
        byte[] latin1 = valid.replaceFirst("\\{", "{\"junk\":\"\u00e9\",").getBytes(StandardCharsets.ISO_8859_1);
        refused(latin1, "not UTF-8 text");
        assertEquals(3, ManifestJson.read(valid.replaceFirst("\\{", "{\"junk\":\"\\\\ud83d\\\\udd11\",")
                .getBytes(StandardCharsets.UTF_8)).generation(), "an escaped surrogate pair is one character");
    }

    @Test
    void binaryValuesMustBeCanonicalBase64WithOrWithoutPadding() throws Exception {
        byte[] value = "spv-Cm01".getBytes(StandardCharsets.US_ASCII); // canonical: c3B2LUNtMDE=
        for (String accepted : List.of("c3B2LUNtMDE=", "c3B2LUNtMDE")) {
            ObjectNode manifest = base();
            ((ObjectNode) manifest.get("secrets").get("key")).put("secretBinary", accepted);
            SecretValue read = ManifestJson.read(JSON.writeValueAsBytes(manifest)).secrets().get("key").value();
            assertTrue(read.equals(new SecretValue.Binary(value)), accepted + " decodes to the value");
        }
        for (String refusedText : List.of("c3B2LUNtMDF=", "c3B2LUNtMD=", "c3B2LUNtM", "c3B2 LUNtMDE=", "!!")) {
            ObjectNode manifest = base();
            ((ObjectNode) manifest.get("secrets").get("key")).put("secretBinary", refusedText);
            refused(JSON.writeValueAsBytes(manifest), "secretBinary is not valid base64");
        }
    }
}
