// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.examples;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the example functions answer instead of secret values: a SHA-256 per secret, so a caller can check
 * that the right value arrived without any value appearing in a response or a log.
 */
final class Fingerprints {

    private Fingerprints() {
    }

    /** The secret ids in a comma-separated list such as the {@code SECRET_IDS} variable. */
    static List<String> ids(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(id -> !id.isEmpty()).toList();
    }

    /** The ids an event asks for: {@code {"get": ["name", ...]}}. */
    static List<String> requested(Map<String, Object> event) {
        Object get = event == null ? null : event.get("get");
        if (!(get instanceof List<?> names)) {
            return List.of();
        }
        return names.stream().map(String::valueOf).toList();
    }

    /** Fetches every id with {@code fetch} and fingerprints the value. */
    static Map<String, String> of(List<String> ids, Function<String, String> fetch) {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (String id : ids) {
            fingerprints.put(id, sha256(fetch.apply(id)));
        }
        return fingerprints;
    }

    static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
