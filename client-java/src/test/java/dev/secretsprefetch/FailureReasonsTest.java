// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import static dev.secretsprefetch.Values.assertNoValueIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.EnvironmentVariables;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import uk.org.webcompere.systemstubs.jupiter.SystemStub;
import uk.org.webcompere.systemstubs.jupiter.SystemStubsExtension;
import uk.org.webcompere.systemstubs.properties.SystemProperties;

/**
 * Each way a direct call can fail maps to its {@link Reason}, with a message naming the secret and the
 * cause. The failures come over HTTP from a fake Secrets Manager, through the real SDK.
 */
@ExtendWith(SystemStubsExtension.class)
class FailureReasonsTest {

    @TempDir
    Path dir;

    @SystemStub
    private SystemProperties properties = new SystemProperties("aws.maxAttempts", "1"); // no SDK retries here

    private ClientHarness harness;

    @BeforeEach
    void start() {
        harness = new ClientHarness(dir);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void missingSecretIsNotFound() {
        SecretsException e = failure(harness.client());
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("has no secret prod/db in us-east-1"), e.getMessage());
    }

    @Test
    void refusedCredentialsAreAccessDeniedWithTheIamHint() {
        harness.fake.failWith(400, "AccessDeniedException");
        SecretsException e = failure(harness.client());
        assertEquals(Reason.ACCESS_DENIED, e.reason());
        assertTrue(e.getMessage().contains("secretsmanager:GetSecretValue"), e.getMessage());
        assertTrue(e.getMessage().contains("kms:Decrypt"), e.getMessage());
    }

    @Test
    void throttlingIsThrottled() {
        harness.fake.failWith(400, "ThrottlingException");
        assertEquals(Reason.THROTTLED, failure(harness.client()).reason());
    }

    @Test
    void tooManyRequestsStatusIsThrottled() {
        harness.fake.failWith(429, "TooManyRequestsException");
        assertEquals(Reason.THROTTLED, failure(harness.client()).reason());
    }

    @Test
    void kmsDecryptionFailureIsDecryptionFailure() {
        harness.fake.failWith(400, "DecryptionFailure");
        assertEquals(Reason.DECRYPTION_FAILURE, failure(harness.client()).reason());
    }

    @Test
    void noAnswerInTimeIsTimeout() {
        harness.fake.hang();
        SecretsClient client = harness.client(ClientConfig.from(harness.env()).withCallTimeout(Duration.ofMillis(300)));
        assertEquals(Reason.TIMEOUT, failure(client).reason());
    }

    @Test
    void otherServiceErrorsAreOtherAndNameTheCode() {
        harness.fake.failWith(500, "InternalServiceError");
        SecretsException e = failure(harness.client());
        assertEquals(Reason.OTHER, e.reason());
        assertTrue(e.getMessage().contains("InternalServiceError"), e.getMessage());
    }

    @Test
    void unreachableEndpointIsOtherAndSaysSo() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SecretsException e = failure(harness.client(EnvironmentVariables.ENDPOINT_URL_SECRETS_MANAGER,
                "http://127.0.0.1:" + closedPort));
        assertEquals(Reason.OTHER, e.reason());
        assertTrue(e.getMessage().contains("cannot call Secrets Manager"), e.getMessage());
    }

    /** Bodies the SDK cannot read; each holds the value a 200 answer would carry. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"Name\":\"prod/db\",\"SecretString\":\"VALUE", "<html>VALUE</html>",
            "{\"Name\":\"prod/db\",\"SecretString\":\"VALUE\",\"CreatedDate\":\"VALUE\"}"})
    void anUnreadableAnswerIsOtherAndNeverQuotesIt(String body) {
        String value = "fixture-in-a-broken-answer-spv-Qk7w";
        harness.fake.answerRaw(200, body.replace("VALUE", value));

        SecretsException e = failure(harness.client());
        assertEquals(Reason.OTHER, e.reason());
        assertTrue(e.getMessage().contains("the AWS SDK failed (SdkClientException"), e.getMessage());
        assertNoValueIn(e.getMessage(), value);
        assertEquals(null, e.getCause(), "the SDK's exception, whose message quotes the answer, is not chained");
    }

    @Test
    void failuresAreNotCachedSoTheNextCallTriesAgain() {
        harness.fake.failWith(400, "ThrottlingException");
        SecretsClient client = harness.client();
        failure(client);
        failure(client);
        assertEquals(2, harness.fake.requestCount());
    }

    private static SecretsException failure(SecretsClient client) {
        SecretsException e = assertThrows(SecretsException.class, () -> client.get("prod/db"));
        assertEquals("prod/db", e.secretName());
        assertTrue(e.getMessage().startsWith("secret \"prod/db\": "), e.getMessage());
        assertNoValueIn(e.getMessage(), "spv-");
        return e;
    }
}
