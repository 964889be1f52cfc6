// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.aws.FetchErrors;
import dev.secretsprefetch.extension.aws.TestCertificates;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.SecretValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer's extension over TLS and through proxies, as in Lambda, against moto behind a TLS terminator with a
 * throw-away CA: which authorities it trusts (the built-in ones, or {@code AWS_CA_BUNDLE}'s), the fallback from the
 * single X25519 key share, the host names it takes from the SDK's partition metadata (seen by a proxy, which then
 * sends every tunnel to the local terminator) and {@code HTTPS_PROXY} / {@code HTTP_PROXY} / {@code NO_PROXY}.
 * Each case is one run of the one-shot command, the extension's fetch path.
 */
class TlsAndProxiesIT {

    private static final String CHINA = "secretsmanager.cn-north-1.amazonaws.com.cn";
    private static final String FIPS = "secretsmanager-fips.us-east-1.amazonaws.com";

    private static final MotoSecrets MOTO = new MotoSecrets();
    private static final Map<String, String> VALUES = new HashMap<>();
    private static TestCertificates certificates;
    private static TlsTerminator tls;
    private static TlsTerminator secp256r1Only;
    private static String chinaArn;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(shared.resolve("tls"), List.of(CHINA, FIPS));
        tls = new TlsTerminator(certificates.serverContext(), MotoSecrets.moto().endpoint());
        secp256r1Only = new TlsTerminator(certificates.serverContext(), MotoSecrets.moto().endpoint(), "secp256r1");
        VALUES.put("db", SecretValues.next());
        VALUES.put("china", SecretValues.next());
        MOTO.create("db", VALUES.get("db"));
        chinaArn = MOTO.createIn("cn-north-1", "china", VALUES.get("china"));
    }

    @AfterAll
    static void stop() {
        tls.close();
        secp256r1Only.close();
    }

    private record Run(int status, Manifest manifest, String output) {
    }

    private Run prefetch(String name, String secretId, Map<String, String> extraEnv) throws Exception {
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"logLevel\": \"debug\", "
                + "\"fetchDeadlineMs\": 8000, \"secrets\": [{\"name\": \"" + name + "\", \"secretId\": \"" + secretId
                + "\"}]}");
        Path dir = tmp.resolve("secrets");
        Map<String, String> env = new HashMap<>(MotoSecrets.environment(tls.endpoint(), null));
        env.putAll(extraEnv);
        env.values().removeIf(v -> v.isEmpty());
        try (ExtensionProcess process = ExtensionProcess.start(List.of(Layers.extensionUnderTest().toString(),
                "prefetch", "--config", config.toString(), "--dir", dir.toString()), env)) {
            int status = process.exitStatus(Duration.ofSeconds(60)).orElseThrow(
                    () -> new AssertionError("the one-shot command did not finish within 60 s"));
            String output = process.output();
            SecretValues.assertNoValueIn(output, "the extension's output", VALUES.values().toArray(String[]::new));
            return new Run(status, ManifestFiles.read(dir).orElse(null), output);
        }
    }

    private static void assertValue(Run run, String name) {
        assertEquals(PrefetchCommand.OK, run.status(), run.output());
        SecretValues.assertSameValue(VALUES.get(name), ((SecretValue.Text) run.manifest().secrets().get(name).value())
                .value(), name);
    }

    private static SecretValue.Failure failure(Run run, String name) {
        assertEquals(PrefetchCommand.SOME_FAILED, run.status(), run.output());
        return (SecretValue.Failure) run.manifest().secrets().get(name).value();
    }

    @Test
    void theCaBundleNamedByAwsCaBundleIsTrusted() throws Exception {
        int before = tls.handshakes.size();
        Run run = prefetch("db", MOTO.name("db"), Map.of("AWS_CA_BUNDLE", certificates.caPem().toString()));
        assertValue(run, "db");
        assertTrue(tls.handshakes.size() > before, "the call went over TLS");
    }

    @Test
    void withoutTheBundleTheBuiltInAuthoritiesRefuseAnUnknownOne() throws Exception {
        Run run = prefetch("db", MOTO.name("db"), Map.of());
        SecretValue.Failure failure = failure(run, "db");
        assertEquals(FetchErrors.CLIENT_ERROR, failure.code());
        assertTrue(failure.message().startsWith("TLS connection to Secrets Manager failed: "), failure.message());
        assertTrue(failure.message().contains("unable to find valid certification path"), failure.message());
    }

    @Test
    void aCaBundleThatIsNotThereFailsTheConfiguration() throws Exception {
        Run run = prefetch("db", MOTO.name("db"), Map.of("AWS_CA_BUNDLE", tmp.resolve("absent.pem").toString()));
        assertEquals(PrefetchCommand.USAGE, run.status(), run.output());
        assertTrue(run.output().contains("AWS_CA_BUNDLE names " + tmp.resolve("absent.pem") + ", which is not a "
                + "readable file"), run.output());
    }

    @Test
    void aCaBundleWithoutCertificatesIsNamedInEveryEntry() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "# no certificates here\n");
        SecretValue.Failure failure = failure(prefetch("db", MOTO.name("db"), Map.of("AWS_CA_BUNDLE",
                empty.toString())), "db");
        assertTrue(failure.message().startsWith("AWS_CA_BUNDLE " + empty + " cannot be used"), failure.message());
    }

    @Test
    void aServerWithoutX25519GetsTheCallAgainWithTheDefaultKeyShares() throws Exception {
        int failuresBefore = secp256r1Only.failures.size();
        int handshakesBefore = secp256r1Only.handshakes.size();
        Run run = prefetch("db", MOTO.name("db"), Map.of("AWS_CA_BUNDLE", certificates.caPem().toString(),
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", secp256r1Only.endpoint().toString()));
        assertValue(run, "db");
        assertEquals(failuresBefore + 1, secp256r1Only.failures.size(), "the X25519-only hello was refused once");
        assertTrue(secp256r1Only.handshakes.size() > handshakesBefore, "the call was made again and got through");
    }

    @Test
    void aSecretInChinaIsCalledAtItsPartitionsEndpointThroughTheHttpsProxy() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(tls.port(), MotoSecrets.moto().endpoint().getPort())) {
            int before = tls.handshakes.size();
            Run run = prefetch("china", chinaArn, Map.of("AWS_CA_BUNDLE", certificates.caPem().toString(),
                    "AWS_ENDPOINT_URL_SECRETS_MANAGER", "", "HTTPS_PROXY", proxy.url()));
            assertValue(run, "china");
            assertEquals(List.of("CONNECT " + CHINA + ":443"), proxy.requests.stream().distinct().toList());
            assertEquals(CHINA, tls.handshakes.get(before), "the TLS server name (SNI)");
        }
    }

    @Test
    void fipsEndpointsComeFromThePartitionMetadataToo() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(tls.port(), MotoSecrets.moto().endpoint().getPort())) {
            Run run = prefetch("db", MOTO.name("db"), Map.of("AWS_CA_BUNDLE", certificates.caPem().toString(),
                    "AWS_ENDPOINT_URL_SECRETS_MANAGER", "", "AWS_ENDPOINT_URL_SSM", "", "HTTPS_PROXY", proxy.url(),
                    "AWS_USE_FIPS_ENDPOINT", "true"));
            assertValue(run, "db");
            assertEquals(List.of("CONNECT " + FIPS + ":443"), proxy.requests.stream().distinct().toList());
        }
    }

    @Test
    void hostsInNoProxyGoDirect() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(tls.port(), MotoSecrets.moto().endpoint().getPort())) {
            Run run = prefetch("db", MOTO.name("db"), Map.of("AWS_CA_BUNDLE", certificates.caPem().toString(),
                    "HTTPS_PROXY", proxy.url(), "NO_PROXY", "localhost,127.0.0.1"));
            assertValue(run, "db");
            assertTrue(proxy.requests.isEmpty(), "went through the proxy: " + proxy.requests);
        }
    }

    @Test
    void httpEndpointsGoThroughHttpProxy() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(tls.port(), MotoSecrets.moto().endpoint().getPort())) {
            String moto = MotoSecrets.moto().endpoint().toString();
            Run run = prefetch("db", MOTO.name("db"), Map.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto,
                    "HTTP_PROXY", proxy.url()));
            assertValue(run, "db");
            assertFalse(proxy.requests.isEmpty(), "did not go through the proxy");
            assertTrue(proxy.requests.get(0).startsWith("POST " + moto), proxy.requests.toString());
        }
    }
}
