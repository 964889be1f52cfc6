// SPDX-License-Identifier: Apache-2.0
/*
 * Build and benchmark helper, not shipped: a throw-away certificate authority and a server certificate for
 * 127.0.0.1 that it signed, both RSA 2048 as AWS endpoints present them, made with the running JDK's keytool.
 * AotTraining and StartupBenchmark (single-file programs of the source launcher, which finds this class beside
 * them) serve Secrets Manager over TLS with it, so that the extension sets up TLS, validates a chain and makes
 * a handshake as it does in Lambda.
 */

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

final class TlsFixture {

    static final String PASSWORD = "throw-away";
    /** The JDK's own password for cacerts. */
    static final String CACERTS_PASSWORD = "changeit";

    private final Path dir;
    private final String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

    private TlsFixture(Path dir) {
        this.dir = dir;
    }

    /** Makes the authority and the server's key and certificate chain in {@code dir}, replacing earlier ones. */
    static TlsFixture create(Path dir) throws IOException, InterruptedException {
        TlsFixture tls = new TlsFixture(Files.createDirectories(dir));
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        tls.keytool("-genkeypair", "-alias", "ca", "-dname", "CN=secrets-prefetch throw-away CA", "-ext", "bc:c",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-keystore", tls.file("ca.p12"));
        tls.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", tls.file("ca.p12"), "-file",
                tls.file("ca.pem"));
        tls.keytool("-genkeypair", "-alias", "server", "-dname", "CN=127.0.0.1", "-keyalg", "RSA", "-keysize",
                "2048", "-validity", "2", "-keystore", tls.file("server.p12"));
        tls.keytool("-certreq", "-alias", "server", "-keystore", tls.file("server.p12"), "-file",
                tls.file("server.csr"));
        tls.keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", tls.file("ca.p12"), "-infile",
                tls.file("server.csr"), "-outfile", tls.file("server.pem"), "-ext", "SAN=ip:127.0.0.1",
                "-ext", "EKU=serverAuth", "-validity", "2");
        tls.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", tls.file("ca.pem"), "-keystore",
                tls.file("server.p12"));
        tls.keytool("-importcert", "-alias", "server", "-file", tls.file("server.pem"), "-keystore",
                tls.file("server.p12"));
        return tls;
    }

    /** The server side: the certificate chain for 127.0.0.1. */
    SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** Adds the authority to a copy of {@code runtime}'s cacerts (all the JDK's roots): a realistic trust store. */
    Path trustStoreFor(Path runtime) throws IOException, InterruptedException {
        Path copy = dir.resolve("cacerts-with-ca");
        Files.copy(runtime.resolve("lib/security/cacerts"), copy, StandardCopyOption.REPLACE_EXISTING);
        trustIn(copy);
        return copy;
    }

    /** Adds the authority to the trust store {@code cacerts} (replacing an earlier one of this helper). */
    void trustIn(Path cacerts) throws IOException, InterruptedException {
        new ProcessBuilder(keytool, "-delete", "-alias", "secrets-prefetch-throw-away-ca", "-keystore",
                cacerts.toString(), "-storepass", CACERTS_PASSWORD).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        run(List.of(keytool, "-importcert", "-noprompt", "-alias", "secrets-prefetch-throw-away-ca", "-file",
                file("ca.pem"), "-keystore", cacerts.toString(), "-storepass", CACERTS_PASSWORD));
    }

    /** A client side that trusts the authority alone. */
    SSLContext clientContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            store.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(keytool));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
