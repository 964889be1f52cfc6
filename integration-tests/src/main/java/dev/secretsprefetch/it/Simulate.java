// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local Lambda environment from the command line: one cold start, some invokes, shutdown, and a report
 * of each (with the processes' output).
 *
 * <pre>
 * java -cp "$(cat integration-tests/target/driver.classpath):integration-tests/target/classes" \
 *     dev.secretsprefetch.it.Simulate --runtime ruby --handler secrets_handler.handler \
 *     --task integration-tests/target/lambda-function/ruby --layer extension/target/secrets-prefetch-layer.zip \
 *     --env SECRET_IDS=prod/db --env SECRETS_PREFETCH_SECRETS=db=prod/db --invoke '{}'
 * </pre>
 */
public final class Simulate {

    private static final String USAGE = """
            usage: Simulate --runtime java|ruby|python|node --handler HANDLER --task DIR [--layer ZIP]...
                            [--env NAME=VALUE]... [--invoke JSON]... [--name FUNCTION] [--memory MB] [--keep]
              Java handlers are Class::method run by AWS's runtime interface client; Ruby, Python and Node.js
              handlers file.method (Node.js: file.mjs or file.js).
              --keep leaves the sandbox (opt/, tmp/, logs/) in place and prints where it is.""";

    private Simulate() {
    }

    public static void main(String[] args) throws Exception {
        LambdaFunction.Builder function = LambdaFunction.builder();
        List<String> invokes = new ArrayList<>();
        boolean keep = false;
        boolean hasRuntime = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--keep")) {
                    keep = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--runtime" -> {
                        function.runtime(runtime(value));
                        hasRuntime = true;
                    }
                    case "--handler" -> function.handler(value);
                    case "--task" -> function.taskDirectory(Path.of(value).toAbsolutePath());
                    case "--layer" -> function.layer(Path.of(value).toAbsolutePath());
                    case "--name" -> function.name(value);
                    case "--memory" -> function.memoryMb(Integer.parseInt(value));
                    case "--invoke" -> invokes.add(value);
                    case "--env" -> {
                        int equals = value.indexOf('=');
                        if (equals < 1) {
                            throw new IllegalArgumentException("--env takes NAME=VALUE, was \"" + value + "\"");
                        }
                        function.environment(value.substring(0, equals), value.substring(equals + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (!hasRuntime) {
                throw new IllegalArgumentException("--runtime is required");
            }
            run(function.build(), invokes.isEmpty() ? List.of("{}") : invokes, keep);
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            System.err.println("simulate: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
    }

    private static FunctionRuntime runtime(String name) {
        return switch (name) {
            case "java" -> FunctionRuntime.java();
            case "ruby" -> FunctionRuntime.ruby();
            case "python" -> FunctionRuntime.python();
            case "node" -> FunctionRuntime.node();
            default -> throw new IllegalArgumentException("--runtime must be java, ruby, python or node, was \""
                    + name + "\"");
        };
    }

    private static void run(LambdaFunction function, List<String> invokes, boolean keep) throws Exception {
        LambdaSimulator lambda = LambdaSimulator.coldStart(function);
        try {
            System.out.println(lambda.init());
            if (lambda.init().succeeded()) {
                for (String payload : invokes) {
                    InvokeResult result = lambda.invoke(payload);
                    System.out.println(result + " (extensions done after " + result.total().toMillis() + " ms)");
                    System.out.println("  " + result.bodyText());
                    if (result.status() != InvokeResult.Status.SUCCESS
                            && result.status() != InvokeResult.Status.FUNCTION_ERROR) {
                        break; // The environment is gone, as after a timeout or a crash in Lambda.
                    }
                }
            }
            ShutdownReport shutdown = lambda.shutdown();
            for (ShutdownReport.ProcessEnd end : shutdown.processes()) {
                System.out.println("shutdown: " + end.name() + (end.killed() ? " killed" : " exited "
                        + end.exitCode().orElse(-1)) + " after " + end.untilExit().toMillis() + " ms");
            }
            System.out.println(lambda.diagnostics());
        } finally {
            if (keep) {
                lambda.shutdown();
                System.out.println("sandbox kept at " + lambda.sandbox());
            } else {
                lambda.close();
            }
        }
    }
}
