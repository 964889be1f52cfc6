// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Lambda execution environment on this machine: the Runtime and Extensions APIs on a loopback port,
 * the layers' extensions and the function's runtime as processes, and Lambda's lifecycle rules between them.
 *
 * <pre>
 * try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
 *     assertTrue(lambda.init().succeeded(), lambda.diagnostics());
 *     InvokeResult result = lambda.invoke("{}");
 *     ShutdownReport shutdown = lambda.shutdown();
 * }
 * </pre>
 *
 * <p>Init: every executable in {@code opt/extensions} starts; each must register under its file name; the
 * runtime starts once all have; init ends when the runtime and every extension are waiting on {@code next},
 * and fails on an init error, a process exit, or the init timeout. An invoke ends when the runtime answered
 * and every INVOKE subscriber is back on {@code /event/next}. Shutdown sends SIGTERM to the runtime and
 * SHUTDOWN to the extensions, and kills whatever outlives the deadline.
 */
final class LambdaSimulator implements AutoCloseable {

    private final LambdaFunction function;
    private final Sandbox sandbox;
    private final Lifecycle lifecycle;
    private final ApiServer api;
    private final ProcessEnvironment environment;
    private final Map<String, FunctionProcess> extensions = new LinkedHashMap<>();
    private FunctionProcess runtime;
    private InitReport init;
    private String shutdownReason = "spindown";
    private boolean broken;
    private ShutdownReport shutdown;

    private LambdaSimulator(LambdaFunction function, Sandbox sandbox, Lifecycle lifecycle, ApiServer api) {
        this.function = function;
        this.sandbox = sandbox;
        this.lifecycle = lifecycle;
        this.api = api;
        this.environment = new ProcessEnvironment(function, sandbox, api.hostAndPort());
    }

