// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.secretsprefetch.extension.lambda.ExtensionsApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plays Lambda's Extensions API on a loopback port: records registrations and error reports, and hands out
 * the events a test queues. {@code /event/next} blocks until an event is queued, as in Lambda.
 */
final class FakeExtensionsApi implements AutoCloseable {

    static final String IDENTIFIER = "ext-identifier-1234";

    /** What a register call carried, and what {@code atRegister} reported at that moment. */
    record Registration(String name, String body, String identifierSent, String observedAtRegister) {
    }

    /** An init/error report. */
    record ErrorReport(String path, String identifier, String errorType, String body) {
    }

    private final HttpServer server;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Semaphore nextCalls = new Semaphore(0);
    final List<Registration> registrations = new CopyOnWriteArrayList<>();
    final List<ErrorReport> errors = new CopyOnWriteArrayList<>();
    final List<String> nextIdentifiers = new CopyOnWriteArrayList<>();
    private volatile Supplier<String> atRegister = () -> "";

    FakeExtensionsApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/2020-01-01/extension/register", this::register);
        server.createContext("/2020-01-01/extension/event/next", this::next);
        server.createContext("/2020-01-01/extension/init/error", this::error);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "fake-extensions-api");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String runtimeApi() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Called while a register request is answered; its result is kept in the registration. */
    void onRegister(Supplier<String> observer) {
        this.atRegister = observer;
    }

    void invoke(long deadlineEpochMs) {
        events.add("{\"eventType\":\"INVOKE\",\"deadlineMs\":" + deadlineEpochMs + ",\"requestId\":\"req-"
                + System.nanoTime() + "\",\"invokedFunctionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:f\","
                + "\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=1-5759e988-bd862e3fe1be46a994272793\"}}");
    }

    void shutdown() {
        events.add("{\"eventType\":\"SHUTDOWN\",\"shutdownReason\":\"spindown\",\"deadlineMs\":"
                + (System.currentTimeMillis() + 2000) + "}");
    }

    /**
     * Waits until the extension has asked for its {@code count}-th event since the last call: it has finished
     * whatever came before.
     */
    void awaitNextCalls(int count) throws InterruptedException {
        if (!nextCalls.tryAcquire(count, 60, TimeUnit.SECONDS)) {
            throw new AssertionError("the extension did not ask for the next event within 60 s");
        }
    }

    private void register(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        registrations.add(new Registration(exchange.getRequestHeaders().getFirst(ExtensionsApi.NAME_HEADER), body,
                IDENTIFIER, atRegister.get()));
        exchange.getResponseHeaders().add(ExtensionsApi.IDENTIFIER_HEADER, IDENTIFIER);
        respond(exchange, 200, "{\"functionName\":\"f\",\"functionVersion\":\"$LATEST\",\"handler\":\"h\"}");
    }

    private void next(HttpExchange exchange) throws IOException {
        nextIdentifiers.add(String.valueOf(exchange.getRequestHeaders().getFirst(ExtensionsApi.IDENTIFIER_HEADER)));
        nextCalls.release();
        try {
            String event = events.poll(120, TimeUnit.SECONDS);
            if (event == null) {
                respond(exchange, 500, "{\"errorMessage\":\"no event queued by the test\"}");
                return;
            }
            respond(exchange, 200, event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 500, "{}");
        }
    }

    private void error(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = exchange.getRequestHeaders();
        errors.add(new ErrorReport(exchange.getRequestURI().getPath(),
                headers.getOrDefault(ExtensionsApi.IDENTIFIER_HEADER, List.of("")).get(0),
                headers.getOrDefault(ExtensionsApi.ERROR_TYPE_HEADER, List.of("")).get(0),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
