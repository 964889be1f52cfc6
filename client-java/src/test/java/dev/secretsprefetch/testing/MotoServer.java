// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A real Secrets Manager emulator for tests: {@code python3 -m moto.server} on a free loopback port.
 *
 * <p>Use {@link #shared()} (one server per test JVM, stopped when the JVM exits) and give each test its own
 * secret names. A machine without moto fails the test with the command that installs it: tests that need
 * Secrets Manager are never skipped silently.
 *
 * <p>That server accepts any signature. To prove a client signs correctly, use
 * {@link #sharedVerifyingSignatures()}: a second server that checks every request's SigV4 signature against
 * IAM credentials it made, and the secrets manager permissions of their policies.
 * <pre>{@code
 * MotoServer moto = MotoServer.sharedVerifyingSignatures();
 * try (SecretsManagerClient admin = moto.secretsManager("us-east-1")) {
 *     admin.createSecret(b -> b.name(name).secretString(FakeValues.text("db-password")));
 * }
 * Map<String, String> env = new HashMap<>(moto.sessionCredentials().environment()); // as Lambda gives them
 * env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());
 * }</pre>
 */
public final class MotoServer implements AutoCloseable {

    /** Credentials moto accepts; never real ones. */
    public static final String ACCESS_KEY_ID = "testing";
    public static final String SECRET_ACCESS_KEY = "testing";
    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String NO_AUTH_COUNT = "INITIAL_NO_AUTH_ACTION_COUNT";
    private static MotoServer shared;
    private static MotoServer sharedVerifying;

    private final Process process;
    private final int port;
    private MotoIdentities identities; // null: accepts any signature

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * AWS credentials for a server that verifies signatures. Give them to a client under test as
     * {@link #environment()}, or sign with them through {@link #provider()}.
     *
     * @param sessionToken {@code null} for an IAM user's long-term keys
     */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

        /**
         * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and, for session credentials,
         * {@code AWS_SESSION_TOKEN}. Put them over an environment that has no {@code AWS_SESSION_TOKEN} of its
         * own: moto refuses user keys that come with a token ({@code InvalidClientTokenId}).
         */
        public Map<String, String> environment() {
            return sessionToken == null
                    ? Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", secretAccessKey)
                    : Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", secretAccessKey,
                            "AWS_SESSION_TOKEN", sessionToken);
        }

        /** These credentials for an AWS SDK v2 client or signer. */
        public AwsCredentialsProvider provider() {
            return StaticCredentialsProvider.create(sessionToken == null
                    ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                    : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
        }

        SecretsManagerClient secretsManager(URI endpoint, String region) {
            return SecretsManagerClient.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .endpointOverride(endpoint)
                    .region(Region.of(region))
                    .credentialsProvider(provider())
                    .build();
        }

        /** Names the key, never the secret key or the token. */
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=(hidden), sessionToken="
                    + (sessionToken == null ? "none" : "(hidden)") + "]";
        }
    }

    /** The JVM-wide server, started on first use. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
            MotoServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-stop"));
        }
        return shared;
    }

    /**
     * The JVM-wide server that verifies signatures ({@link #startVerifyingSignatures()}), started on first use;
     * a server of its own, apart from {@link #shared()}.
     */
    public static synchronized MotoServer sharedVerifyingSignatures() {
        if (sharedVerifying == null) {
            sharedVerifying = startVerifyingSignatures();
            MotoServer server = sharedVerifying;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-verifying-stop"));
        }
        return sharedVerifying;
    }

    /** Starts a server of its own, for tests that must not share one; close it when done. */
    public static MotoServer start() {
        return launch(List.of("-m", "moto.server"), null);
    }

    /**
     * Starts a server of its own that authenticates every request as AWS does: the access key must be one it
     * issued, the SigV4 signature must match (recomputed by botocore's signer over the method, path, query,
     * signed headers and body), a session token must be the one issued with its key, and the key's IAM policy
     * must allow the action. moto itself would take an {@code x-amz-content-sha256} header's word for the body's
     * hash; {@code fixtures/moto/verifying_server.py}, which runs it here, checks that hash too. Its identities:
     * an IAM user ({@link #userCredentials()}) and a session of an assumed role ({@link #sessionCredentials()}),
     * each allowed {@code secretsmanager:*}. Refusals are HTTP 403 with an XML body ({@code SignatureDoesNotMatch},
     * {@code InvalidClientTokenId}, {@code AccessDenied}), not the JSON errors Secrets Manager gives; a request
     * without an {@code Authorization} header gets HTTP 500 (moto routes requests by their credential scope).
     *
     * <p>Not checked: the clock ({@code X-Amz-Date} may be any time), a session's expiry, the policies' resources
     * and conditions, and headers outside {@code SignedHeaders} (an unsigned {@code x-amz-security-token} is only
     * compared with the issued one). Close it when done.
     */
    public static MotoServer startVerifyingSignatures() {
        String program = Fixtures.root().resolve("moto").resolve("verifying_server.py").toString();
        MotoServer server = launch(List.of(program), Integer.toString(MotoIdentities.BOOTSTRAP_REQUESTS));
        try {
            server.identities = MotoIdentities.create(server.endpoint());
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * @param program what python runs: moto's module, or a script that runs it
     * @param noAuthCount how many requests moto lets through unauthenticated; {@code null}: all
     */
    private static MotoServer launch(List<String> program, String noAuthCount) {
        String python = System.getenv().getOrDefault("PYTHON", "python3");
        requireMoto(python);
        int port = freePort();
        try {
            Path log = TestLogs.newFile("moto-" + port + "-", ".log");
            List<String> command = new ArrayList<>(List.of(python));
            command.addAll(program);
            command.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().remove(NO_AUTH_COUNT);
            if (noAuthCount != null) {
                builder.environment().put(NO_AUTH_COUNT, noAuthCount);
            }
            Process process = builder.start();
            MotoServer server = new MotoServer(process, port);
            server.awaitListening(log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto with " + python + ": " + e.getMessage()
                    + "; install it with: pip install \"moto[server]\"", e);
        }
    }

    private static void requireMoto(String python) {
        try {
            Process check = new ProcessBuilder(python, "-c", "import moto.server").redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes());
            if (check.waitFor() != 0) {
                throw new IllegalStateException("moto (the Secrets Manager emulator these tests run against) is not "
                        + "installed for " + python + "; install it with: pip install \"moto[server]\"\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(python + " is needed to run moto (the Secrets Manager emulator): "
                    + e.getMessage() + "; install Python 3, then: pip install \"moto[server]\"", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking for moto", e);
        }
    }

    private void awaitListening(Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue() + " before listening:\n"
                        + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new IllegalStateException("moto did not listen on port " + port + " within " + START_TIMEOUT + ":\n"
                + Files.readString(log));
    }

    /** The endpoint to give the SDKs, e.g. as {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /**
     * The IAM user's long-term keys ({@code AKIA...}, no session token), allowed {@code secretsmanager:*}.
     *
     * @throws IllegalStateException on a server that does not verify signatures
     */
    public Credentials userCredentials() {
        return requireIdentities().user();
    }

    /**
     * Temporary credentials ({@code ASIA...} and a session token) from {@code sts:AssumeRole} on a role
     * allowed {@code secretsmanager:*}: what Lambda gives a function. Valid for an hour.
     *
     * @throws IllegalStateException on a server that does not verify signatures
     */
    public Credentials sessionCredentials() {
        return requireIdentities().session();
    }

    /**
     * A new SDK client of this server, for seeding secrets: signed with the {@link #userCredentials()} on a
     * verifying server, with {@link #ACCESS_KEY_ID} otherwise. Close it when done.
     */
    public SecretsManagerClient secretsManager(String region) {
        Credentials credentials = identities == null ? new Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, null)
                : identities.user();
        return credentials.secretsManager(endpoint(), region);
    }

    private MotoIdentities requireIdentities() {
        if (identities == null) {
            throw new IllegalStateException("this moto server accepts any signature and has no credentials of its "
                    + "own; use MotoServer.sharedVerifyingSignatures() or startVerifyingSignatures()");
        }
        return identities;
    }

    /**
     * Forgets every secret: moto's reset API.
     *
     * @throws IllegalStateException on a server that verifies signatures: the reset would delete its IAM
     *     identities too (give each test its own secret names instead)
     */
    public void reset() {
        if (identities != null) {
            throw new IllegalStateException("a moto server that verifies signatures cannot be reset: that would "
                    + "delete the IAM user and role its credentials belong to; give each test its own secret names");
        }
        try {
            var connection = (java.net.HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.getOutputStream().close();
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered " + connection.getResponseCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset moto: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto", e);
        }
    }
}
