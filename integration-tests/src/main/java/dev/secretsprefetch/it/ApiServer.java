// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Runtime API ({@code /2018-06-01/runtime}) and the Extensions API ({@code /2020-01-01/extension}) on one
 * loopback port, as {@code AWS_LAMBDA_RUNTIME_API} announces them. Calls to {@code next} block, so every
 * exchange gets a thread of its own.
 */
final class ApiServer implements AutoCloseable {

    private static final String RUNTIME = "/2018-06-01/runtime";
    private static final String EXTENSION = "/2020-01-01/extension";
    private static final Pattern INVOCATION_RESULT =
            Pattern.compile(RUNTIME + "/invocation/([^/]+)/(response|error)");

    private final Lifecycle lifecycle;
    private final HttpServer server;
    private final ExecutorService threads;

    private ApiServer(Lifecycle lifecycle, HttpServer server, ExecutorService threads) {
        this.lifecycle = lifecycle;
        this.server = server;
        this.threads = threads;
    }

    static ApiServer start(Lifecycle lifecycle) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "lambda-api-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ApiServer api = new ApiServer(lifecycle, server, threads);
        server.createContext("/", api::handle);
        server.setExecutor(threads);
        server.start();
        return api;
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            ApiResponse response;
            try {
                response = route(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response = ApiResponse.error(500, "Runtime.Closed", "the execution environment is shutting down");
            } catch (RuntimeException e) {
                response = ApiResponse.error(500, "ServiceException", "simulator error: " + e);
            }
            send(exchange, response);
        }
    }

    private ApiResponse route(HttpExchange exchange) throws IOException, InterruptedException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        var headers = exchange.getRequestHeaders();
        if (path.startsWith(EXTENSION)) {
            String id = headers.getFirst("Lambda-Extension-Identifier");
            String errorType = headers.getFirst("Lambda-Extension-Function-Error-Type");
            switch (method + " " + path.substring(EXTENSION.length())) {
                case "POST /register":
                    return lifecycle.register(headers.getFirst("Lambda-Extension-Name"), body(exchange),
                            headers.getFirst("Lambda-Extension-Accept-Feature"));
                case "GET /event/next":
                    return lifecycle.extensionNext(id);
                case "POST /init/error":
                    return lifecycle.extensionInitError(id, errorType, body(exchange));
                case "POST /exit/error":
                    return lifecycle.extensionExitError(id, errorType, body(exchange));
                default:
                    return notFound(method, path);
            }
        }
        if (method.equals("GET") && path.equals(RUNTIME + "/invocation/next")) {
            return nextInvocation();
        }
        if (method.equals("POST") && path.equals(RUNTIME + "/init/error")) {
            return lifecycle.runtimeInitError(headers.getFirst("Lambda-Runtime-Function-Error-Type"), body(exchange));
        }
        Matcher result = INVOCATION_RESULT.matcher(path);
        if (method.equals("POST") && result.matches()) {
            boolean success = result.group(2).equals("response");
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String errorType = success ? null : headers.getFirst("Lambda-Runtime-Function-Error-Type");
            return lifecycle.runtimeResult(result.group(1), success, errorType, bytes);
        }
        return notFound(method, path);
    }

    private ApiResponse nextInvocation() throws InterruptedException {
        Invocation invocation = lifecycle.runtimeNext();
        if (invocation == null) {
            return ApiResponse.error(500, "Runtime.Closed", "the execution environment is gone");
        }
        return new ApiResponse(200, Map.of(
                "Lambda-Runtime-Aws-Request-Id", invocation.id(),
                "Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineEpochMs()),
                "Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn(),
                "Lambda-Runtime-Trace-Id", invocation.traceId(),
                "Content-Type", "application/json"), invocation.payload());
    }

    private static ApiResponse notFound(String method, String path) {
        return ApiResponse.error(404, "InvalidRequest", "no such API: " + method + " " + path);
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        if (bytes.length == 0) {
            return null;
        }
        try {
            return ApiResponse.JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (!response.headers().containsKey("Content-Type")) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        lifecycle.close();
        server.stop(0);
        threads.shutdownNow();
    }
}
