// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** One invoke in flight: what the runtime gets from {@code /invocation/next}, and what it answered. */
final class Invocation {

    private final String id = UUID.randomUUID().toString();
    private final byte[] payload;
    private final long deadlineEpochMs;
    private final String functionArn;
    private final String traceId;
    private final long dispatchNanos = System.nanoTime();
    private volatile long completedNanos = -1;
    private boolean success;
    private String errorType;
    private byte[] body;

    Invocation(byte[] payload, long deadlineEpochMs, String functionArn) {
        this.payload = payload.clone();
        this.deadlineEpochMs = deadlineEpochMs;
        this.functionArn = functionArn;
        HexFormat hex = HexFormat.of();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        ThreadLocalRandom.current().nextBytes(root);
        ThreadLocalRandom.current().nextBytes(parent);
        this.traceId = "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.formatHex(root)
                + ";Parent=" + hex.formatHex(parent) + ";Sampled=0";
    }

    String id() {
        return id;
    }

    byte[] payload() {
        return payload.clone();
    }

    long deadlineEpochMs() {
        return deadlineEpochMs;
    }

    String functionArn() {
        return functionArn;
    }

    String traceId() {
        return traceId;
    }

    long dispatchNanos() {
        return dispatchNanos;
    }

    /** The INVOKE event extensions receive. */
    ObjectNode event() {
        ObjectNode event = ApiResponse.JSON.createObjectNode()
                .put("eventType", "INVOKE")
                .put("deadlineMs", deadlineEpochMs)
                .put("requestId", id)
                .put("invokedFunctionArn", functionArn);
        event.putObject("tracing").put("type", "X-Amzn-Trace-Id").put("value", traceId);
        return event;
    }

    // Written under the Lifecycle monitor; completedNanos is volatile and written last, so readers see the rest.

    void complete(boolean succeeded, String type, byte[] answer) {
        this.success = succeeded;
        this.errorType = type;
        this.body = answer.clone();
        this.completedNanos = System.nanoTime();
    }

    boolean completed() {
        return completedNanos >= 0;
    }

    long completedNanos() {
        return completedNanos;
    }

    boolean success() {
        return success;
    }

    String errorType() {
        return errorType;
    }

    byte[] body() {
        return body == null ? new byte[0] : body.clone();
    }
}
