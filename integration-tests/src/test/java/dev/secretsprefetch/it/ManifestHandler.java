// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFormatException;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the manifest with the real {@link ManifestFiles} and answers with value fingerprints. It reads per
 * request: unlike the real client it does not wait for a pending manifest, and by the first invoke the
 * stand-in extension has finished (init ends only when it asks for events).
 */
public final class ManifestHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Manifest manifest = read();
        Map<String, Object> secrets = new LinkedHashMap<>();
        manifest.secrets().forEach((name, entry) -> secrets.put(name,
                entry.value() instanceof SecretValue.Text text ? sha256(text.value()) : "not text"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("state", manifest.state().name());
        answer.put("secrets", secrets);
        return answer;
    }

    private static Manifest read() {
        try {
            return ManifestFiles.read(EnvironmentVariables.secretsDirectory(System.getenv()))
                    .orElseThrow(() -> new IllegalStateException("no manifest"));
        } catch (IOException | ManifestFormatException e) {
            throw new IllegalStateException("cannot read the manifest: " + e.getMessage(), e);
        }
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
