// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A forwarding proxy in front of Secrets Manager and SSM (moto serves both) that tells callers apart, counts their
 * calls by operation ({@code X-Amz-Target}), can add latency to every call and can answer chosen calls with an AWS
 * error instead. Each caller gets an endpoint of its own (a port), to put in that process's
 * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} (and {@code AWS_ENDPOINT_URL_SSM}):
 *
 * <pre>
 * try (SecretsManagerProxy proxy = SecretsManagerProxy.start(MotoServer.shared().endpoint())) {
 *     proxy.latency(Duration.ofMillis(100));
 *     builder.processEnvironment("secrets-prefetch", "AWS_ENDPOINT_URL_SECRETS_MANAGER",
 *             proxy.endpoint("extension").toString());
 *     ...
 *     assertEquals(0, proxy.count("function"));
 * }
 * </pre>
 */
final class SecretsManagerProxy implements AutoCloseable {

    /**
     * One call as the proxy saw it.
     *
     * @param caller the endpoint's caller name
     * @param operation the operation, e.g. {@code GetSecretValue}
     * @param secretIds the ids the request names ({@code SecretId} or {@code SecretIdList}; an SSM call's
     *     {@code Name} or {@code Names})
     * @param userAgent the caller's User-Agent
     * @param status the status answered
     * @param receivedEpochMs when the request arrived (wall clock, to compare with the callers' own times)
     */
    record Call(String caller, String operation, List<String> secretIds, String userAgent, int status,
            long receivedEpochMs) {
    }

    private record Fault(String operation, Optional<String> secretId, int status, String errorType) {
    }

    /** Holds answers back until a condition holds, or at most until a deadline. */
    private record Hold(BooleanSupplier release, long untilNanos) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI upstream;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "secrets-manager-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, HttpServer> listeners = new LinkedHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Map<String, String> secretFaults = new ConcurrentHashMap<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile Hold hold;

    private SecretsManagerProxy(URI upstream) {
        this.upstream = upstream;
    }

    static SecretsManagerProxy start(URI upstream) {
        return new SecretsManagerProxy(upstream);
    }

