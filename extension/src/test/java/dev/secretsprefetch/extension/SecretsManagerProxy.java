// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sits between the extension and moto on a loopback port, speaking just enough HTTP/1.1 (one request per
 * connection): records every Secrets Manager call, and answers the calls that match an injected {@link Fault}
 * the way a struggling Secrets Manager or network would. It can also stop listening, so that connections are
 * refused, and listen again on the same port.
 */
final class SecretsManagerProxy implements AutoCloseable {

    /** One call: the operation and, for BatchGetSecretValue, how many ids it asked for. */
    record Call(String operation, int secretIds) {
    }

    /** A request as the proxy read it. */
    record Request(String method, String path, Map<String, String> headers, String operation, byte[] body) {
    }

    /** An answer: status and body (always {@code application/x-amz-json-1.1} unless a fault says otherwise). */
    record Response(int status, String contentType, byte[] body) {
        Response(int status, byte[] body) {
            this(status, "application/x-amz-json-1.1", body);
        }
    }

    private record Rule(String operation, Fault fault, AtomicInteger remaining) {
    }

    private final URI target;
    private final int port;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "secrets-manager-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile ServerSocket listener;
    final List<Call> calls = new CopyOnWriteArrayList<>();

    SecretsManagerProxy(URI target) {
        this.target = target;
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The next {@code times} calls of {@code operation} ({@code *}: any) get {@code fault}; rules apply in order. */
    void inject(String operation, Fault fault, int times) {
        rules.add(new Rule(operation, fault, new AtomicInteger(times)));
    }

    /** Every call of {@code operation} ({@code *}: any) gets {@code fault}, until {@link #clearFaults()}. */
    void always(String operation, Fault fault) {
        inject(operation, fault, Integer.MAX_VALUE);
    }

    void clearFaults() {
        rules.clear();
    }

    /** BatchGetSecretValue answers AccessDeniedException, as for a role without that permission. */
    void denyBatch() {
        always("BatchGetSecretValue", Fault.batchDenied());
    }

    /** Every call waits until {@link #close()}: nothing is answered before the fetch deadline. */
    void hold() {
        always("*", Fault.delay(Duration.ofSeconds(60)));
    }

    /** Every first BatchGetSecretValue page holds one value and a NextToken (moto serves the rest on the next call). */
    void paginateBatch() {
        always("BatchGetSecretValue", Fault.firstPageOnly());
    }

    /** Stops listening: connections to the endpoint are refused until {@link #acceptConnections()}. */
    void refuseConnections() throws IOException {
        listener.close();
    }

    void acceptConnections() {
        listener = bind(port);
        accept(listener);
    }

    long count(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).count();
    }

    /** Waits until the proxy is closed or {@code duration} has passed; true when closed. */
    boolean awaitClose(Duration duration) {
        try {
            return closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocket socket) {
        threads.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    threads.execute(() -> serve(connection));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket socket) {
        try (socket) {
            Request request = read(socket.getInputStream());
            calls.add(new Call(request.operation(), JsonTree.countItems(request.body(), "SecretIdList")));
            Fault fault = faultFor(request.operation());
            Exchange exchange = new Exchange(request, socket);
            if (fault == null) {
                exchange.reply(exchange.forward());
            } else {
                fault.answer(exchange);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away (it timed out) or the proxy is closing: nothing left to answer.
        }
    }

    private Fault faultFor(String operation) {
        for (Rule rule : rules) {
            if ((rule.operation().equals("*") || rule.operation().equals(operation))
                    && rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return rule.fault();
            }
        }
        return null;
    }

    /** One call being answered; a {@link Fault} decides how. */
    final class Exchange {
        private final Request request;
        private final Socket socket;

        private Exchange(Request request, Socket socket) {
            this.request = request;
            this.socket = socket;
        }

        Request request() {
            return request;
        }

        SecretsManagerProxy proxy() {
            return SecretsManagerProxy.this;
        }

        /** What moto answers to the request. */
        Response forward() throws IOException {
            HttpURLConnection connection = (HttpURLConnection) target.resolve(request.path()).toURL().openConnection();
            connection.setRequestMethod(request.method());
            request.headers().forEach((name, value) -> {
                if (!List.of("host", "content-length", "connection").contains(name)) {
                    connection.addRequestProperty(name, value);
                }
            });
            connection.setDoOutput(true);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(request.body());
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                return new Response(status, in == null ? new byte[0] : in.readAllBytes());
            }
        }

        void reply(Response response) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(head(response));
            out.write(response.body());
            out.flush();
        }

        /** Sends the head at once, then the body in {@code pieces} parts, each after {@code gap}. */
        void replyInPieces(Response response, int pieces, Duration gap) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(head(response));
            out.flush();
            byte[] body = response.body();
            for (int i = 0; i < pieces; i++) {
                if (awaitClose(gap)) {
                    return;
                }
                out.write(body, i * body.length / pieces, (i + 1) * body.length / pieces - i * body.length / pieces);
                out.flush();
            }
        }

        /** Sends the head and the first {@code bytes} bytes of the body, then resets the connection. */
        void replyPartlyThenReset(Response response, int bytes) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(head(response));
            out.write(response.body(), 0, bytes);
            out.flush();
            reset();
        }

        /** Closes the connection with a TCP reset (RST), as a crashed peer or a middlebox does. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        private byte[] head(Response response) {
            return ("HTTP/1.1 " + response.status() + " " + (response.status() < 400 ? "OK" : "Error") + "\r\n"
                    + "Content-Type: " + response.contentType() + "\r\n"
                    + "Content-Length: " + response.body().length + "\r\n"
                    + "x-amzn-RequestId: proxy-" + System.nanoTime() + "\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the request head ended");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        String amzTarget = headers.getOrDefault("x-amz-target", "");
        return new Request(requestLine[0], requestLine[1], headers, amzTarget.substring(amzTarget.indexOf('.') + 1),
                body);
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        threads.shutdownNow();
    }
}
