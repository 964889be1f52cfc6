// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A canned Secrets Manager (and SSM) on a JDK {@link HttpServer}, for tests that must count the calls a client
 * makes or see it fail in a particular way: it answers {@code GetSecretValue} (AWS JSON 1.1) from the secrets put
 * into it, {@code ResourceNotFoundException} for the rest, SSM's {@code GetParameter} from the parameters put into
 * it, {@code ParameterNotFound} for the rest, or whatever failure it is told to give. Real SDK clients talk to it
 * over HTTP: it fakes the network, not the SDK.
 */
public final class FakeSecretsManager implements AutoCloseable {

    /**
     * One request as received: a {@code GetSecretValue} for {@code secretId}, or (when {@code parameter}) a
     * {@code GetParameter} whose {@code Name} is {@code secretId} and that asked for decryption when
     * {@code withDecryption}.
     */
    public record Call(String secretId, Optional<String> versionId, Optional<String> versionStage, boolean parameter,
            boolean withDecryption) {

        /** A {@code GetSecretValue}. */
        public Call(String secretId, Optional<String> versionId, Optional<String> versionStage) {
            this(secretId, versionId, versionStage, false, false);
        }

        /** A {@code GetParameter} with decryption, as the client makes it. */
        public static Call getParameter(String name) {
            return new Call(name, Optional.empty(), Optional.empty(), true, true);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> regions = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> secrets = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> parameters = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile int failureStatus;
    private volatile String failureCode;
    private volatile String rawBody;
    private volatile boolean hang;

    private FakeSecretsManager(HttpServer server) {
        this.server = server;
    }

    /** Starts a server on a free loopback port; close it when done. */
    public static FakeSecretsManager start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            FakeSecretsManager fake = new FakeSecretsManager(server);
            server.createContext("/", fake::handle);
            server.setExecutor(fake.executor);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Secrets Manager: " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers {@code GetSecretValue} for {@code secretId} with a {@code SecretString}. */
    public FakeSecretsManager putString(String secretId, String value) {
        secrets.put(secretId, response(secretId).put("SecretString", FakeValues.requireMarked(value)));
        return this;
    }

    /** Answers {@code GetSecretValue} for {@code secretId} with a {@code SecretBinary}. */
    public FakeSecretsManager putBinary(String secretId, byte[] value) {
        secrets.put(secretId, response(secretId).put("SecretBinary",
                Base64.getEncoder().encodeToString(FakeValues.requireMarked(value))));
        return this;
    }

    /** Answers {@code GetParameter} for {@code name} (as asked, selector included) with a SecureString value. */
    public FakeSecretsManager putParameter(String name, String value) {
        parameters.put(name, JSON.createObjectNode().set("Parameter", JSON.createObjectNode()
                .put("Name", name).put("Type", "SecureString").put("Value", FakeValues.requireMarked(value))
                .put("Version", 1).put("ARN", "arn:aws:ssm:us-east-1:123456789012:parameter" + name)));
        return this;
    }

    /** Answers every request with this error from now on. */
    public FakeSecretsManager failWith(int status, String code) {
        failureCode = code;
        failureStatus = status;
        return this;
    }

    /** Answers every request with this status and body, as it is (broken JSON, an HTML page), from now on. */
    public FakeSecretsManager answerRaw(int status, String body) {
        rawBody = body;
        failureStatus = status;
        return this;
    }

    /** Never answers, until closed: for timeouts. */
    public FakeSecretsManager hang() {
        hang = true;
        return this;
    }

    /** Every request received so far, in order. */
    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    /** The region each request was signed for, in the order of {@link #calls()}. */
    public List<String> regions() {
        return new ArrayList<>(regions);
    }

    public int requestCount() {
        return calls.size();
    }

    private static ObjectNode response(String secretId) {
        return JSON.createObjectNode()
                .put("ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + secretId + "-AbCdEf")
                .put("Name", secretId)
                .put("VersionId", "44444444-4444-4444-8444-444444444444")
                .put("CreatedDate", 1.7641716E9);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            boolean parameter = "AmazonSSM.GetParameter".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            String secretId = request.path(parameter ? "Name" : "SecretId").asText();
            // Credential=KEY/DATE/REGION/SERVICE/aws4_request
            String[] scope = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")).split("/");
            regions.add(scope.length > 2 ? scope[2] : "");
            calls.add(new Call(secretId, text(request, "VersionId"), text(request, "VersionStage"), parameter,
                    request.path("WithDecryption").asBoolean(false)));
            if (hang) {
                closed.await();
                return;
            }
            if (rawBody != null) {
                reply(exchange, failureStatus, rawBody.getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (failureCode != null) {
                reply(exchange, failureStatus, error(failureCode, "Fake failure " + failureCode));
                return;
            }
            if (parameter) {
                ObjectNode found = parameters.get(secretId);
                reply(exchange, found == null ? 400 : 200, found == null ? error("ParameterNotFound", "") : found);
                return;
            }
            ObjectNode secret = secrets.get(secretId);
            if (secret == null) {
                reply(exchange, 400, error("ResourceNotFoundException", "Secrets Manager can't find the specified "
                        + "secret."));
            } else {
                reply(exchange, 200, secret);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<String> text(JsonNode request, String field) {
        return request.hasNonNull(field) ? Optional.of(request.get(field).asText()) : Optional.empty();
    }

    private static ObjectNode error(String code, String message) {
        return JSON.createObjectNode().put("__type", code).put("message", message);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        reply(exchange, status, JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-request");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
