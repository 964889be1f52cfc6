// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.lambda;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.secretsprefetch.extension.config.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Lambda Extensions API ({@code /2020-01-01/extension/...}) over {@link HttpURLConnection}: java.base only,
 * nothing to load or start. Every non-2xx answer is an {@link ExtensionsApiException}.
 */
public final class ExtensionsApi {

    public static final String NAME_HEADER = "Lambda-Extension-Name";
    public static final String IDENTIFIER_HEADER = "Lambda-Extension-Identifier";
    public static final String ERROR_TYPE_HEADER = "Lambda-Extension-Function-Error-Type";

    /** Refresh runs on INVOKE; SHUTDOWN cleans up. */
    public static final List<String> EVENTS = List.of("INVOKE", "SHUTDOWN");

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    /** Register and the error reports answer at once; only /event/next blocks. */
    private static final int CALL_TIMEOUT_MS = 5_000;

    private final URI base;

    /** @param runtimeApi {@code host:port} from {@code AWS_LAMBDA_RUNTIME_API} */
    public ExtensionsApi(String runtimeApi) {
        this.base = URI.create("http://" + runtimeApi + "/2020-01-01/extension/");
    }

    /** Registers for INVOKE and SHUTDOWN; returns the identifier every later call carries. */
    public String register(String extensionName) throws IOException {
        HttpURLConnection connection = open("register", "POST", CALL_TIMEOUT_MS);
        connection.setRequestProperty(NAME_HEADER, extensionName);
        send(connection, Json.object(g -> {
            g.writeArrayFieldStart("events");
            for (String event : EVENTS) {
                g.writeString(event);
            }
            g.writeEndArray();
        }));
        answer(connection, "register");
        String identifier = connection.getHeaderField(IDENTIFIER_HEADER);
        if (identifier == null || identifier.isBlank()) {
            throw new ExtensionsApiException("register", connection.getResponseCode(),
                    "no " + IDENTIFIER_HEADER + " header in the answer");
        }
        return identifier;
    }

    /** Blocks until Lambda sends the next event. */
    public ExtensionEvent next(String identifier) throws IOException {
        HttpURLConnection connection = open("event/next", "GET", 0);
        connection.setRequestProperty(IDENTIFIER_HEADER, identifier);
        return parseEvent(answer(connection, "event/next"));
    }

    /** Reports a failed init: Lambda fails the init phase with {@code errorType}, and this process should exit. */
    public void initError(String identifier, String errorType, String message) throws IOException {
        HttpURLConnection connection = open("init/error", "POST", CALL_TIMEOUT_MS);
        connection.setRequestProperty(IDENTIFIER_HEADER, identifier);
        connection.setRequestProperty(ERROR_TYPE_HEADER, errorType);
        send(connection, Json.object(g -> {
            g.writeStringField("errorMessage", message);
            g.writeStringField("errorType", errorType);
            g.writeArrayFieldStart("stackTrace");
            g.writeEndArray();
        }));
        answer(connection, "init/error");
    }

    private HttpURLConnection open(String path, String method, int readTimeoutMs) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
        connection.setRequestMethod(method);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(readTimeoutMs);
        connection.setUseCaches(false);
        return connection;
    }

    private static void send(HttpURLConnection connection, byte[] body) throws IOException {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
    }

    private static byte[] answer(HttpURLConnection connection, String endpoint) throws IOException {
        int status = connection.getResponseCode();
        if (status / 100 != 2) {
            InputStream error = connection.getErrorStream();
            String body = error == null ? "" : new String(error.readNBytes(512), StandardCharsets.UTF_8);
            throw new ExtensionsApiException(endpoint, status, body);
        }
        try (InputStream in = connection.getInputStream()) {
            return in.readAllBytes();
        }
    }

    static ExtensionEvent parseEvent(byte[] body) throws IOException {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = Json.FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("event/next answered with something other than a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isScalarValue()) {
                    fields.put(name, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        }
        String type = fields.get("eventType");
        if (type == null) {
            throw new IOException("event/next answered without an eventType");
        }
        long deadline = parseLong(fields.get("deadlineMs"));
        return new ExtensionEvent(type, deadline, Optional.ofNullable(fields.get("requestId")),
                Optional.ofNullable(fields.get("shutdownReason")));
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
