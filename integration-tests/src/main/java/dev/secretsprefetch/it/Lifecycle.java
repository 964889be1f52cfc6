// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The execution environment's state as the Runtime and Extensions APIs see it: who registered, who is
 * waiting on {@code next}, which events and invocations are queued. One monitor guards it all; API calls
 * block on it, and the simulator waits on it for the conditions that end init, an invoke, or shutdown.
 */
final class Lifecycle {

    /** An external extension as Lambda knows it after registration. */
    static final class Extension {
        final String name;
        final String id;
        final Set<String> events;
        final Deque<ObjectNode> queue = new ArrayDeque<>();
        boolean waiting;
        final long registeredNanos = System.nanoTime();
        long firstNextNanos = -1;

        Extension(String name, Set<String> events) {
            this.name = name;
            this.id = UUID.randomUUID().toString();
            this.events = events;
        }

        /** Back on {@code /event/next} with nothing left to take: done with the last event. */
        boolean idle() {
            return waiting && queue.isEmpty();
        }
    }

    private final SortedSet<String> executables;
    private final String functionName;
    private final String handler;
    private final Map<String, Extension> byName = new LinkedHashMap<>();
    private final Map<String, Extension> byId = new LinkedHashMap<>();
    private final Deque<Invocation> runtimeQueue = new ArrayDeque<>();
    private final List<String> journal = new ArrayList<>();
    private final List<LambdaError> exitErrors = new ArrayList<>();
    private boolean registrationOpen = true;
    private boolean runtimeWaiting;
    private long runtimeFirstNextNanos = -1;
    private Invocation current;
    private LambdaError initError;
    private boolean closed;

    Lifecycle(SortedSet<String> executables, String functionName, String handler) {
        this.executables = executables;
        this.functionName = functionName;
        this.handler = handler;
    }

    // ---- Extensions API ----

    synchronized ApiResponse register(String name, JsonNode body, String acceptFeature) {
        if (name == null || name.isBlank()) {
            return ApiResponse.error(400, "InvalidRequest", "the Lambda-Extension-Name header is missing; send the "
                    + "extension executable's file name");
        }
        if (!executables.contains(name)) {
            return ApiResponse.error(403, "Extension.InvalidExtensionName", "Lambda-Extension-Name \"" + name
                    + "\" is not the file name of an executable in /opt/extensions " + executables
                    + "; an extension must register under its own file name");
        }
        if (byName.containsKey(name)) {
            return ApiResponse.error(403, "Extension.AlreadyRegistered", "extension " + name + " registered twice");
        }
        if (!registrationOpen) {
            return ApiResponse.error(403, "Extension.RegistrationClosed", "extension " + name
                    + " registered after the registration phase ended");
        }
        Set<String> events = new LinkedHashSet<>();
        JsonNode list = body == null ? null : body.get("events");
        if (list == null || !list.isArray()) {
            return ApiResponse.error(400, "InvalidRequest", "register body must be {\"events\": [...]}");
        }
        for (JsonNode event : list) {
            if (!event.isTextual() || !Set.of("INVOKE", "SHUTDOWN").contains(event.asText())) {
                return ApiResponse.error(400, "Extension.InvalidEventType", "unknown event " + event
                        + "; external extensions may register for INVOKE and SHUTDOWN");
            }
            events.add(event.asText());
        }
        Extension extension = new Extension(name, events);
        byName.put(name, extension);
        byId.put(extension.id, extension);
        record("register " + name + " " + events);
        ObjectNode answer = ApiResponse.JSON.createObjectNode()
                .put("functionName", functionName).put("functionVersion", "$LATEST").put("handler", handler);
        if (acceptFeature != null && acceptFeature.contains("accountId")) {
            answer.put("accountId", LambdaFunction.ACCOUNT_ID);
        }
        notifyAll();
        return ApiResponse.json(200, Map.of("Lambda-Extension-Identifier", extension.id), answer);
    }

