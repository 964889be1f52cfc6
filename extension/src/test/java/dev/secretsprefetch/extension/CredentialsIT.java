// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.secretsprefetch.extension.aws.FetchErrors;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.testing.MotoServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The layer's extension signing its calls with every kind of credentials Lambda (or a workstation) gives it,
 * against a moto that verifies each signature with botocore's algorithm: keys in the environment, a session of
 * the container credentials endpoint as SnapStart has it (no keys in the environment), a profile file, none at all.
 */
class CredentialsIT {

    private static final String PREFIX = "credentials-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    private static final String DB = SecretValues.next();
    private static final String TOKEN = "container-authorization-token-for-tests";
    private static MotoServer moto;

    @TempDir
    Path tmp;

    @BeforeAll
    static void seed() {
        moto = MotoServer.sharedVerifyingSignatures();
        try (SecretsManagerClient client = moto.secretsManager(MotoServer.REGION)) {
            client.createSecret(b -> b.name(PREFIX + "db").secretString(DB));
        }
    }

    /** Only what the test gives: no profile files, no instance metadata, nothing of this machine's. */
    private Map<String, String> environment(Map<String, String> credentials) {
        Map<String, String> env = new HashMap<>(credentials);
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials-file").toString());
        env.put("AWS_CONFIG_FILE", tmp.resolve("no-config-file").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("SECRETS_PREFETCH_LOG_LEVEL", "debug");
        return env;
    }

    private record Run(int status, Manifest manifest, String output) {
    }

    private Run prefetch(Map<String, String> env) throws Exception {
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"fetchDeadlineMs\": 8000, "
                + "\"secrets\": [{\"name\": \"db\", \"secretId\": \"" + PREFIX + "db\"}]}");
        Path dir = tmp.resolve("secrets");
        try (ExtensionProcess process = ExtensionProcess.start(List.of(Layers.extensionUnderTest().toString(),
                "prefetch", "--config", config.toString(), "--dir", dir.toString()), env)) {
            int status = process.exitStatus(Duration.ofSeconds(60)).orElseThrow(
                    () -> new AssertionError("the one-shot command did not finish within 60 s"));
            SecretValues.assertNoValueIn(process.output(), "the extension's output", DB);
            return new Run(status, ManifestFiles.read(dir).orElseThrow(), process.output());
        }
    }

    private static void assertFetched(Run run) {
        assertEquals(PrefetchCommand.OK, run.status(), run.output());
        SecretValues.assertSameValue(DB, ((SecretValue.Text) run.manifest().secrets().get("db").value()).value(), "db");
    }

    @Test
    void sessionKeysInTheEnvironmentSignAcceptedCalls() throws Exception {
        assertFetched(prefetch(environment(moto.sessionCredentials().environment())));
    }

    @Test
    void longTermKeysWithoutATokenSignAcceptedCalls() throws Exception {
        assertFetched(prefetch(environment(moto.userCredentials().environment())));
    }

    @Test
    void aWrongSecretKeyIsRefusedAndNotRetried() throws Exception {
        MotoServer.Credentials user = moto.userCredentials();
        Run run = prefetch(environment(new MotoServer.Credentials(user.accessKeyId(), "not-the-key", null)
                .environment()));
        assertEquals(PrefetchCommand.SOME_FAILED, run.status(), run.output());
        assertEquals("HTTP403", ((SecretValue.Failure) run.manifest().secrets().get("db").value()).code());
        assertFalse(run.output().contains("attempt 2"), "a refused signature was retried: " + run.output());
    }

    @Test
    void aProfileFileSigns() throws Exception {
        MotoServer.Credentials session = moto.sessionCredentials();
        Path credentials = Files.writeString(tmp.resolve("credentials"), "[default]\n"
                + "aws_access_key_id = AKIDNOTTHISONE\naws_secret_access_key = not-this-one\n\n"
                + "[secrets-prefetch-test]\naws_access_key_id = "
                + session.accessKeyId() + "\naws_secret_access_key = " + session.secretAccessKey()
                + "\naws_session_token = " + session.sessionToken() + "\n");
        Map<String, String> env = environment(Map.of("AWS_PROFILE", "secrets-prefetch-test"));
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        assertFetched(prefetch(env));
    }

    @Test
    void noCredentialsAnywhereIsNamedInTheEntry() throws Exception {
        Run run = prefetch(environment(Map.of()));
        assertEquals(PrefetchCommand.SOME_FAILED, run.status(), run.output());
        SecretValue.Failure failure = (SecretValue.Failure) run.manifest().secrets().get("db").value();
        assertEquals(FetchErrors.CLIENT_ERROR, failure.code());
        assertTrue(failure.message().startsWith("no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are "
                + "not set and the AWS SDK's default chain found none"), failure.message());
    }

    /**
     * SnapStart as Lambda runs it: no keys in the environment, a container credentials endpoint that wants its
     * token, nothing fetched or written during init; the first INVOKE fetches, SHUTDOWN cleans up.
     */
    @Test
    void snapStartFetchesAtTheFirstInvokeWithTheContainerEndpointsCredentials() throws Exception {
        MotoServer.Credentials session = moto.sessionCredentials();
        List<String> tokensSeen = new CopyOnWriteArrayList<>();
        HttpServer container = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        container.createContext("/credentials", exchange -> {
            tokensSeen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = ("{\"AccessKeyId\":\"" + session.accessKeyId() + "\",\"SecretAccessKey\":\""
                    + session.secretAccessKey() + "\",\"Token\":\"" + session.sessionToken()
                    + "\",\"Expiration\":\"2099-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        container.start();
        Path dir = tmp.resolve("secrets");
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"fetchDeadlineMs\": 8000, "
                + "\"secrets\": [{\"name\": \"db\", \"secretId\": \"" + PREFIX + "db\"}]}");
        try (FakeExtensionsApi api = new FakeExtensionsApi()) {
            Map<String, String> env = environment(Map.of(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + container.getAddress().getPort()
                            + "/credentials",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN,
                    "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start",
                    "AWS_LAMBDA_RUNTIME_API", api.runtimeApi(),
                    "SECRETS_PREFETCH_CONFIG", config.toString(),
                    "SECRETS_PREFETCH_DIR", dir.toString()));
            try (ExtensionProcess process = ExtensionProcess.start(List.of(Layers.extensionUnderTest().toString()),
                    env)) {
                api.awaitNextCalls(1);
                assertFalse(Files.exists(dir), "nothing may be written during a SnapStart init");
                assertTrue(tokensSeen.isEmpty(), "no credentials may be fetched during a SnapStart init");

                api.invoke(System.currentTimeMillis() + 30_000);
                api.awaitNextCalls(1);
                Manifest manifest = ManifestFiles.read(dir).orElseThrow();
                assertEquals(Manifest.State.READY, manifest.state());
                SecretValues.assertSameValue(DB, ((SecretValue.Text) manifest.secrets().get("db").value()).value(),
                        "db");
                assertEquals(List.of(TOKEN), tokensSeen.stream().distinct().toList());

                api.shutdown();
                assertEquals(0, process.exitStatus(Duration.ofSeconds(30)).orElseThrow(), process.output());
                assertFalse(Files.exists(dir), "SHUTDOWN removes the secrets directory");
                SecretValues.assertNoValueIn(process.output(), "the extension's output", DB);
            }
        } finally {
            container.stop(0);
        }
    }
}
