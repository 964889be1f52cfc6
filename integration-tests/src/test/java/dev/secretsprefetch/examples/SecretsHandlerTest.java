// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.secretsprefetch.SecretsException;
import dev.secretsprefetch.test.FakeSecrets;
import dev.secretsprefetch.test.FakeSecretsExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example function's unit tests, written as a user of secrets-prefetch writes them: fake secrets declared once
 * for the class, served to the handler through {@code Secrets.get} with no AWS, no layer and no emulator.
 */
class SecretsHandlerTest {

    private static final String DB = "{\"username\":\"app\",\"password\":\"example-db-password-spv-Ex4m\"}";
    private static final String API_KEY = "example-api-key-spv-Ap1k";

    @RegisterExtension
    static final FakeSecretsExtension SECRETS = new FakeSecretsExtension(FakeSecrets.builder()
            .string("prod/db", DB)
            .string("api-key", API_KEY)
            .failing("retired-key", SecretsException.Reason.NOT_FOUND)
            .build());

    @Test
    void initReadsEverySecretItIsConfiguredFor() {
        SecretsHandler handler = new SecretsHandler("prod/db, api-key");

        Map<String, Object> answer = handler.handleRequest(Map.of(), null);

        assertEquals(Map.of("prod/db", Fingerprints.sha256(DB), "api-key", Fingerprints.sha256(API_KEY)),
                answer.get("init"));
        assertEquals(Map.of(), answer.get("request"));
    }

    @Test
    void anEventAsksForMoreSecrets() {
        SecretsHandler handler = new SecretsHandler("");

        Map<String, Object> answer = handler.handleRequest(Map.of("get", List.of("api-key")), null);

        assertEquals(Map.of("api-key", Fingerprints.sha256(API_KEY)), answer.get("request"));
    }

    @Test
    void aSecretSecretsManagerCannotFindFailsTheInvocationNamingIt() {
        SecretsHandler handler = new SecretsHandler("api-key");

        SecretsException e = assertThrows(SecretsException.class,
                () -> handler.handleRequest(Map.of("get", List.of("retired-key")), null));

        assertEquals(SecretsException.Reason.NOT_FOUND, e.reason());
        assertEquals("retired-key", e.secretName());
    }
}
