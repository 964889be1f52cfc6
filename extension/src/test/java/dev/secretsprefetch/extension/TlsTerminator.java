// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * HTTPS in front of a plain HTTP server on loopback, as a load balancer terminates TLS: every connection's
 * decrypted bytes go to the target unchanged both ways, so the target sees the client's own requests (its Host
 * header and signature included). Records the server name each client asked for (SNI) and whether its handshake
 * completed.
 */
final class TlsTerminator implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "tls-terminator");
        thread.setDaemon(true);
        return thread;
    });
    /** One entry per completed handshake: the SNI host name, or "" without one. */
    final List<String> handshakes = new CopyOnWriteArrayList<>();
    /** One entry per failed handshake: the exception's message. */
    final List<String> failures = new CopyOnWriteArrayList<>();

    /**
     * @param namedGroups the key exchange groups the server accepts, or none for the JDK's defaults
     */
    TlsTerminator(SSLContext context, URI target, String... namedGroups) {
        this.targetPort = target.getPort();
        try {
            SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            if (namedGroups.length > 0) {
                SSLParameters parameters = server.getSSLParameters();
                parameters.setNamedGroups(namedGroups);
                server.setSSLParameters(parameters);
            }
            this.listener = server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.execute(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    URI endpoint() {
        return URI.create("https://127.0.0.1:" + port());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                SSLSocket client = (SSLSocket) listener.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SSLSocket client) {
        try (client; Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            try {
                client.startHandshake();
            } catch (IOException e) {
                failures.add(String.valueOf(e.getMessage()));
                return;
            }
            String sni = client.getSession() instanceof javax.net.ssl.ExtendedSSLSession session
                    ? session.getRequestedServerNames().stream()
                            .map(n -> n instanceof javax.net.ssl.SNIHostName host ? host.getAsciiName() : "")
                            .findFirst().orElse("")
                    : "";
            handshakes.add(sni);
            pipe(client, target);
        } catch (IOException e) {
            // The client or the target went away.
        }
    }

    /** Copies both ways until either side closes. */
    static void pipe(Socket a, Socket b) throws IOException {
        Thread back = new Thread(() -> copy(b, a), "pipe");
        back.setDaemon(true);
        back.start();
        copy(a, b);
        try {
            back.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16384];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            if (!(to instanceof SSLSocket)) {
                to.shutdownOutput();
            } else {
                to.close();
            }
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
