// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.ClientHarness.entries;
import static dev.secretsprefetch.ClientHarness.ready;
import static dev.secretsprefetch.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.testing.MotoServer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Direct GetParameter calls with the real AWS SDK against moto's SSM Parameter Store. */
class ParameterFallbackWithMotoTest {

    private static SsmClient eastAdmin;
    private static SsmClient westAdmin;

    @TempDir
    Path dir;

    private ClientHarness harness;
    private final String prefix = "/test/" + UUID.randomUUID() + "/";

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

    private static SsmClient admin(Region region) {
        return SsmClient.builder()
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
        return harness.client(EnvironmentVariables.ENDPOINT_URL_SSM, MotoServer.shared().endpoint().toString());
    }

    private static SecretEntry failedParameter(String parameter, OptionalLong version) {
        return SecretEntry.failed(new SecretEntry.Parameter(parameter, Optional.empty(), OptionalLong.empty(), version,
                Optional.empty()), ClientHarness.START_MS, "AccessDeniedException", "denied");
    }

    private void put(SsmClient admin, String name, ParameterType type, String value) {
        admin.putParameter(b -> b.name(name).type(type).value(value).overwrite(true));
    }

    @Test
    void parameterErrorEntryGetsTheDecryptedSecureStringFromSsm() {
        put(eastAdmin, prefix + "token", ParameterType.SECURE_STRING, "fixture-moto-token-spv-Sq1a");
        harness.write(ready(1, entries("token", failedParameter(prefix + "token", OptionalLong.empty()))));

        assertSameValue("fixture-moto-token-spv-Sq1a", client().get("token"), "token");
        harness.assertNotLeaked("fixture-moto-token-spv-Sq1a");
    }

    @Test
    void parameterArnWithoutAnEntryIsFetchedInTheArnsRegion() {
        put(westAdmin, prefix + "hosts", ParameterType.STRING_LIST, "a.internal,b.internal,spv-Sq2b");
        String arn = "arn:aws:ssm:us-west-2:123456789012:parameter" + prefix + "hosts";
        SecretsClient client = client(); // AWS_REGION=us-east-1

        assertSameValue("a.internal,b.internal,spv-Sq2b", client.get(arn), "the us-west-2 StringList by ARN");
    }

    @Test
    void missingParameterIsNotFoundNamingTheParameter() {
        harness.write(ready(1, entries("gone", failedParameter(prefix + "gone", OptionalLong.empty()))));

        SecretsException e = assertThrows(SecretsException.class, () -> client().get("gone"));

        assertEquals(SecretsException.Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("parameter " + prefix + "gone in us-east-1"), e.getMessage());
        assertTrue(e.getMessage().contains("ParameterNotFound"), e.getMessage());
    }

    @Test
    void versionSelectorOfAnErrorEntryGetsThatVersion() {
        put(eastAdmin, prefix + "url", ParameterType.STRING, "fixture-moto-url-one-spv-Sq3c");
        put(eastAdmin, prefix + "url", ParameterType.STRING, "fixture-moto-url-two-spv-Sq4d");
        harness.write(ready(1, entries("url-v1", failedParameter(prefix + "url:1", OptionalLong.of(1)),
                "url", failedParameter(prefix + "url", OptionalLong.empty()))));
        SecretsClient client = client();

        assertSameValue("fixture-moto-url-one-spv-Sq3c", client.get("url-v1"), "version 1");
        assertSameValue("fixture-moto-url-two-spv-Sq4d", client.get("url"), "the current version");
        SecretsException e = assertThrows(SecretsException.class, () -> client.get(prefix + "url:7"));
        assertEquals(SecretsException.Reason.NOT_FOUND, e.reason(), "a bare name is a secret id: " + e.getMessage());
    }

    @Test
    void missingVersionIsNotFound() {
        put(eastAdmin, prefix + "flag", ParameterType.STRING, "fixture-moto-flag-spv-Sq5e");
        harness.write(ready(1, entries("flag-v9", failedParameter(prefix + "flag:9", OptionalLong.of(9)))));

        SecretsException e = assertThrows(SecretsException.class, () -> client().get("flag-v9"));

        assertEquals(SecretsException.Reason.NOT_FOUND, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(prefix + "flag:9"), e.getMessage());
    }
}
