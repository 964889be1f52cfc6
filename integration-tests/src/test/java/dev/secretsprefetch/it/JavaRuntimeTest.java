// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AWS's runtime interface client, the real Java runtime, runs handlers under the simulator. */
class JavaRuntimeTest {

    @TempDir
    Path dir;

    @Test
    void runtimeInterfaceClientServesInvokesAndReportsHandlerErrors() throws Exception {
        Path task = JavaFunctionCode.stage(dir.resolve("task"), List.of(EchoHandler.class), List.of());
        LambdaFunction function = LambdaFunction.builder()
                .name("java-echo")
                .runtime(FunctionRuntime.java())
                .handler(EchoHandler.class.getName() + "::handleRequest")
                .taskDirectory(task)
                .sandboxParent(dir)
                .build();
        try (LambdaSimulator lambda = LambdaSimulator.coldStart(function)) {
            assertTrue(lambda.init().succeeded(), lambda.diagnostics());

            InvokeResult echo = lambda.invoke("{\"greeting\": \"hello\"}");
            assertTrue(echo.succeeded(), echo + "\n" + lambda.diagnostics());
            assertEquals("hello", echo.json().path("echo").path("greeting").asText());
            assertEquals(echo.requestId(), echo.json().path("requestId").asText());
            assertEquals("java-echo", echo.json().path("function").asText());
            assertEquals(task.toString(), echo.json().path("taskRoot").asText());

            InvokeResult failure = lambda.invoke("{\"fail\": \"on purpose\"}");
            assertEquals(InvokeResult.Status.FUNCTION_ERROR, failure.status());
            assertEquals("java.lang.IllegalStateException", failure.errorType().orElse(""));
            assertTrue(failure.json().path("errorMessage").asText().contains("asked to fail: on purpose"),
                    failure.bodyText());
            assertTrue(lambda.invoke("{}").succeeded(), "the runtime keeps serving after a handler error");
        }
    }
}
