// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The variables each process of the execution environment starts with. Nothing is inherited from the
 * harness's own environment. Extensions get the function's environment without the runtime's own
 * variables ({@code _HANDLER}, {@code LAMBDA_TASK_ROOT}, {@code AWS_EXECUTION_ENV}, the log group...), as
 * in Lambda.
 */
final class ProcessEnvironment {

    /** Lambda's default config file location inside the function's code (the extension's default). */
    static final String DEFAULT_CONFIG_FILE = "secrets-prefetch.json";

    private final LambdaFunction function;
    private final FunctionRuntime.Paths paths;
    private final String runtimeApi;

    ProcessEnvironment(LambdaFunction function, Sandbox sandbox, String runtimeApi) {
        this.function = function;
        this.paths = new FunctionRuntime.Paths(function.taskDirectory(), sandbox.opt(), sandbox.tmp(),
                function.handler(), function.memoryMb());
        this.runtimeApi = runtimeApi;
    }

    FunctionRuntime.Paths paths() {
        return paths;
    }

    /** What every process gets: Lambda's variables, the sandbox's mappings, then the function's own. */
    Map<String, String> shared() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", function.runtime().path());
        // C.UTF-8 exists on every glibc system; Lambda's en_US.UTF-8 may not be installed here.
        env.put("LANG", "C.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_REGION", function.region());
        env.put("AWS_DEFAULT_REGION", function.region());
        env.put("AWS_ACCESS_KEY_ID", function.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", function.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", "simulated-session-token");
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put(EnvironmentVariables.RUNTIME_API, runtimeApi);
        // The sandbox's /tmp is this environment's own, so parallel environments never share secrets.
        env.put("TMPDIR", paths.tmp().toString());
        env.put(EnvironmentVariables.DIR, paths.tmp().resolve("secrets-prefetch").toString());
        Path config = paths.task().resolve(DEFAULT_CONFIG_FILE);
        if (Files.isRegularFile(config)) {
            // The extension's default is /var/task/secrets-prefetch.json; here the task root is elsewhere.
            env.put(EnvironmentVariables.CONFIG, config.toString());
        }
        env.putAll(function.environment());
        return env;
    }

    Map<String, String> extension(String name) {
        Map<String, String> env = shared();
        env.putAll(function.processEnvironment(name));
        return env;
    }

    Map<String, String> runtime() {
        Map<String, String> env = shared();
        env.put("_HANDLER", function.handler());
        env.put("LAMBDA_TASK_ROOT", paths.task().toString());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime().id());
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStreamName());
        env.putAll(function.runtime().environment(paths));
        env.putAll(function.processEnvironment(LambdaFunction.RUNTIME_PROCESS));
        return env;
    }

    private static String logStreamName() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd")) + "/[$LATEST]"
                + HexFormat.of().formatHex(id);
    }
}
