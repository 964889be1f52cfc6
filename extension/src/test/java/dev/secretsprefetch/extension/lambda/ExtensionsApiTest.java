// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExtensionsApiTest {

    @Test
    void non2xxAnswerCarriesEndpointAndStatus() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"errorMessage\":\"Extension.InvalidName\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ExtensionsApi api = new ExtensionsApi("127.0.0.1:" + server.getAddress().getPort());
            ExtensionsApiException e = assertThrows(ExtensionsApiException.class, () -> api.register("x"));
            assertEquals("register", e.endpoint());
            assertEquals(403, e.status());
            assertTrue(e.getMessage().contains("Extension.InvalidName"), e.getMessage());
            assertEquals("event/next", assertThrows(ExtensionsApiException.class, () -> api.next("id")).endpoint());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void registerWithoutAnIdentifierIsAnError() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            ExtensionsApi api = new ExtensionsApi("127.0.0.1:" + server.getAddress().getPort());
            assertTrue(assertThrows(ExtensionsApiException.class, () -> api.register("x")).getMessage()
                    .contains("no Lambda-Extension-Identifier header"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void eventsAreParsedIgnoringFieldsTheyDoNotNeed() throws IOException {
        ExtensionEvent invoke = ExtensionsApi.parseEvent(("{\"eventType\":\"INVOKE\",\"deadlineMs\":1764171600123,"
                + "\"requestId\":\"r1\",\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=1\"},\"x\":[1,2]}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(new ExtensionEvent("INVOKE", 1764171600123L, Optional.of("r1"), Optional.empty()), invoke);
        ExtensionEvent shutdown = ExtensionsApi.parseEvent(
                "{\"eventType\":\"SHUTDOWN\",\"shutdownReason\":\"timeout\",\"deadlineMs\":5}".getBytes(StandardCharsets.UTF_8));
        assertTrue(shutdown.isShutdown());
        assertEquals(Optional.of("timeout"), shutdown.shutdownReason());
        assertThrows(IOException.class, () -> ExtensionsApi.parseEvent("{}".getBytes(StandardCharsets.UTF_8)));
    }
}
