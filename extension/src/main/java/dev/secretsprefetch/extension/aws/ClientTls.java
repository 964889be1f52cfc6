// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS side of the Secrets Manager calls. A JDK client offers two key shares in its TLS 1.3 hello, X25519 and
 * secp256r1, and a JVM this young computes both in interpreted code: about 100 ms of CPU, half of it for a key the
 * server does not pick (AWS's TLS stack, s2n, prefers X25519). So the calls offer X25519 alone. A server that does
 * not take it (a FIPS endpoint, whose approved curves are NIST's; a proxy that intercepts TLS) ends that
 * handshake with an alert of its choosing; the call is then made again with the JDK's defaults, and so is every
 * later one (an {@code SSLException} for another reason fails again and is reported as it is). FIPS endpoints get
 * the defaults from the start.
 */
final class ClientTls {

    private final SSLSocketFactory defaults;
    private final SSLSocketFactory x25519;
    private volatile boolean x25519Refused;

    ClientTls(SSLContext context, boolean fips) {
        this.defaults = context.getSocketFactory();
        this.x25519 = new OneGroup(defaults, "x25519");
        this.x25519Refused = fips;
    }

    /** The factory for the next connection; the same instance each time, so kept-alive connections are reused. */
    SSLSocketFactory socketFactory() {
        return x25519Refused ? defaults : x25519;
    }

    /** After a TLS failure: whether the call is worth making again, with the JDK's defaults. */
    boolean widen() {
        if (x25519Refused) {
            return false;
        }
        x25519Refused = true;
        return true;
    }

    /** Offers a single named group, and so a single key share. */
    private static final class OneGroup extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final String group;

        OneGroup(SSLSocketFactory delegate, String group) {
            this.delegate = delegate;
            this.group = group;
        }

        private Socket configure(Socket socket) {
            if (socket instanceof SSLSocket ssl) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setNamedGroups(new String[] {group});
                ssl.setSSLParameters(parameters);
            }
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return configure(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return configure(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configure(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return configure(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
