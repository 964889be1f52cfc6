// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.Values.assertNoValueIn;
import static dev.secretsprefetch.Values.assertSameBytes;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.testing.FakeValues;
import dev.secretsprefetch.testing.MotoServer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Direct calls with the real AWS SDK against moto, a real Secrets Manager emulator. */
class FallbackWithMotoTest {

    private static SecretsManagerClient eastAdmin;
    private static SecretsManagerClient westAdmin;

    @TempDir
    Path dir;

    private ClientHarness harness;
    private final String prefix = "test/" + UUID.randomUUID() + "/";

    @BeforeAll
    static void admins() {
        eastAdmin = admin(Region.US_EAST_1);
        westAdmin = admin(Region.US_WEST_2);
    }

    @AfterAll
    static void closeAdmins() {
        eastAdmin.close();
        westAdmin.close();
    }

    private static SecretsManagerClient admin(Region region) {
        return SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(MotoServer.shared().endpoint())
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .build();
    }

    @BeforeEach
    void start() {
        harness = new ClientHarness(dir);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private SecretsClient client() {
        return harness.client(EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER,
                MotoServer.shared().endpoint().toString());
    }

    @Test
    void stringSecretComesFromSecretsManagerWhenThereIsNoManifest() {
        String value = "fixture-moto-string-spv-Ur6e";
        eastAdmin.createSecret(b -> b.name(prefix + "api-key").secretString(value));

        assertSameValue(value, client().get(prefix + "api-key"), "api-key");
        harness.assertNotLeaked(value);
    }

    @Test
    void binarySecretComesFromSecretsManagerByteForByte() {
        byte[] value = FakeValues.binary((byte) 0xca, (byte) 0xfe, 0, 1, (byte) 0x80);
        eastAdmin.createSecret(b -> b.name(prefix + "key").secretBinary(SdkBytes.fromByteArray(value)));

        assertSameBytes(value, client().getBinary(prefix + "key"), "key");
    }

    @Test
    void jsonSecretFromSecretsManagerGivesFieldsAndTypedReads() {
        eastAdmin.createSecret(b -> b.name(prefix + "db")
                .secretString("{\"username\":\"app\",\"password\":\"fixture-moto-password-spv-Ik3l\",\"port\":5432}"));
        SecretsClient client = client();

        assertSameValue("fixture-moto-password-spv-Ik3l", client.getField(prefix + "db", "password"), "db.password");
        JsonSecretsTest.Credentials credentials = client.getJson(prefix + "db", JsonSecretsTest.Credentials.class);
        assertSameValue("app", credentials.username(), "db.username");
        assertEquals(5432, credentials.port());
    }

    @Test
    void fetchedValueIsServedFromMemoryFor300SecondsThenFetchedAgain() {
        eastAdmin.createSecret(b -> b.name(prefix + "rotating").secretString("fixture-moto-first-spv-Op0p"));
        SecretsClient client = client();
        client.get(prefix + "rotating");
        eastAdmin.putSecretValue(b -> b.secretId(prefix + "rotating").secretString("fixture-moto-second-spv-Kl9k"));

        assertSameValue("fixture-moto-first-spv-Op0p", client.get(prefix + "rotating"), "rotating while cached");
        harness.clock.advance(FallbackCache.TTL_MS);
        assertSameValue("fixture-moto-second-spv-Kl9k", client.get(prefix + "rotating"), "rotating after 300 s");
    }

    @Test
    void regionOfAnArnWinsOverAwsRegion() {
        String arn = westAdmin.createSecret(b -> b.name(prefix + "west").secretString("fixture-moto-west-spv-Mn7b")).arn();
        SecretsClient client = client(); // AWS_REGION=us-east-1

        assertSameValue("fixture-moto-west-spv-Mn7b", client.get(arn), "the us-west-2 secret by ARN");
        SecretsException byName = assertThrows(SecretsException.class, () -> client.get(prefix + "west"));
        assertEquals(SecretsException.Reason.NOT_FOUND, byName.reason(), "by name it is looked up in us-east-1");
        assertTrue(byName.getMessage().contains("us-east-1"), byName.getMessage());
    }

    @Test
    void errorEntryThatPinnedAStageGetsThatStageFromSecretsManager() {
        eastAdmin.createSecret(b -> b.name(prefix + "db").secretString("fixture-moto-old-spv-Gf5d"));
        eastAdmin.putSecretValue(b -> b.secretId(prefix + "db").secretString("fixture-moto-new-spv-Hj6f"));
        harness.write(ready(1, entries("db-previous", SecretEntry.failed(prefix + "db", Optional.empty(),
                Optional.of("AWSPREVIOUS"), ClientHarness.START_MS, "Timeout", "no answer in time"))));
        SecretsClient client = client();

        assertSameValue("fixture-moto-old-spv-Gf5d", client.get("db-previous"), "db-previous");
        assertSameValue("fixture-moto-new-spv-Hj6f", client.get(prefix + "db"), "db current");
    }

    @Test
    void missingSecretFailsAsNotFoundNamingIt() {
        SecretsException e = assertThrows(SecretsException.class, () -> client().get(prefix + "absent"));

        assertEquals(SecretsException.Reason.NOT_FOUND, e.reason());
        assertEquals(prefix + "absent", e.secretName());
        assertTrue(e.getMessage().startsWith("secret \"" + prefix + "absent\": "), e.getMessage());
        assertNoValueIn(e.getMessage(), "spv-");
    }
}
