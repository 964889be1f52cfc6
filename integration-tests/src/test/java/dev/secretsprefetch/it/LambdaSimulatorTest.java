// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's lifecycle rules, acted out by scriptable stand-in extensions and the Ruby runtime. */
class LambdaSimulatorTest {

    @TempDir
    Path dir;

    private LambdaFunction.Builder function(Map<String, String> extensions) throws IOException {
        Path journal = Files.createDirectories(dir.resolve("journal"));
        LambdaFunction.Builder builder = LambdaFunction.builder()
                .name("simulated")
                .runtime(FunctionRuntime.ruby())
                .handler("echo_handler.handler")
                .taskDirectory(TestLayers.resource("echo_handler.rb").getParent())
                .environment("STAND_IN_JOURNAL", journal.toString())
                .sandboxParent(dir.resolve("sandboxes"));
        if (!extensions.isEmpty()) {
            builder.layer(TestLayers.withExtensions(dir, extensions));
        }
        return builder;
    }

    private List<String> journal(String name) throws IOException {
        return Files.readAllLines(dir.resolve("journal").resolve(name + ".log"));
    }

    private JsonNode environmentOf(String process) throws IOException {
        return ApiResponse.JSON.readTree(dir.resolve("journal").resolve(process + ".env.json").toFile());
    }

