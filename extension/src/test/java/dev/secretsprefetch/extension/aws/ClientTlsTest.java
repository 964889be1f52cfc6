// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single X25519 key share, against a loopback HTTPS server that speaks secp256r1 only (as a FIPS endpoint or
 * an intercepting proxy may): the narrowing is real, a call falls back to the JDK's defaults, FIPS starts there.
 */
class ClientTlsTest {

    private static final String PASSWORD = "client-tls-test";
    private static HttpsServer server;
    private static SSLContext clientContext;
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trust.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = serverContext.getDefaultSSLParameters();
                parameters.setNamedGroups(new String[] {"secp256r1"});
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            REQUESTS.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"Name\":\"db\",\"SecretString\":\"spv-client-tls-Ct01\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static URI endpoint() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private static int status(ClientTls tls) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) endpoint().toURL().openConnection();
        connection.setSSLSocketFactory(tls.socketFactory());
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.getOutputStream().write('{');
        int status = connection.getResponseCode();
        connection.getInputStream().readAllBytes();
        return status;
    }

    @Test
    void theSingleKeyShareIsRealAServerWithoutX25519RefusesIt() {
        // A server that finds no group it can take ends the handshake with an alert of its choosing.
        assertThrows(SSLException.class, () -> status(new ClientTls(clientContext, false)));
    }

    @Test
    void fipsEndpointsGetTheDefaultsFromTheStart() throws Exception {
        assertEquals(200, status(new ClientTls(clientContext, true)));
    }

    @Test
    void aCallFallsBackToTheDefaultsAndLaterCallsStayThere() throws Exception {
        Environment environment = Environment.from(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID",
                "AKIDCLIENTTLSTEST", "AWS_SECRET_ACCESS_KEY", "not-a-secret", "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                endpoint().toString()));
        int before = REQUESTS.get();
        try (SignedCalls calls = new SignedCalls(environment, () -> clientContext)) {
            for (int call = 0; call < 2; call++) {
                SecretsManagerJson.SecretVersion version = new SecretsManager(calls).getSecretValue("us-east-1", "db",
                        Optional.empty(), Optional.empty(), Duration.ofSeconds(10));
                assertTrue("spv-client-tls-Ct01".equals(((SecretValue.Text) version.value()).value()),
                        "value of call " + call);
            }
        }
        assertEquals(2, REQUESTS.get() - before, "each call reached the server once: the refused hello never did");
    }
}