    /** Creates the environment and runs its init phase; see {@link #init()} for how it went. */
    static LambdaSimulator coldStart(LambdaFunction function) throws IOException, InterruptedException {
        Sandbox sandbox = Sandbox.create(function);
        Lifecycle lifecycle = new Lifecycle(sandbox.extensions(), function.name(), function.handler());
        LambdaSimulator simulator = new LambdaSimulator(function, sandbox, lifecycle, ApiServer.start(lifecycle));
        try {
            simulator.runInit();
        } catch (IOException | RuntimeException | InterruptedException e) {
            try {
                simulator.close();
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return simulator;
    }

    private void runInit() throws IOException, InterruptedException {
        // Everything prepared before the clock starts: init measures the processes, not the harness.
        Map<String, Map<String, String>> extensionEnvironments = new LinkedHashMap<>();
        for (String name : sandbox.extensions()) {
            extensionEnvironments.put(name, environment.extension(name));
        }
        List<String> runtimeCommand = function.runtime().command(environment.paths());
        Map<String, String> runtimeEnvironment = environment.runtime();
        long start = System.nanoTime();
        long deadline = start + function.initTimeout().toNanos();
        for (Map.Entry<String, Map<String, String>> extension : extensionEnvironments.entrySet()) {
            String name = extension.getKey();
            FunctionProcess process = FunctionProcess.start(name, FunctionProcess.Kind.EXTENSION,
                    List.of(sandbox.opt().resolve("extensions").resolve(name).toString()), extension.getValue(),
                    function.taskDirectory(), sandbox.logs());
            process.onExit(lifecycle::wake);
            extensions.put(name, process);
        }
        Optional<LambdaError> failure = awaitInit(lifecycle::allRegistered, deadline);
        lifecycle.closeRegistration();
        if (failure.isEmpty()) {
            runtime = FunctionProcess.start(LambdaFunction.RUNTIME_PROCESS, FunctionProcess.Kind.RUNTIME,
                    runtimeCommand, runtimeEnvironment, function.taskDirectory(), sandbox.logs());
            runtime.onExit(lifecycle::wake);
            failure = awaitInit(lifecycle::initComplete, deadline);
        }
        long end = System.nanoTime();
        Map<String, Duration> extensionInit = new LinkedHashMap<>();
        lifecycle.extensionReadyNanos().forEach((name, ready) -> {
            if (ready >= 0) {
                extensionInit.put(name, Duration.ofNanos(ready - extensions.get(name).startNanos()));
            }
        });
        Map<String, Duration> extensionRegister = new LinkedHashMap<>();
        lifecycle.extensionRegisteredNanos().forEach((name, registered) ->
                extensionRegister.put(name, Duration.ofNanos(registered - extensions.get(name).startNanos())));
        Map<String, Long> extensionPeakRss = new LinkedHashMap<>();
        extensions.forEach((name, process) -> process.peakResidentKilobytes()
                .ifPresent(kb -> extensionPeakRss.put(name, kb)));
        long runtimeReady = lifecycle.runtimeReadyNanos();
        Optional<Duration> runtimeInit = runtime == null || runtimeReady < 0 ? Optional.empty()
                : Optional.of(Duration.ofNanos(runtimeReady - runtime.startNanos()));
        Optional<Duration> runtimeStart = runtime == null ? Optional.empty()
                : Optional.of(Duration.ofNanos(runtime.startNanos() - start));
        init = new InitReport(failure, Duration.ofNanos(end - start), runtimeStart, runtimeInit, extensionInit,
                extensionRegister, extensionPeakRss);
        if (failure.isPresent()) {
            lifecycle.failInit(failure.get());
            shutdownReason = "failure";
            broken = true;
            shutdown();
        }
    }

    private Optional<LambdaError> awaitInit(java.util.function.BooleanSupplier done, long deadline)
            throws InterruptedException {
        boolean finished = lifecycle.await(() -> done.getAsBoolean() || lifecycle.initError().isPresent()
                || exitedProcess().isPresent(), deadline);
        Optional<LambdaError> reported = lifecycle.initError();
        if (reported.isPresent()) {
            return reported;
        }
        Optional<FunctionProcess> exited = exitedProcess();
        if (exited.isPresent()) {
            return Optional.of(exitError(exited.get(), "during init"));
        }
        if (!finished) {
            return Optional.of(new LambdaError("Sandbox.Timedout", "init did not finish within "
                    + function.initTimeout().toMillis() + " ms; still waiting for " + lifecycle.notReady()));
        }
        return Optional.empty();
    }

    private Optional<FunctionProcess> exitedProcess() {
        Optional<FunctionProcess> extension = extensions.values().stream().filter(p -> !p.isAlive()).findFirst();
        if (extension.isPresent()) {
            return extension;
        }
        return runtime != null && !runtime.isAlive() ? Optional.of(runtime) : Optional.empty();
    }

    private static LambdaError exitError(FunctionProcess process, String when) {
        String type = process.kind() == FunctionProcess.Kind.RUNTIME ? "Runtime.ExitError" : "Extension.Crash";
        return new LambdaError(type, process + " exited " + when + " with code "
                + process.exitCode().orElse(-1) + "; see " + process.stderrFile());
    }

    /** How init went. */
    InitReport init() {
        return init;
    }

    /** Invokes the function with a JSON payload; the environment stays warm for the next invoke. */
    InvokeResult invoke(String payload) throws InterruptedException {
        if (!init.succeeded() || broken || shutdown != null) {
            throw new IllegalStateException("this execution environment cannot take invokes any more: "
                    + (init.succeeded() ? (shutdown != null ? "it was shut down" : "an earlier invoke broke it")
                            : init.error().get()));
        }
        Invocation invocation = new Invocation(payload.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() + function.invokeTimeout().toMillis(), function.arn());
        lifecycle.dispatch(invocation);
        long deadline = invocation.dispatchNanos() + function.invokeTimeout().toNanos();
        boolean done = lifecycle.await(() -> lifecycle.invokeComplete(invocation) || exitedProcess().isPresent(),
                deadline);
        long end = System.nanoTime();
        return result(invocation, done, end);
    }

    private InvokeResult result(Invocation invocation, boolean done, long end) {
        Duration total = Duration.ofNanos(end - invocation.dispatchNanos());
        Duration duration = invocation.completed()
                ? Duration.ofNanos(invocation.completedNanos() - invocation.dispatchNanos()) : total;
        if (done) {
            InvokeResult.Status status = invocation.success() ? InvokeResult.Status.SUCCESS
                    : InvokeResult.Status.FUNCTION_ERROR;
            return new InvokeResult(invocation.id(), status, invocation.body(),
                    invocation.success() ? Optional.empty() : Optional.of(errorType(invocation)), duration, total);
        }
        broken = true;
        Optional<FunctionProcess> exited = exitedProcess();
        if (exited.isPresent()) {
            LambdaError error = exitError(exited.get(), "during invoke " + invocation.id());
            shutdownReason = "failure";
            InvokeResult.Status status = exited.get().kind() == FunctionProcess.Kind.RUNTIME
                    ? InvokeResult.Status.RUNTIME_EXIT : InvokeResult.Status.EXTENSION_CRASH;
            return new InvokeResult(invocation.id(), status, errorDocument(error), Optional.of(error.type()),
                    duration, total);
        }
        shutdownReason = "timeout";
        LambdaError error = new LambdaError("Sandbox.Timedout", "Task timed out after "
                + function.invokeTimeout().toMillis() + " ms" + (invocation.completed()
                        ? "; extensions still busy: " + lifecycle.busyExtensions() : ""));
        return new InvokeResult(invocation.id(), InvokeResult.Status.TIMEOUT, errorDocument(error),
                Optional.of(error.type()), duration, total);
    }

    /** Like Lambda: the error document's errorType; the runtime's header when the body has none. */
    private static String errorType(Invocation invocation) {
        try {
            var document = ApiResponse.JSON.readTree(invocation.body());
            if (document != null && document.path("errorType").isTextual()) {
                return document.get("errorType").asText();
            }
        } catch (java.io.IOException notJson) {
            // Fall through to the header.
        }
        return invocation.errorType() == null ? "Unhandled" : invocation.errorType();
    }

    private static byte[] errorDocument(LambdaError error) {
        return ApiResponse.error(200, error.type(), error.message()).body();
    }

    /** Ends the environment as Lambda does; idempotent. */
    ShutdownReport shutdown() throws InterruptedException {
        if (shutdown == null) {
            shutdown = new Shutdown(lifecycle, runtime, extensions.values(), function.shutdownTimeout())
                    .run(shutdownReason);
            api.close();
        }
        return shutdown;
    }

    Map<String, FunctionProcess> extensions() {
        return Map.copyOf(extensions);
    }

    FunctionProcess extension(String name) {
        FunctionProcess process = extensions.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no extension " + name + "; the layers have " + extensions.keySet());
        }
        return process;
    }

    Optional<FunctionProcess> runtime() {
        return Optional.ofNullable(runtime);
    }

    /** The order of events as the APIs saw them (registrations, readiness, invokes, errors). */
    List<String> journal() {
        return lifecycle.journal();
    }

    List<LambdaError> exitErrors() {
        return lifecycle.exitErrors();
    }

    Path sandbox() {
        return sandbox.root();
    }

    /** Where the extension writes its manifest, in this environment's /tmp. */
    Path secretsDirectory() {
        return Path.of(environment.shared().get(dev.secretsprefetch.manifest.EnvironmentVariables.DIR));
    }

    /** Init report, journal and every process's output: for assertion messages and failed runs. */
    String diagnostics() {
        StringBuilder text = new StringBuilder().append(init).append('\n').append("journal: ")
                .append(lifecycle.journal()).append('\n');
        List<FunctionProcess> all = new ArrayList<>(extensions.values());
        runtime().ifPresent(all::add);
        for (FunctionProcess process : all) {
            text.append("--- ").append(process).append(" output:\n").append(process.output()).append('\n');
        }
        return text.toString();
    }

    /** Shuts down if needed (killing everything if interrupted), then removes the sandbox, logs included. */
    @Override
    public void close() throws IOException {
        try {
            shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            extensions.values().forEach(FunctionProcess::kill);
            runtime().ifPresent(FunctionProcess::kill);
            api.close();
        } finally {
            sandbox.close();
        }
    }
}
