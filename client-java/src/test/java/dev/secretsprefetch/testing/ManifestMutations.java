// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Damaged manifests from a seed: byte-level mutations of a valid document (flips, cuts, insertions, copied
 * slices that duplicate keys, JSON-ish tokens dropped in) and JSON-shaped junk, nested and typed at random.
 * Property tests in client-java and the Java-versus-Ruby comparison in integration-tests draw from here; every
 * string the junk holds carries a marker, so a message that quotes content is caught.
 */
public final class ManifestMutations {

    /** Fragments that push a parser to its edges; each is valid somewhere in JSON, or nearly so. */
    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true",
            "0", "-1", "1.5", "1e999", "9223372036854775808", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\x41\"",
            "/* c */", "// c\n", "\uFEFF", "\u0000", "\"formatVersion\":1,", "\"formatVersion\":2,",
            "\"generation\":2,", "\"state\":\"pending\",", "\"state\":\"ready\",", "\"secrets\":{},",
            "\"secretString\":\"spv-Mut1\",", "\"secretBinary\":\"c3B2LU11dDI=\",", "\"secretBinary\":\"c3B2LU11dDJ=\",",
            "\"error\":{\"code\":\"spv-Mut3\"},", "\"fetchedAtEpochMs\":1,", "\"secretId\":\"spv-Mut4\",",
            "\"parameter\":\"spv-Mut5\",", "\"parameterVersion\":3,", "NaN",
            "\"\\u0000\"", "\"\u00e9\u6f22\ud83d\udd11\"", "[[[[", "]]]]", "{\"a\":{\"a\":{", "}}}");
    private static final List<String> KEYS = List.of("formatVersion", "generation", "state", "deadlineEpochMs",
            "writtenAtEpochMs", "writer", "secrets", "secretId", "arn", "versionId", "versionStages",
            "requestedVersionId", "requestedVersionStage", "fetchedAtEpochMs", "secretString", "secretBinary", "error",
            "parameter", "parameterType", "parameterVersion", "requestedVersion", "requestedLabel", "code", "message", "spv-Key1");

    private ManifestMutations() {
    }

    /** One to four random mutations of {@code document}. */
    public static byte[] mutate(byte[] document, Random random) {
        return mutate(document, Choices.of(random));
    }

    /** One to four mutations of {@code document}, as {@code random} decides. */
    public static byte[] mutate(byte[] document, Choices random) {
        byte[] bytes = document;
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            bytes = mutateOnce(bytes, random);
        }
        return bytes;
    }

    private static byte[] mutateOnce(byte[] bytes, Choices random) {
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
        switch (random.nextInt(7)) {
            case 0 -> {
                if (bytes.length > 0) {
                    byte[] flipped = bytes.clone();
                    flipped[Math.min(at, bytes.length - 1)] = (byte) random.nextInt(256);
                    return flipped;
                }
                return bytes;
            }
            case 1 -> {
                int length = Math.min(1 + random.nextInt(16), bytes.length - Math.min(at, bytes.length));
                return splice(bytes, at, length, new byte[0]);
            }
            case 2 -> {
                byte[] noise = new byte[1 + random.nextInt(8)];
                random.nextBytes(noise);
                return splice(bytes, at, 0, noise);
            }
            case 3 -> {
                return Arrays.copyOf(bytes, at);
            }
            case 4 -> {
                if (bytes.length == 0) {
                    return bytes;
                }
                int from = random.nextInt(bytes.length);
                int length = Math.min(1 + random.nextInt(64), bytes.length - from);
                return splice(bytes, at, 0, Arrays.copyOfRange(bytes, from, from + length));
            }
            default -> {
                String token = TOKENS.get(random.nextInt(TOKENS.size()));
                return splice(bytes, at, 0, token.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + insert.length);
        out.write(bytes, 0, at);
        out.write(insert, 0, insert.length);
        out.write(bytes, at + remove, bytes.length - at - remove);
        return out.toByteArray();
    }

    /** A JSON object of random shape: known and unknown keys, values of any type, nested up to {@code depth}. */
    public static byte[] junk(Random random, int depth) {
        return junk(Choices.of(random), depth);
    }

    /** A JSON object of random shape, as {@code random} decides; see {@link #junk(Random, int)}. */
    public static byte[] junk(Choices random, int depth) {
        StringBuilder json = new StringBuilder();
        object(json, random, depth, true);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void object(StringBuilder json, Choices random, int depth, boolean top) {
        json.append('{');
        int fields = random.nextInt(6);
        if (top && random.nextInt(4) > 0) {
            json.append("\"formatVersion\":").append(random.nextInt(5) == 0 ? "\"1\"" : "1");
            if (fields > 0) {
                json.append(',');
            }
        }
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                json.append(',');
            }
            String key = random.nextInt(3) == 0 ? "spv-Key" + random.nextInt(1000) : KEYS.get(random.nextInt(KEYS.size()));
            json.append('"').append(key).append("\":");
            value(json, random, depth - 1);
        }
        json.append('}');
    }

    private static void value(StringBuilder json, Choices random, int depth) {
        switch (depth <= 0 ? random.nextInt(5) : random.nextInt(7)) {
            case 0 -> json.append(random.nextLong());
            case 1 -> json.append('"').append("spv-Val").append(random.nextInt(10_000)).append(" \\u00e9\\\\").append('"');
            case 2 -> json.append(random.nextBoolean());
            case 3 -> json.append("null");
            case 4 -> json.append(random.nextDouble() * 1e6);
            case 5 -> object(json, random, depth, false);
            default -> {
                json.append('[');
                int items = random.nextInt(4);
                for (int i = 0; i < items; i++) {
                    if (i > 0) {
                        json.append(',');
                    }
                    value(json, random, depth - 1);
                }
                json.append(']');
            }
        }
    }
}
