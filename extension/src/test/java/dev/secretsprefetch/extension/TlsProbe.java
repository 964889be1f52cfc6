// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Run by {@link LayerIT} on the layer's jlink'd runtime: proves it can do what an HTTPS call to Secrets
 * Manager needs. It checks the CA bundle and the elliptic-curve provider, then does TLS 1.3 and TLS 1.2
 * handshakes (ECDHE key exchange, RSA certificate, AES-GCM) between two sockets of its own.
 *
 * <pre>java -cp test-classes dev.secretsprefetch.extension.TlsProbe keystore.p12 password</pre>
 */
public final class TlsProbe {

    private TlsProbe() {
    }

    public static void main(String[] args) throws Exception {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        X509Certificate[] cas = ((X509TrustManager) defaults.getTrustManagers()[0]).getAcceptedIssuers();
        boolean amazonRoot = Arrays.stream(cas)
                .anyMatch(c -> c.getSubjectX500Principal().getName().contains("CN=Amazon Root CA 1"));
        if (cas.length < 50 || !amazonRoot) {
            throw new IllegalStateException("CA bundle has " + cas.length + " certificates, Amazon Root CA 1: " + amazonRoot);
        }
        if (Security.getProvider("SunEC") == null) {
            throw new IllegalStateException("no SunEC provider");
        }
        KeyPairGenerator.getInstance("X25519").generateKeyPair();
        KeyPairGenerator.getInstance("EC").generateKeyPair();

        char[] password = args[1].toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            keys.load(in, password);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);

        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                server.setEnabledProtocols(new String[] {protocol});
                Thread serving = new Thread(() -> echoOnce(server));
                serving.start();
                try (SSLSocket client = (SSLSocket) context.getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    client.setEnabledProtocols(new String[] {protocol});
                    client.startHandshake();
                    client.getOutputStream().write(42);
                    client.getOutputStream().flush();
                    if (client.getInputStream().read() != 42) {
                        throw new IllegalStateException(protocol + ": no echo");
                    }
                    System.out.println("TLS OK " + client.getSession().getProtocol() + " "
                            + client.getSession().getCipherSuite());
                }
                serving.join();
            }
        }
    }

    private static void echoOnce(SSLServerSocket server) {
        try (SSLSocket socket = (SSLSocket) server.accept();
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            out.write(in.read());
            out.flush();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
