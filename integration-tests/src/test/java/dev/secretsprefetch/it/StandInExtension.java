// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * A stand-in for the real extension, to prove the harness before the layer exists: writes a pending
 * manifest, registers, fetches {@code SECRETS_PREFETCH_SECRETS} (name=id,...) with GetSecretValue, writes
 * the ready manifest with the real {@link ManifestFilesWriter}, and waits for events; on SHUTDOWN it removes the
 * secrets directory.
 */
public final class StandInExtension {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRITER = "stand-in-extension/test";

    private StandInExtension() {
    }

    public static void main(String[] args) throws Exception {
        String name = Path.of(args[0]).getFileName().toString();
        Map<String, String> env = System.getenv();
        Path dir = EnvironmentVariables.secretsDirectory(env);
        ManifestFilesWriter.write(dir, Manifest.pending(1, System.currentTimeMillis() + 10_000,
                System.currentTimeMillis(), WRITER));
        String api = "http://" + env.get(EnvironmentVariables.RUNTIME_API) + "/2020-01-01/extension";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(api + "/register"))
                .header("Lambda-Extension-Name", name)
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[\"INVOKE\",\"SHUTDOWN\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (registered.statusCode() != 200) {
            throw new IllegalStateException("register answered " + registered.statusCode() + ": " + registered.body());
        }
        String id = registered.headers().firstValue("Lambda-Extension-Identifier").orElseThrow();
        Map<String, SecretEntry> secrets = fetch(env);
        ManifestFilesWriter.write(dir, Manifest.ready(2, System.currentTimeMillis(), WRITER, secrets));
        System.out.println("stand-in extension " + name + " wrote its manifest");
        while (true) {
            HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create(api + "/event/next"))
                    .header("Lambda-Extension-Identifier", id).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode event = JSON.readTree(next.body());
            if ("SHUTDOWN".equals(event.path("eventType").asText())) {
                ManifestFilesWriter.deleteDirectory(dir);
                return;
            }
        }
    }

    private static Map<String, SecretEntry> fetch(Map<String, String> env) {
        Map<String, SecretEntry> entries = new LinkedHashMap<>();
        String configured = env.getOrDefault(EnvironmentVariables.SECRETS, "");
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            for (String pair : configured.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                String[] nameAndId = pair.split("=", 2);
                GetSecretValueResponse value = client.getSecretValue(r -> r.secretId(nameAndId[1]));
                entries.put(nameAndId[0], new SecretEntry(nameAndId[1], Optional.of(value.arn()),
                        Optional.of(value.versionId()), value.versionStages(), Optional.empty(), Optional.empty(),
                        System.currentTimeMillis(), new SecretValue.Text(value.secretString())));
            }
        }
        return entries;
    }
}