    ApiResponse extensionNext(String id) throws InterruptedException {
        ObjectNode event;
        synchronized (this) {
            Extension extension = byId.get(id);
            if (extension == null) {
                return unknownExtension(id);
            }
            if (extension.firstNextNanos < 0) {
                extension.firstNextNanos = System.nanoTime();
                record("extension ready " + extension.name);
            }
            extension.waiting = true;
            notifyAll();
            while (extension.queue.isEmpty() && !closed) {
                wait();
            }
            if (closed && extension.queue.isEmpty()) {
                return ApiResponse.error(500, "Runtime.Closed", "the execution environment is gone");
            }
            event = extension.queue.removeFirst();
            extension.waiting = false;
            record("extension " + extension.name + " took " + event.get("eventType").asText());
            notifyAll();
        }
        return ApiResponse.json(200, Map.of("Lambda-Extension-Event-Identifier", UUID.randomUUID().toString()),
                event);
    }

    synchronized ApiResponse extensionInitError(String id, String errorType, JsonNode body) {
        Extension extension = byId.get(id);
        if (extension == null) {
            return unknownExtension(id);
        }
        String type = errorType == null || errorType.isBlank() ? "Extension.Unknown" : errorType;
        failInit(new LambdaError(type, "extension " + extension.name + " reported an init error: "
                + describe(body)));
        return ApiResponse.accepted();
    }

    synchronized ApiResponse extensionExitError(String id, String errorType, JsonNode body) {
        Extension extension = byId.get(id);
        if (extension == null) {
            return unknownExtension(id);
        }
        exitErrors.add(new LambdaError(errorType == null ? "Extension.Unknown" : errorType,
                "extension " + extension.name + " reported an exit error: " + describe(body)));
        record("exit error " + extension.name);
        return ApiResponse.accepted();
    }

    private ApiResponse unknownExtension(String id) {
        return ApiResponse.error(403, "Extension.InvalidExtensionIdentifier", "unknown Lambda-Extension-Identifier "
                + "\"" + id + "\"; register first and send the identifier the register call returned");
    }

    // ---- Runtime API ----

    Invocation runtimeNext() throws InterruptedException {
        synchronized (this) {
            if (runtimeFirstNextNanos < 0) {
                runtimeFirstNextNanos = System.nanoTime();
                record("runtime ready");
            }
            runtimeWaiting = true;
            notifyAll();
            while (runtimeQueue.isEmpty() && !closed) {
                wait();
            }
            runtimeWaiting = false;
            return closed && runtimeQueue.isEmpty() ? null : runtimeQueue.removeFirst();
        }
    }

    synchronized ApiResponse runtimeResult(String requestId, boolean success, String errorType, byte[] body) {
        if (current == null || !current.id().equals(requestId) || current.completed()) {
            return ApiResponse.error(400, "InvalidRequestID", "no invocation " + requestId + " is waiting for a "
                    + (success ? "response" : "error"));
        }
        current.complete(success, errorType, body);
        record("runtime " + (success ? "response " : "error ") + requestId);
        notifyAll();
        return ApiResponse.accepted();
    }

    synchronized ApiResponse runtimeInitError(String errorType, JsonNode body) {
        String type = errorType == null || errorType.isBlank() ? "Runtime.Unknown" : errorType;
        failInit(new LambdaError(type, "the runtime reported an init error: " + describe(body)));
        return ApiResponse.accepted();
    }

    // ---- the simulator's side ----

    synchronized void failInit(LambdaError error) {
        if (initError == null) {
            initError = error;
            record("init failed " + error.type());
        }
        notifyAll();
    }

    synchronized Optional<LambdaError> initError() {
        return Optional.ofNullable(initError);
    }

    synchronized void closeRegistration() {
        registrationOpen = false;
        record("registration closed");
    }

    synchronized boolean allRegistered() {
        return byName.keySet().containsAll(executables);
    }

