// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.testing.MotoServer.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The server from {@link MotoServer#sharedVerifyingSignatures()} really checks signatures: GetSecretValue
 * requests signed by the SDK's standalone SigV4 signer and sent with {@link HttpURLConnection} are answered
 * when they are signed right, and refused otherwise.
 */
class MotoServerSignatureTest {

    private static final String VALUE = FakeValues.text("fixture-verifying-moto");
    private static final String NAME = "verifying/" + UUID.randomUUID() + "/db";
    private static final String BODY = "{\"SecretId\":\"" + NAME + "\"}";

    private static MotoServer moto;

    @BeforeAll
    static void secret() {
        moto = MotoServer.sharedVerifyingSignatures();
        try (SecretsManagerClient admin = moto.secretsManager(MotoServer.REGION)) {
            admin.createSecret(b -> b.name(NAME).secretString(VALUE));
        }
    }

    private record Answer(int status, String body) {

        void assertRefusedWith(String code) {
            assertEquals(403, status, "HTTP status of a refused request; moto said: " + printable());
            assertTrue(body.contains("<Code>" + code + "</Code>"), "expected " + code + ", moto said: " + printable());
        }

        String printable() {
            return body.replace(VALUE, "<value>");
        }
    }

    @Test
    void requestSignedWithUserKeysIsAnswered() {
        Answer answer = send(signed(moto.userCredentials(), s -> { }), BODY);

        assertEquals(200, answer.status(), "a correctly signed request is answered");
        assertTrue(answer.body().contains(VALUE), "the answer carries the secret's value (not printed)");
    }

    @Test
    void requestSignedWithSessionCredentialsAndTheirTokenIsAnswered() {
        Answer answer = send(signed(moto.sessionCredentials(), s -> { }), BODY);

        assertEquals(200, answer.status(), "a correctly signed request is answered");
        assertTrue(answer.body().contains(VALUE), "the answer carries the secret's value (not printed)");
    }

    @Test
    void requestSignedWithAWrongSecretKeyIsRefusedWithSignatureDoesNotMatch() {
        Credentials wrong = new Credentials(moto.userCredentials().accessKeyId(), "not-the-secret-access-key", null);

        send(signed(wrong, s -> { }), BODY).assertRefusedWith("SignatureDoesNotMatch");
    }

    @Test
    void bodyChangedAfterSigningIsRefusedWithSignatureDoesNotMatch() {
        SdkHttpRequest request = signed(moto.userCredentials(), s -> { });

        send(request, BODY.replace("/db", "/other")).assertRefusedWith("SignatureDoesNotMatch");
    }

    @Test
    void unsignedRequestIsRefused() {
        SdkHttpRequest unsigned = request().build();

        Answer answer = send(unsigned, BODY);
        // moto routes requests by their Authorization header: without one it cannot even find Secrets Manager.
        assertEquals(500, answer.status(), "HTTP status of an unsigned request");
        assertFalse(answer.body().contains("SecretString"), "no value in the answer to an unsigned request");
    }

    @Test
    void accessKeyMotoNeverIssuedIsRefusedWithInvalidClientTokenId() {
        Credentials unknown = new Credentials("AKIAUNKNOWNKEY000000", "some-secret-access-key", null);

        send(signed(unknown, s -> { }), BODY).assertRefusedWith("InvalidClientTokenId");
    }

    @Test
    void sessionKeysAreRefusedWithoutTheirTokenAndWithAnotherToken() {
        Credentials session = moto.sessionCredentials();
        Credentials withoutToken = new Credentials(session.accessKeyId(), session.secretAccessKey(), null);
        Credentials otherToken = new Credentials(session.accessKeyId(), session.secretAccessKey(), "another-token");

        send(signed(withoutToken, s -> { }), BODY).assertRefusedWith("InvalidClientTokenId");
        send(signed(otherToken, s -> { }), BODY).assertRefusedWith("InvalidClientTokenId");
    }

    @Test
    void signingTimeIsNotCheckedSoTheseTestsCannotCatchAWrongClock() {
        Clock longAgo = Clock.fixed(Instant.parse("2001-02-03T04:05:06Z"), ZoneOffset.UTC);

        Answer answer = send(signed(moto.userCredentials(), s -> s.putProperty(HttpSigner.SIGNING_CLOCK, longAgo)),
                BODY);
        assertEquals(200, answer.status(), "moto accepts a signature made at any time (AWS allows 5 minutes)");
    }

    private static SdkHttpRequest.Builder request() {
        return SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(moto.endpoint())
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue");
    }

    private static SdkHttpRequest signed(Credentials credentials, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> more) {
        AwsCredentialsIdentity identity = credentials.sessionToken() == null
                ? AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey())
                : AwsSessionCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                        credentials.sessionToken());
        return AwsV4HttpSigner.create().sign(s -> {
            s.identity(identity)
                    .request(request().build())
                    .payload(ContentStreamProvider.fromUtf8String(BODY))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, MotoServer.REGION);
            more.accept(s);
        }).request();
    }

    private static Answer send(SdkHttpRequest request, String body) {
        try {
            HttpURLConnection connection = (HttpURLConnection) request.getUri().toURL().openConnection();
            connection.setRequestMethod(request.method().name());
            connection.setDoOutput(true);
            // HttpURLConnection sends Host itself, with the same host:port the signer signed.
            request.forEachHeader((name, values) -> {
                if (!name.equalsIgnoreCase("Host")) {
                    connection.setRequestProperty(name, String.join(",", values));
                }
            });
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
