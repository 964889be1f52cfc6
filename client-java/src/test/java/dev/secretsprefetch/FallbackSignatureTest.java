// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.MotoServer;
import dev.secretsprefetch.testing.MotoServer.Credentials;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import uk.org.webcompere.systemstubs.jupiter.SystemStub;
import uk.org.webcompere.systemstubs.jupiter.SystemStubsExtension;
import uk.org.webcompere.systemstubs.properties.SystemProperties;

/**
 * The direct call (AWS SDK v2, default credential chain) signs what moto, checking every signature, accepts:
 * with an IAM user's keys and with the session credentials Lambda gives a function.
 */
@ExtendWith(SystemStubsExtension.class)
class FallbackSignatureTest {

    private static final String NAME = "signed/" + UUID.randomUUID() + "/api-key";
    private static final String VALUE = FakeValues.text("fixture-signed-fallback");

    @SystemStub
    private SystemProperties properties = new SystemProperties();

    @TempDir
    Path dir;

    private ClientHarness harness;

    @BeforeAll
    static void secret() {
        try (SecretsManagerClient admin = moto().secretsManager(MotoServer.REGION)) {
            admin.createSecret(b -> b.name(NAME).secretString(VALUE));
        }
    }

    private static MotoServer moto() {
        return MotoServer.sharedVerifyingSignatures();
    }

    @BeforeEach
    void start() {
        harness = new ClientHarness(dir);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /** A client whose SDK default chain finds {@code credentials} (system properties come first in it). */
    private SecretsClient clientWith(Credentials credentials) {
        properties.set("aws.accessKeyId", credentials.accessKeyId());
        properties.set("aws.secretAccessKey", credentials.secretAccessKey());
        if (credentials.sessionToken() != null) {
            properties.set("aws.sessionToken", credentials.sessionToken());
        }
        return harness.client(EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER, moto().endpoint().toString());
    }

    @Test
    void directCallSignedWithAnIamUsersKeysIsAccepted() {
        assertSameValue(VALUE, clientWith(moto().userCredentials()).get(NAME), NAME);
    }

    @Test
    void directCallSignedWithSessionCredentialsIsAccepted() {
        assertSameValue(VALUE, clientWith(moto().sessionCredentials()).get(NAME), NAME);
    }

    @Test
    void directCallSignedWithAWrongSecretKeyIsRefusedNamingTheStatus() {
        Credentials wrong = new Credentials(moto().userCredentials().accessKeyId(), "not-the-secret-access-key", null);

        SecretsException e = assertThrows(SecretsException.class, () -> clientWith(wrong).get(NAME));
        // moto refuses with an XML body (SignatureDoesNotMatch) that a JSON client cannot read a code from;
        // AWS answers 400 InvalidSignatureException in JSON, which DirectFetcher counts as ACCESS_DENIED.
        assertEquals(SecretsException.Reason.OTHER, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("(HTTP 403)"), e.getMessage());
    }
}
