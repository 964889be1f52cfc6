// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of one invoke.
 *
 * @param requestId the invocation's request id
 * @param status how it ended
 * @param body the runtime's response, or its error document ({@code errorType}, {@code errorMessage}, ...)
 * @param errorType the error type, when it failed
 * @param duration dispatch until the runtime's response or error (Lambda's "Duration")
 * @param total dispatch until every extension was back on {@code /event/next} as well
 */
record InvokeResult(String requestId, Status status, byte[] body, Optional<String> errorType, Duration duration,
        Duration total) {

    /** How an invoke ended. */
    enum Status {
        /** The runtime posted a response. */
        SUCCESS,
        /** The runtime posted an error: the handler threw. */
        FUNCTION_ERROR,
        /** Neither before the function's timeout. */
        TIMEOUT,
        /** The runtime process exited before answering. */
        RUNTIME_EXIT,
        /** An extension process exited during the invoke. */
        EXTENSION_CRASH
    }

    InvokeResult {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    boolean succeeded() {
        return status == Status.SUCCESS;
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
        try {
            return ApiResponse.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("invoke " + requestId + " did not answer JSON", e);
        }
    }

    /** Status, error type and timing; never the body, which may hold whatever the handler returned. */
    @Override
    public String toString() {
        return "invoke " + requestId + " " + status + errorType.map(t -> " (" + t + ")").orElse("") + " in "
                + duration.toMillis() + " ms";
    }
}