    /** The endpoint for {@code caller}, opened on first use. */
    synchronized URI endpoint(String caller) {
        HttpServer server = listeners.computeIfAbsent(caller, this::listen);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Delay added before forwarding each call, as a slow or distant Secrets Manager would take. */
    void latency(Duration perCall) {
        this.latency = perCall;
    }

    /**
     * Answers calls of {@code operation} that name {@code secretId} (or every such call, when empty) with
     * {@code status} and the AWS error {@code errorType}, e.g. 400 {@code AccessDeniedException}.
     */
    void fail(String operation, Optional<String> secretId, int status, String errorType) {
        faults.add(new Fault(operation, secretId, status, errorType));
    }

    /**
     * Makes one secret unreadable the way Secrets Manager reports it: {@code GetSecretValue} for it answers
     * 400 {@code errorCode} (e.g. {@code AccessDeniedException}), and {@code BatchGetSecretValue} succeeds for
     * the others and lists it under {@code Errors} with that code.
     */
    void failSecret(String secretId, String errorCode) {
        secretFaults.put(secretId, errorCode);
    }

    void clearFaults() {
        faults.clear();
        secretFaults.clear();
    }

    /**
     * Answers no call (after the latency) before {@code release} holds, nor later than {@code atMost} from
     * now: a Secrets Manager that is still busy when something else has happened.
     */
    void holdAnswersUntil(BooleanSupplier release, Duration atMost) {
        hold = new Hold(release, System.nanoTime() + atMost.toNanos());
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    long count(String caller) {
        return calls.stream().filter(c -> c.caller().equals(caller)).count();
    }

    long count(String caller, String operation) {
        return calls.stream().filter(c -> c.caller().equals(caller) && c.operation().equals(operation)).count();
    }

    /** Calls per caller and operation, e.g. {@code {extension={BatchGetSecretValue=1}}}. */
    Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (Call call : calls) {
            counts.computeIfAbsent(call.caller(), c -> new LinkedHashMap<>()).merge(call.operation(), 1L, Long::sum);
        }
        return counts;
    }

    void resetCounts() {
        calls.clear();
    }

    private HttpServer listen(String caller) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/", exchange -> forward(caller, exchange));
            server.setExecutor(threads);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy port for " + caller, e);
        }
    }

    private void forward(String caller, HttpExchange exchange) throws IOException {
        try (exchange) {
            long received = System.currentTimeMillis();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
            String operation = target.substring(target.lastIndexOf('.') + 1);
            List<String> secretIds = secretIds(body);
            String userAgent = Optional.ofNullable(exchange.getRequestHeaders().getFirst("User-Agent")).orElse("");
            sleep(latency);
            awaitRelease();
            Optional<Fault> fault = faults.stream().filter(f -> f.operation().equals(operation)
                    && f.secretId().map(secretIds::contains).orElse(true)).findFirst();
            if (fault.isEmpty() && operation.equals("GetSecretValue")) {
                fault = secretIds.stream().filter(secretFaults::containsKey).findFirst()
                        .map(id -> new Fault(operation, Optional.of(id), 400, secretFaults.get(id)));
            }
            int status;
            byte[] answerBody;
            if (fault.isPresent()) {
                status = fault.get().status();
                answerBody = ApiResponse.JSON.createObjectNode().put("__type", fault.get().errorType())
                        .put("message", "injected by the test proxy: " + fault.get().errorType()).toString()
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", fault.get().errorType());
            } else {
                HttpResponse<byte[]> answer = send(exchange, body);
                status = answer.statusCode();
                answerBody = operation.equals("BatchGetSecretValue") && status == 200
                        ? withSecretFaults(answer.body(), secretIds) : answer.body();
                answer.headers().map().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                        values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                    }
                });
            }
            // Noted before answering, so a caller that got its answer finds its call counted.
            calls.add(new Call(caller, operation, secretIds, userAgent, status, received));
            respond(exchange, status, answerBody);
        }
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + upstream, e);
        }
    }

    /** Moves the faulty secrets of a batch answer from {@code SecretValues} to {@code Errors}. */
    private byte[] withSecretFaults(byte[] body, List<String> requested) throws IOException {
        List<String> failing = requested.stream().filter(secretFaults::containsKey).toList();
        if (failing.isEmpty()) {
            return body;
        }
        ObjectNode answer = (ObjectNode) ApiResponse.JSON.readTree(body);
        ArrayNode values = answer.withArray("SecretValues");
        for (int i = values.size() - 1; i >= 0; i--) {
            JsonNode value = values.get(i);
            if (failing.contains(value.path("Name").asText()) || failing.contains(value.path("ARN").asText())) {
                values.remove(i);
            }
        }
        ArrayNode errors = answer.withArray("Errors");
        for (String id : failing) {
            errors.addObject().put("SecretId", id).put("ErrorCode", secretFaults.get(id))
                    .put("Message", "injected by the test proxy: " + secretFaults.get(id));
        }
        return ApiResponse.JSON.writeValueAsBytes(answer);
    }

    private void awaitRelease() throws IOException {
        Hold current = hold;
        while (current != null && !current.release().getAsBoolean() && System.nanoTime() < current.untilNanos()) {
            sleep(Duration.ofMillis(10));
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static List<String> secretIds(byte[] body) {
        List<String> ids = new ArrayList<>();
        try {
            JsonNode request = ApiResponse.JSON.readTree(body);
            if (request == null) {
                return ids;
            }
            if (request.path("SecretId").isTextual()) {
                ids.add(request.get("SecretId").asText());
            }
            request.path("SecretIdList").forEach(id -> ids.add(id.asText()));
            if (request.path("Name").isTextual()) {
                ids.add(request.get("Name").asText());
            }
            request.path("Names").forEach(name -> ids.add(name.asText()));
        } catch (IOException notJson) {
            // Not a JSON-protocol call: no ids to note.
        }
        return ids;
    }

    private static void sleep(Duration delay) throws IOException {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while delaying a call", e);
        }
    }

    @Override
    public synchronized void close() {
        listeners.values().forEach(server -> server.stop(0));
        listeners.clear();
        threads.shutdownNow();
    }
}
