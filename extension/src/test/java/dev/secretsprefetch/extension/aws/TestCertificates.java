// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away certificate authority and a server certificate it signed (RSA 2048, as AWS endpoints present
 * them) for 127.0.0.1 and the given host names, made with the JDK's keytool: what a TLS server in a test presents,
 * and the PEM file a client trusts it through ({@code AWS_CA_BUNDLE}).
 */
public final class TestCertificates {

    private static final String PASSWORD = "throw-away";
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create(Path dir, List<String> hostNames) throws IOException, InterruptedException {
        TestCertificates certificates = new TestCertificates(Files.createDirectories(dir));
        StringBuilder san = new StringBuilder("SAN=ip:127.0.0.1");
        hostNames.forEach(name -> san.append(",dns:").append(name));
        certificates.keytool("-genkeypair", "-alias", "ca", "-dname", "CN=secrets-prefetch test CA", "-ext", "bc:c",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-keystore", certificates.file("ca.p12"));
        certificates.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", certificates.file("ca.p12"),
                "-file", certificates.file("ca.pem"));
        certificates.keytool("-genkeypair", "-alias", "server", "-dname", "CN=127.0.0.1", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-keystore", certificates.file("server.p12"));
        certificates.keytool("-certreq", "-alias", "server", "-keystore", certificates.file("server.p12"), "-file",
                certificates.file("server.csr"));
        certificates.keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", certificates.file("ca.p12"),
                "-infile", certificates.file("server.csr"), "-outfile", certificates.file("server.pem"), "-ext",
                san.toString(), "-ext", "EKU=serverAuth", "-validity", "2");
        certificates.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", certificates.file("ca.pem"),
                "-keystore", certificates.file("server.p12"));
        certificates.keytool("-importcert", "-alias", "server", "-file", certificates.file("server.pem"),
                "-keystore", certificates.file("server.p12"));
        return certificates;
    }

    /** The authority's certificate, PEM: an {@code AWS_CA_BUNDLE}. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** The server side: the certificate chain for 127.0.0.1 and the host names. */
    public SSLContext serverContext() throws Exception {
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

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
