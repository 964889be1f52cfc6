package dev.secretsprefetch.extension;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sits between the extension and moto: records every Secrets Manager call (operation and number of ids), and
 * can refuse BatchGetSecretValue (as Lambda does for a role without that permission) or hold every call
 * until released (to run into the fetch deadline).
 */
final class SecretsManagerProxy implements AutoCloseable {

    /** One call: the operation and, for BatchGetSecretValue, how many ids it asked for. */
    record Call(String operation, int secretIds) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final URI target;
    private final HttpServer server;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile boolean denyBatch;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean hold;
    private volatile boolean paginate;

    SecretsManagerProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::forward);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "secrets-manager-proxy");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** BatchGetSecretValue answers AccessDeniedException from now on. */
    void denyBatch() {
        denyBatch = true;
    }

    /** Every call waits until {@link #close()}: nothing is answered before the fetch deadline. */
    void hold() {
        hold = true;
    }

    /**
     * The first page of every BatchGetSecretValue answer holds one value and a NextToken, as Secrets Manager may
     * answer; moto reads the token as an offset and serves the rest on the next call.
     */
    void paginateBatch() {
        paginate = true;
    }

    long count(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).count();
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String amzTarget = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        String operation = amzTarget.substring(amzTarget.indexOf('.') + 1);
        calls.add(new Call(operation, countIds(body)));
        if (hold) {
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (denyBatch && operation.equals("BatchGetSecretValue")) {
            String denied = "{\"__type\":\"AccessDeniedException\",\"Message\":\"User: arn:aws:sts::123456789012:"
                    + "assumed-role/fn is not authorized to perform: secretsmanager:BatchGetSecretValue\"}";
            reply(exchange, 400, denied.getBytes(StandardCharsets.UTF_8));
            return;
        }
        HttpURLConnection connection = (HttpURLConnection) target.resolve(exchange.getRequestURI()).toURL().openConnection();
        connection.setRequestMethod(exchange.getRequestMethod());
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> connection.addRequestProperty(name, v));
            }
        });
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            byte[] answer = in == null ? new byte[0] : in.readAllBytes();
            boolean firstPage = paginate && operation.equals("BatchGetSecretValue") && status == 200
                    && !new String(body, StandardCharsets.UTF_8).contains("\"NextToken\"");
            reply(exchange, status, firstPage ? firstValueOnly(answer) : answer);
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** The answer with its first SecretValues entry only, and NextToken "1". */
    private static byte[] firstValueOnly(byte[] answer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonParser parser = JSON.createParser(answer); JsonGenerator json = JSON.createGenerator(out)) {
            parser.nextToken();
            json.writeStartObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("SecretValues")) {
                    json.writeArrayFieldStart(field);
                    parser.nextToken();
                    json.copyCurrentStructure(parser);
                    parser.skipChildren();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        parser.skipChildren();
                    }
                    json.writeEndArray();
                } else if (!field.equals("NextToken")) {
                    json.writeFieldName(field);
                    json.copyCurrentStructure(parser);
                }
            }
            json.writeStringField("NextToken", "1");
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private static int countIds(byte[] body) throws IOException {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && parser.currentName().equals("SecretIdList")) {
                    parser.nextToken();
                    int count = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        count++;
                    }
                    return count;
                }
            }
        }
        return 0;
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
