// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A function as Lambda would be configured to run it: runtime, handler, code, layers, environment, memory
 * and the service's time limits. Immutable; build one with {@link #builder}.
 */
final class LambdaFunction {

    /** The account in ARNs and in the register answer. */
    static final String ACCOUNT_ID = "123456789012";
    /** The process-environment key of the runtime; extensions are keyed by their executable's name. */
    static final String RUNTIME_PROCESS = "runtime";

    /** Variables Lambda sets itself and refuses in a function's configuration. */
    private static final Set<String> RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    private final String name;
    private final FunctionRuntime runtime;
    private final String handler;
    private final Path taskDirectory;
    private final List<Path> layers;
    private final Map<String, String> environment;
    private final Map<String, Map<String, String>> processEnvironment;
    private final int memoryMb;
    private final Duration initTimeout;
    private final Duration invokeTimeout;
    private final Duration shutdownTimeout;
    private final String region;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final Optional<Path> sandboxParent;

    private LambdaFunction(Builder b) {
        this.name = b.name;
        this.runtime = Objects.requireNonNull(b.runtime, "runtime: call runtime(FunctionRuntime.java()) or similar");
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.taskDirectory = Objects.requireNonNull(b.taskDirectory, "taskDirectory: the function's code");
        this.layers = List.copyOf(b.layers);
        this.environment = Map.copyOf(b.environment);
        Map<String, Map<String, String>> perProcess = new LinkedHashMap<>();
        b.processEnvironment.forEach((process, variables) -> perProcess.put(process, Map.copyOf(variables)));
        this.processEnvironment = Map.copyOf(perProcess);
        this.memoryMb = b.memoryMb;
        this.initTimeout = b.initTimeout;
        this.invokeTimeout = b.invokeTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.region = b.region;
        this.accessKeyId = b.accessKeyId;
        this.secretAccessKey = b.secretAccessKey;
        this.sandboxParent = Optional.ofNullable(b.sandboxParent);
    }

    static Builder builder() {
        return new Builder();
    }

    String name() {
        return name;
    }

    FunctionRuntime runtime() {
        return runtime;
    }

    String handler() {
        return handler;
    }

    Path taskDirectory() {
        return taskDirectory;
    }

    List<Path> layers() {
        return layers;
    }

    /** The variables configured on the function; every process gets them. */
    Map<String, String> environment() {
        return environment;
    }

    /** Extra variables for one process only (a test hook, e.g. its own Secrets Manager endpoint). */
    Map<String, String> processEnvironment(String process) {
        return processEnvironment.getOrDefault(process, Map.of());
    }

    int memoryMb() {
        return memoryMb;
    }

    Duration initTimeout() {
        return initTimeout;
    }

    Duration invokeTimeout() {
        return invokeTimeout;
    }

    Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    String region() {
        return region;
    }

    String accessKeyId() {
        return accessKeyId;
    }

    String secretAccessKey() {
        return secretAccessKey;
    }

    Optional<Path> sandboxParent() {
        return sandboxParent;
    }

    String arn() {
        return "arn:aws:lambda:" + region + ":" + ACCOUNT_ID + ":function:" + name;
    }

    /** Collects a function's configuration; Lambda's own defaults where it has them. */
    static final class Builder {
        private String name = "function";
        private FunctionRuntime runtime;
        private String handler;
        private Path taskDirectory;
        private final List<Path> layers = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> processEnvironment = new LinkedHashMap<>();
        private int memoryMb = 1024;
        private Duration initTimeout = Duration.ofSeconds(10);
        private Duration invokeTimeout = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(2);
        private String region = "us-east-1";
        private String accessKeyId = "testing";
        private String secretAccessKey = "testing";
        private Path sandboxParent;

        private Builder() {
        }

        Builder name(String value) {
            this.name = value;
            return this;
        }

        Builder runtime(FunctionRuntime value) {
            this.runtime = value;
            return this;
        }

        Builder handler(String value) {
            this.handler = value;
            return this;
        }

        Builder taskDirectory(Path value) {
            this.taskDirectory = value;
            return this;
        }

        /** Adds a layer zip; like Lambda, later layers overwrite earlier ones' files. */
        Builder layer(Path zip) {
            this.layers.add(zip);
            return this;
        }

        Builder environment(String variable, String value) {
            checkNotReserved(variable);
            this.environment.put(variable, value);
            return this;
        }

        /** Drops a variable set earlier (e.g. by a testbed), as if it had never been configured. */
        Builder removeEnvironment(String variable) {
            this.environment.remove(variable);
            return this;
        }

        /** A variable only {@code process} (an extension's executable name, or "runtime") gets. */
        Builder processEnvironment(String process, String variable, String value) {
            checkNotReserved(variable);
            this.processEnvironment.computeIfAbsent(process, p -> new LinkedHashMap<>()).put(variable, value);
            return this;
        }

        Builder memoryMb(int value) {
            this.memoryMb = value;
            return this;
        }

        Builder initTimeout(Duration value) {
            this.initTimeout = value;
            return this;
        }

        Builder invokeTimeout(Duration value) {
            this.invokeTimeout = value;
            return this;
        }

        Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = value;
            return this;
        }

        Builder region(String value) {
            this.region = value;
            return this;
        }

        Builder credentials(String keyId, String secretKey) {
            this.accessKeyId = keyId;
            this.secretAccessKey = secretKey;
            return this;
        }

        /** Where to create the sandbox (opt, tmp, logs); default: the system's temporary directory. */
        Builder sandboxParent(Path value) {
            this.sandboxParent = value;
            return this;
        }

        LambdaFunction build() {
            return new LambdaFunction(this);
        }

        private static void checkNotReserved(String variable) {
            if (RESERVED.contains(variable)) {
                throw new IllegalArgumentException(variable + " is reserved: Lambda sets it itself; use the "
                        + "builder's region(...)/credentials(...)/handler(...) instead");
            }
        }
    }
}
