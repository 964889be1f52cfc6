// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.aws.FetchErrors;
import dev.secretsprefetch.extension.aws.SignedCalls;
import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.extension.config.SecretSpec;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import uk.org.webcompere.systemstubs.environment.EnvironmentVariables;
import uk.org.webcompere.systemstubs.properties.SystemProperties;

/**
 * The extension's own SigV4 calls against a moto that verifies every signature (botocore's algorithm, an
 * implementation independent of the Java SDK's signer): what the extension signs is what it sends.
 */
class SignedCallsTest {

    private static final String PREFIX = "signed-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    private static MotoServer moto;

    @BeforeAll
    static void seed() {
        moto = MotoServer.sharedVerifyingSignatures();
        try (SecretsManagerClient client = moto.secretsManager(MotoServer.REGION)) {
            client.createSecret(b -> b.name(PREFIX + "db").secretString("spv-signed-db-Ss01"));
            client.createSecret(b -> b.name(PREFIX + "api").secretString("spv-signed-api-Ss02"));
            client.createSecret(b -> b.name(PREFIX + "bin")
                    .secretBinary(SdkBytes.fromByteArray("spv-signed-bin-Ss03".getBytes(StandardCharsets.UTF_8))));
            client.putSecretValue(b -> b.secretId(PREFIX + "api").secretString("spv-signed-api-new-Ss04"));
        }
    }

    private static Map<String, String> environment(MotoServer.Credentials credentials) {
        Map<String, String> env = new HashMap<>(credentials.environment());
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());
        return env;
    }

    private static FetchRound fetch(Map<String, String> env, ByteArrayOutputStream logged) throws Exception {
        Environment environment = Environment.from(env);
        try (SignedCalls calls = new SignedCalls(environment);
                Fetcher fetcher = new Fetcher(calls, environment.defaultRegion(),
                        new Log(Log.Level.DEBUG, new PrintStream(logged, true, StandardCharsets.UTF_8)),
                        Clock.systemUTC())) {
            // A batch (two ids), a pinned stage (GetSecretValue) and a binary secret on its own.
            return fetcher.fetch(List.of(SecretSpec.of("db", PREFIX + "db"), SecretSpec.of("api", PREFIX + "api"),
                    new SecretSpec("old-api", PREFIX + "api", java.util.Optional.empty(),
                            java.util.Optional.of("AWSPREVIOUS"), java.util.Optional.empty()),
                    SecretSpec.of("bin", PREFIX + "bin")), Duration.ofSeconds(20));
        }
    }

    private static String text(FetchRound round, String name) {
        return ((SecretValue.Text) round.entries().get(name).value()).value();
    }

    @Test
    void sessionCredentialsAsLambdaGivesThemAreAccepted() throws Exception {
        FetchRound round = fetch(environment(moto.sessionCredentials()), new ByteArrayOutputStream());
        assertEquals(0, round.failures(), () -> round.entries().toString());
        assertTrue("spv-signed-db-Ss01".equals(text(round, "db")), "value of db");
        assertTrue("spv-signed-api-new-Ss04".equals(text(round, "api")), "value of api");
        assertTrue("spv-signed-api-Ss02".equals(text(round, "old-api")), "value of old-api");
        assertArrayEquals("spv-signed-bin-Ss03".getBytes(StandardCharsets.UTF_8),
                ((SecretValue.Binary) round.entries().get("bin").value()).bytes());
        assertTrue(round.batchCalls() >= 1 && round.getCalls() >= 1, "both operations were signed and sent");
    }

    @Test
    void longTermKeysWithoutATokenAreAccepted() throws Exception {
        FetchRound round = fetch(environment(moto.userCredentials()), new ByteArrayOutputStream());
        assertEquals(0, round.failures(), () -> round.entries().toString());
        assertTrue("spv-signed-db-Ss01".equals(text(round, "db")), "value of db");
    }

    @Test
    void aWrongSecretKeyIsRefusedAndNotRetried() throws Exception {
        MotoServer.Credentials user = moto.userCredentials();
        Map<String, String> env = environment(new MotoServer.Credentials(user.accessKeyId(), "not-the-key", null));
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        FetchRound round = fetch(env, logged);
        for (SecretEntry entry : round.entries().values()) {
            // moto refuses with an XML body (Secrets Manager itself answers awsJson errors with a code): the entry
            // carries the status, which is what a reader of the manifest can act on.
            SecretValue.Failure failure = (SecretValue.Failure) entry.value();
            assertEquals("HTTP403", failure.code(), failure.toString());
        }
        assertFalse(logged.toString(StandardCharsets.UTF_8).contains("spv-"), "a value was logged");
        assertFalse(logged.toString(StandardCharsets.UTF_8).contains("attempt 2"), "a refused signature was retried");
    }

    @Test
    void withoutKeysInTheEnvironmentTheSdkCredentialsChainIsAsked() throws Exception {
        MotoServer.Credentials session = moto.sessionCredentials();
        Map<String, String> env = Map.of("AWS_REGION", MotoServer.REGION,
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());
        // The first link of the SDK's default chain: what SnapStart's container endpoint or a profile would give.
        new SystemProperties("aws.accessKeyId", session.accessKeyId(), "aws.secretAccessKey",
                session.secretAccessKey(), "aws.sessionToken", session.sessionToken())
                .execute(() -> {
                    FetchRound round = fetch(env, new ByteArrayOutputStream());
                    assertEquals(0, round.failures(), () -> round.entries().toString());
                    assertTrue("spv-signed-db-Ss01".equals(text(round, "db")), "value of db");
                });
    }

    @Test
    void noCredentialsAnywhereIsNamedInEveryEntryWithoutACall() throws Exception {
        Map<String, String> env = Map.of("AWS_REGION", MotoServer.REGION,
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:9");
        // Whatever this machine has: no keys, no container or web-identity credentials, no profile files, and no
        // instance metadata to ask.
        Path nowhere = Path.of("/nonexistent/secrets-prefetch-test");
        new EnvironmentVariables().remove("AWS_ACCESS_KEY_ID").remove("AWS_SECRET_ACCESS_KEY")
                .remove("AWS_SESSION_TOKEN").remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
                .remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").remove("AWS_WEB_IDENTITY_TOKEN_FILE")
                .remove("AWS_PROFILE")
                .execute(() -> new SystemProperties("aws.disableEc2Metadata", "true",
                        "aws.sharedCredentialsFile", nowhere.toString(), "aws.configFile", nowhere.toString())
                .execute(() -> {
                    FetchRound round = fetch(env, new ByteArrayOutputStream());
                    for (SecretEntry entry : round.entries().values()) {
                        SecretValue.Failure failure = (SecretValue.Failure) entry.value();
                        assertEquals(FetchErrors.CLIENT_ERROR, failure.code());
                        assertTrue(failure.message().startsWith("no AWS credentials: AWS_ACCESS_KEY_ID and "
                                + "AWS_SECRET_ACCESS_KEY are not set"), failure.message());
                    }
                }));
    }
}