    synchronized boolean initComplete() {
        return runtimeFirstNextNanos >= 0 && byName.values().stream().allMatch(e -> e.firstNextNanos >= 0);
    }

    synchronized List<String> notReady() {
        List<String> waitingFor = new ArrayList<>();
        for (String name : executables) {
            Extension extension = byName.get(name);
            if (extension == null) {
                waitingFor.add("extension " + name + " to register");
            } else if (extension.firstNextNanos < 0) {
                waitingFor.add("extension " + name + " to call /extension/event/next");
            }
        }
        if (runtimeFirstNextNanos < 0) {
            waitingFor.add("the runtime to call /runtime/invocation/next");
        }
        return waitingFor;
    }

    synchronized long runtimeReadyNanos() {
        return runtimeFirstNextNanos;
    }

    /** When each registered extension's register call was answered ({@link System#nanoTime()}). */
    synchronized Map<String, Long> extensionRegisteredNanos() {
        Map<String, Long> registered = new LinkedHashMap<>();
        byName.forEach((name, extension) -> registered.put(name, extension.registeredNanos));
        return registered;
    }

    synchronized Map<String, Long> extensionReadyNanos() {
        Map<String, Long> ready = new LinkedHashMap<>();
        byName.forEach((name, extension) -> ready.put(name, extension.firstNextNanos));
        return ready;
    }

    /** Queues an invocation for the runtime and an INVOKE event for every extension that asked for one. */
    synchronized void dispatch(Invocation invocation) {
        current = invocation;
        runtimeQueue.addLast(invocation);
        for (Extension extension : byName.values()) {
            if (extension.events.contains("INVOKE")) {
                extension.queue.addLast(invocation.event());
            }
        }
        record("invoke " + invocation.id());
        notifyAll();
    }

    /** The runtime answered and every INVOKE subscriber is back on {@code /event/next}. */
    synchronized boolean invokeComplete(Invocation invocation) {
        return invocation.completed() && byName.values().stream()
                .filter(e -> e.events.contains("INVOKE")).allMatch(Extension::idle);
    }

    synchronized List<String> busyExtensions() {
        return byName.values().stream().filter(e -> !e.idle()).map(e -> e.name).toList();
    }

    /** Queues a SHUTDOWN event for every extension that registered for it; returns their names. */
    synchronized List<String> sendShutdown(String reason, long deadlineEpochMs) {
        List<String> told = new ArrayList<>();
        for (Extension extension : byName.values()) {
            if (extension.events.contains("SHUTDOWN")) {
                extension.queue.addLast(ApiResponse.JSON.createObjectNode().put("eventType", "SHUTDOWN")
                        .put("shutdownReason", reason).put("deadlineMs", deadlineEpochMs));
                told.add(extension.name);
            }
        }
        record("shutdown " + reason);
        notifyAll();
        return told;
    }

    /** Waits until {@code condition} holds or {@code deadlineNanos} passes; true if it holds. */
    synchronized boolean await(BooleanSupplier condition, long deadlineNanos) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            wait(Math.max(1, remaining / 1_000_000), 0);
        }
        return true;
    }

    /** Wakes every waiter to look again, e.g. after a process exited. */
    synchronized void wake() {
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized List<LambdaError> exitErrors() {
        return List.copyOf(exitErrors);
    }

    /** What happened, in order: registrations, readiness, invokes, errors. */
    synchronized List<String> journal() {
        return List.copyOf(journal);
    }

    private void record(String line) {
        journal.add(line);
    }

    private static String describe(JsonNode body) {
        if (body == null || !body.isObject()) {
            return "(no JSON body)";
        }
        String type = body.path("errorType").asText("");
        String message = body.path("errorMessage").asText("");
        return (type.isEmpty() ? "" : type + ": ") + (message.isEmpty() ? "(no errorMessage)" : message);
    }
}
