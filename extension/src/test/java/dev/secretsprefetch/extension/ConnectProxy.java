// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy on loopback that records where each request wanted to go, then sends it to one local server
 * whatever the host: {@code CONNECT host:port} tunnels (https) to {@code tunnelPort}, and absolute-URI requests
 * (http) to {@code httpPort}, rewritten to the origin form. So a test sees the real host name a client resolved for
 * an AWS endpoint ({@code secretsmanager.cn-north-1.amazonaws.com.cn:443}) without any network.
 */
final class ConnectProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int tunnelPort;
    private final int httpPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "connect-proxy");
        thread.setDaemon(true);
        return thread;
    });
    /** Every request's target: {@code CONNECT host:port} or {@code POST http://host:port/}. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    ConnectProxy(int tunnelPort, int httpPort) {
        this.tunnelPort = tunnelPort;
        this.httpPort = httpPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.execute(this::accept);
    }

    /** The value of {@code HTTPS_PROXY} or {@code HTTP_PROXY}. */
    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = head(in);
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            String[] parts = requestLine.split(" ");
            requests.add(parts[0] + " " + parts[1]);
            if (parts[0].equals("CONNECT")) {
                try (Socket target = new Socket(InetAddress.getLoopbackAddress(), tunnelPort)) {
                    client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    TlsTerminator.pipe(client, target);
                }
                return;
            }
            URI uri = URI.create(parts[1]);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String origin = parts[0] + " " + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " "
                    + parts[2];
            try (Socket target = new Socket(InetAddress.getLoopbackAddress(), httpPort)) {
                OutputStream out = target.getOutputStream();
                out.write((origin + head.substring(head.indexOf("\r\n"))).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                TlsTerminator.pipe(client, target);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or sent something that is not HTTP: the connection ends.
        }
    }

    /** The request line and headers, through the blank line. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the request ended in its head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
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
