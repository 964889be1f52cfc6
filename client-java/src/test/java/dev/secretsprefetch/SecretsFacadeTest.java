// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.binary;
import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.failed;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.ClientHarness.text;
import static dev.secretsprefetch.Values.assertNoValueIn;
import static dev.secretsprefetch.Values.assertSameBytes;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.secretsprefetch.manifest.ManifestFilesWriter;
import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import uk.org.webcompere.systemstubs.environment.EnvironmentVariables;
import uk.org.webcompere.systemstubs.jupiter.SystemStub;
import uk.org.webcompere.systemstubs.jupiter.SystemStubsExtension;
import uk.org.webcompere.systemstubs.stream.SystemOut;

/**
 * The static facade as a handler uses it, configured by real environment variables (system-stubs). It is the
 * only test that touches {@link Secrets}: the process-wide client reads the environment once.
 */
@ExtendWith(SystemStubsExtension.class)
class SecretsFacadeTest {

    private static final String PREFIX = "facade/" + UUID.randomUUID() + "/";
    private static final String API_KEY = "fixture-facade-api-key-spv-Rt5y";
    private static final String PASSWORD = "fixture-facade-password-spv-Gh7j";
    private static final String DIRECT = "fixture-facade-direct-spv-Ui8o";
    private static final String REPAIRED = "fixture-facade-repaired-spv-Op9p";
    private static final byte[] KEY = FakeValues.binary(9, 8, 7, 0, (byte) 0xee);

    @TempDir
    static Path dir;

    @SystemStub
    private static EnvironmentVariables environment = new EnvironmentVariables();

    @SystemStub
    private static SystemOut out = new SystemOut();

    @BeforeAll
    static void functionWithTheExtension() throws IOException {
        try (SecretsManagerClient admin = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(MotoServer.shared().endpoint())
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .build()) {
            admin.createSecret(b -> b.name(PREFIX + "direct").secretString(DIRECT));
            admin.createSecret(b -> b.name(PREFIX + "broken").secretString(REPAIRED));
        }
        ManifestFilesWriter.write(dir, ready(1, entries(
                "api-key", text(PREFIX + "api-key", API_KEY),
                "db", text(PREFIX + "db", "{\"username\":\"app\",\"password\":\"" + PASSWORD + "\",\"port\":6543}"),
                "key", binary(PREFIX + "key", KEY),
                "broken", failed(PREFIX + "broken", "ThrottlingException"))));
        environment.set("SECRETS_PREFETCH_DIR", dir.toString())
                .set("SECRETS_PREFETCH_LOG_LEVEL", "debug")
                .set("AWS_REGION", MotoServer.REGION)
                .set("AWS_ENDPOINT_URL_SECRETS_MANAGER", MotoServer.shared().endpoint().toString())
                .set("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID)
                .set("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    }

    @AfterAll
    static void nothingLeakedToStandardOutput() {
        assertNoValueIn(out.getText(), API_KEY, PASSWORD, DIRECT, REPAIRED, "spv-");
    }

    @Test
    void manifestValuesAreServedThroughEveryAccessor() {
        assertSameValue(API_KEY, Secrets.get("api-key"), "api-key");
        assertSameValue(API_KEY, Secrets.get(PREFIX + "api-key"), "api-key by secret id");
        assertSameValue(PASSWORD, Secrets.getField("db", "password"), "db.password");
        assertEquals(6543, Secrets.getJson("db", JsonSecretsTest.Credentials.class).port());
        assertSameBytes(KEY, Secrets.getBinary("key"), "key");
    }

    @Test
    void namesTheManifestCannotServeComeFromSecretsManagerAtTheConfiguredEndpoint() {
        assertSameValue(DIRECT, Secrets.get(PREFIX + "direct"), "a secret not in the manifest");
        assertSameValue(REPAIRED, Secrets.get("broken"), "an error entry");
    }

    @Test
    void missingSecretFailsWithNotFoundNamingIt() {
        SecretsException e = assertThrows(SecretsException.class, () -> Secrets.get(PREFIX + "nowhere"));
        assertEquals(SecretsException.Reason.NOT_FOUND, e.reason());
        assertEquals(PREFIX + "nowhere", e.secretName());
    }

    @Test
    void nullArgumentsAreRejectedNamingTheParameter() {
        assertEquals("name", assertThrows(NullPointerException.class, () -> Secrets.get(null)).getMessage());
        assertEquals("field", assertThrows(NullPointerException.class, () -> Secrets.getField("db", null))
                .getMessage());
        assertEquals("type", assertThrows(NullPointerException.class, () -> Secrets.getJson("db", null)).getMessage());
    }
}