    @Test
    void runtimeStartsOnlyAfterEveryExtensionRegistered() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of(
                "alpha", TestLayers.rubyExtension("normal"), "beta", TestLayers.rubyExtension("normal"))).build())) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            List<String> events = lambda.journal();
            int closed = events.indexOf("registration closed");
            assertTrue(events.indexOf("register alpha [INVOKE, SHUTDOWN]") < closed, events.toString());
            assertTrue(events.indexOf("register beta [INVOKE, SHUTDOWN]") < closed, events.toString());
            assertTrue(closed < events.indexOf("runtime ready"), events.toString());
            assertEquals(Set.of("alpha", "beta"), lambda.init().extensionInit().keySet());
            assertTrue(lambda.init().runtimeInit().isPresent());
        }
    }

    @Test
    void invokeReachesEveryInvokeSubscriberAndCompletesWhenTheyAreBack() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of(
                "listener", TestLayers.rubyExtension("normal"),
                "quiet", TestLayers.rubyExtension("shutdown-only"))).build())) {
            InvokeResult first = lambda.invoke("{\"n\": 1}");
            InvokeResult second = lambda.invoke("{\"n\": 2}");

            assertTrue(first.succeeded(), first + "\n" + lambda.diagnostics());
            assertEquals(1, first.json().path("echo").path("n").asInt());
            assertEquals(first.requestId(), first.json().path("requestId").asText());
            // Complete means the extension took the event and came back: its note is already written.
            assertEquals(List.of("invoke " + first.requestId() + " arn:aws:lambda:us-east-1:123456789012:function:"
                    + "simulated", "invoke " + second.requestId() + " arn:aws:lambda:us-east-1:123456789012:function:"
                    + "simulated"), journal("listener").subList(1, 3));
            assertEquals(1, journal("quiet").size(), "SHUTDOWN-only extension got no INVOKE: " + journal("quiet"));
        }
    }

    @Test
    void rubyRuntimeReportsHandlerErrorsAndKeepsServing() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of()).build())) {
            InvokeResult failure = lambda.invoke("{\"fail\": \"on purpose\"}");

            assertEquals(InvokeResult.Status.FUNCTION_ERROR, failure.status(), lambda.diagnostics());
            assertEquals("Function<ArgumentError>", failure.errorType().orElse(""));
            assertTrue(failure.json().path("errorMessage").asText().contains("asked to fail: on purpose"),
                    failure.bodyText());
            assertTrue(lambda.invoke("{}").succeeded(), lambda.diagnostics());
        }
    }

    @Test
    void invokeThatOutlivesTheTimeoutEndsTheEnvironment() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of(
                "listener", TestLayers.rubyExtension("normal"))).invokeTimeout(Duration.ofSeconds(1)).build())) {
            InvokeResult slow = lambda.invoke("{\"sleep\": 30}");

            assertEquals(InvokeResult.Status.TIMEOUT, slow.status(), lambda.diagnostics());
            assertThrows(IllegalStateException.class, () -> lambda.invoke("{}"));
            assertEquals("timeout", lambda.shutdown().reason());
            assertTrue(journal("listener").get(2).startsWith("shutdown timeout "), journal("listener").toString());
        }
    }

    @Test
    void extensionsGetTheFunctionEnvironmentWithoutTheRuntimesOwnVariables() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of(
                "env-dump", TestLayers.rubyExtension("normal"))).environment("MY_SETTING", "42").build())) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            JsonNode extension = environmentOf("env-dump");
            JsonNode runtime = environmentOf("runtime");
            for (String variable : List.of("AWS_LAMBDA_RUNTIME_API", "AWS_REGION", "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_FUNCTION_NAME", "MY_SETTING",
                    "SECRETS_PREFETCH_DIR")) {
                assertTrue(extension.has(variable), "extension lacks " + variable);
                assertTrue(runtime.has(variable), "runtime lacks " + variable);
            }
            for (String variable : List.of("_HANDLER", "LAMBDA_TASK_ROOT", "AWS_EXECUTION_ENV",
                    "AWS_LAMBDA_LOG_GROUP_NAME", "RUBYLIB")) {
                assertFalse(extension.has(variable), "extension must not get " + variable);
                assertTrue(runtime.has(variable), "runtime lacks " + variable);
            }
            assertEquals("simulated", extension.path("AWS_LAMBDA_FUNCTION_NAME").asText());
            for (String harnessOnly : List.of("HOME", "JAVA_HOME", "MAVEN_OPTS")) {
                assertFalse(extension.has(harnessOnly), harnessOnly + " leaked from the harness's environment");
            }
            assertTrue(runtime.path("RUBYLIB").asText().endsWith("/opt/ruby/lib"), runtime.path("RUBYLIB").asText());
            assertFalse(List.of(runtime.path("PATH").asText().split(":")).stream()
                    .anyMatch(d -> Files.isExecutable(Path.of(d, "java"))), "a Ruby function's PATH has no java");
        }
    }

    @Test
    void extensionInitErrorFailsInitWithItsTypeAndMessage() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of(
                "picky", TestLayers.rubyExtension("init-error"))).build())) {
            LambdaError error = lambda.init().error().orElseThrow(() -> new AssertionError(lambda.diagnostics()));
            assertEquals("Extension.ConfigInvalid", error.type());
            assertTrue(error.message().contains("picky") && error.message().contains("stand-in configuration is invalid"),
                    error.message());
            assertFalse(lambda.runtime().map(FunctionProcess::isAlive).orElse(false), "a failed init stops the runtime");
        }
    }

    @Test
    void runtimeInitErrorFailsInit() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of())
                .handler("failing_init_handler.handler").build())) {
            LambdaError error = lambda.init().error().orElseThrow(() -> new AssertionError(lambda.diagnostics()));
            assertEquals("Init<ArgumentError>", error.type());
            assertTrue(error.message().contains("stand-in handler cannot start"), error.message());
        }
    }

    @Test
    void extensionRegisteringUnderAnotherNameIsRefusedAndInitFails() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of(
                "honest-name", TestLayers.rubyExtension("wrong-name"))).build())) {
            assertEquals("Extension.Crash", lambda.init().error().map(LambdaError::type).orElse("none"),
                    lambda.diagnostics());
            String answer = journal("honest-name").get(0);
            assertTrue(answer.startsWith("register 403") && answer.contains("not-honest-name"), answer);
        }
    }

    @Test
    void extensionThatCrashesBeforeRegisteringFailsInit() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of(
                "fragile", TestLayers.rubyExtension("crash"))).build())) {
            LambdaError error = lambda.init().error().orElseThrow(() -> new AssertionError(lambda.diagnostics()));
            assertEquals("Extension.Crash", error.type());
            assertTrue(error.message().contains("fragile") && error.message().contains("code 3"), error.message());
        }
    }

    @Test
    void initTimesOutWhenAnExtensionNeverAsksForEvents() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of(
                "sleepy", TestLayers.rubyExtension("never-ready"))).initTimeout(Duration.ofSeconds(1)).build())) {
            LambdaError error = lambda.init().error().orElseThrow(() -> new AssertionError(lambda.diagnostics()));
            assertEquals("Sandbox.Timedout", error.type());
            assertTrue(error.message().contains("extension sleepy to call /extension/event/next"), error.message());
            assertEquals(List.of("sleepy"), lambda.shutdown().killed());
        }
    }

    @Test
    void shutdownTellsExtensionsAndKillsWhatOutlivesTheDeadline() throws Exception {
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function(Map.of(
                "polite", TestLayers.rubyExtension("normal"),
                "stubborn", TestLayers.rubyExtension("ignore-shutdown"))).shutdownTimeout(Duration.ofSeconds(1))
                .build())) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());
            ShutdownReport report = lambda.shutdown();

            assertEquals(List.of("stubborn"), report.killed());
            assertEquals(0, report.process("polite").orElseThrow().exitCode().orElse(-1));
            assertTrue(journal("polite").get(1).startsWith("shutdown spindown "), journal("polite").toString());
            assertTrue(journal("stubborn").get(1).startsWith("shutdown spindown "), journal("stubborn").toString());
            assertFalse(lambda.extension("stubborn").isAlive());
        }
    }
}
