// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A Lambda runtime: the command that starts the runtime process, its own variables, and the {@code PATH}
 * the whole execution environment (extensions included) sees.
 */
interface FunctionRuntime {

    /** Where the sandbox put things, for the runtime's command line and variables. */
    record Paths(Path task, Path opt, Path tmp, String handler, int memoryMb) {
    }

    /** What to install for the Ruby functions (build/prerequisites installs the same). */
    String RUBY_INSTALL = "install Ruby 3.1+ and aws-sigv4 (Debian/Ubuntu: apt-get install -y ruby ruby-aws-sigv4)";
    /** What to install for the Python functions (build/prerequisites installs the same). */
    String PYTHON_INSTALL = "install Python 3.10+ and boto3 (Debian/Ubuntu: apt-get install -y python3 python3-boto3)";
    /** What to install for the Node.js functions: Node.js, and the SDK as the Node.js client's build installs it. */
    String NODE_INSTALL = "install Node.js 20.6+ with npm (https://nodejs.org; Debian 13+: apt-get install -y nodejs "
            + "npm), then the AWS SDK for JavaScript v3: (cd client-node && npm ci)";

    /** The runtime identifier, as in {@code AWS_EXECUTION_ENV=AWS_Lambda_<id>}. */
    String id();

    List<String> command(Paths paths);

    /** Variables only the runtime process gets, such as {@code RUBYLIB}. */
    Map<String, String> environment(Paths paths);

    /** The execution environment's {@code PATH}. */
    String path();

    /**
     * Java through AWS's runtime interface client ({@code AWSLambda <handler>}) on this machine's JDK (the
     * one running the harness, or {@code -Dsecretsprefetch.functionJavaHome}), started the way Lambda's
     * managed Java runtimes start it.
     */
    static FunctionRuntime java() {
        Path javaHome = Path.of(System.getProperty("secretsprefetch.functionJavaHome", System.getProperty("java.home")));
        return java(javaHome, Locations.javaRuntimeJars());
    }

    static FunctionRuntime java(Path javaHome, Path runtimeJars) {
        String classPath = jars(runtimeJars);
        String id = "java" + javaFeatureVersion(javaHome);
        return new FunctionRuntime() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public List<String> command(Paths paths) {
                return List.of(javaHome.resolve("bin/java").toString(),
                        "-XX:MaxHeapSize=" + (paths.memoryMb() * 85 / 100) + "m",
                        "-XX:+UseSerialGC", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                        "-Djava.net.preferIPv4Stack=true",
                        "-Djava.io.tmpdir=" + paths.tmp(),
                        "-classpath", classPath,
                        "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", paths.handler());
            }

            @Override
            public Map<String, String> environment(Paths paths) {
                return Map.of("JAVA_HOME", javaHome.toString());
            }

            @Override
            public String path() {
                return javaHome.resolve("bin") + ":" + SystemPath.standard();
            }
        };
    }

    /**
     * Ruby through this project's runtime loop ({@code src/lambda/runtime-ruby/bootstrap.rb}), with Lambda's
     * load path ({@code LAMBDA_TASK_ROOT}, then {@code /opt/ruby/lib}) and no Java anywhere on the
     * {@code PATH}: whatever Java an extension needs, it brings.
     */
    static FunctionRuntime ruby() {
        Path ruby = SystemPath.find("ruby").orElseThrow(() -> new IllegalStateException(
                "no ruby on the PATH; the Ruby function needs it; " + RUBY_INSTALL));
        return interpreted("ruby" + rubyVersion(ruby), ruby, Locations.rubyBootstrap(),
                paths -> Map.of("RUBYLIB", paths.task() + ":" + paths.opt().resolve("ruby/lib")));
    }

    /**
     * Python through this project's runtime loop ({@code src/lambda/runtime-python/bootstrap.py}) on this
     * machine's {@code python3}, with Lambda's module path ({@code LAMBDA_TASK_ROOT}, then {@code /opt/python}),
     * no bytecode written (Lambda's {@code /var/task} and {@code /opt} are read-only) and no Java on the
     * {@code PATH}. boto3, which Lambda's Python runtimes ship, is the interpreter's own.
     */
    static FunctionRuntime python() {
        Path python3 = SystemPath.find("python3").orElseThrow(() -> new IllegalStateException(
                "no python3 on the PATH; the Python function needs it; " + PYTHON_INSTALL));
        // The interpreter itself, not a wrapper such as pyenv's shim, which would look for pyenv on the PATH.
        String[] probe = output(python3.toString(), "-c",
                "import sys; print('%d.%d' % sys.version_info[:2], sys.executable)").orElse(" ").split(" ", 2);
        Path interpreter = probe[1].isBlank() ? python3 : Path.of(probe[1]);
        return interpreted("python" + probe[0], interpreter, Locations.pythonBootstrap(),
                paths -> Map.of("PYTHONPATH", paths.task() + ":" + paths.opt().resolve("python"),
                        "PYTHONDONTWRITEBYTECODE", "1"));
    }

    /**
     * Node.js through this project's runtime loop ({@code src/lambda/runtime-node/bootstrap.js}), with Lambda's
     * {@code NODE_PATH}: the layers' {@code /opt/nodejs/node<major>/node_modules} and {@code /opt/nodejs/node_modules},
     * then the runtime's own modules (in Lambda {@code /var/runtime/node_modules}, which holds the AWS SDK for
     * JavaScript v3; here the SDK the Node.js client's build installed, {@link Locations#nodeRuntimeModules()}),
     * then {@code LAMBDA_TASK_ROOT}; no Java on the {@code PATH}.
     */
    static FunctionRuntime node() {
        Path node = SystemPath.find("node").orElseThrow(() -> new IllegalStateException(
                "no node on the PATH; the Node.js function needs it; " + NODE_INSTALL));
        String major = nodeMajorVersion(node);
        Path runtimeModules = Locations.nodeRuntimeModules();
        return interpreted("nodejs" + major + ".x", node, Locations.nodeBootstrap(),
                paths -> Map.of("NODE_PATH", String.join(":",
                        paths.opt().resolve("nodejs/node" + major + "/node_modules").toString(),
                        paths.opt().resolve("nodejs/node_modules").toString(), runtimeModules.toString(),
                        paths.task().toString())));
    }

    /** An interpreter running a runtime loop, with its own variables and the {@code PATH} of a runtime without Java. */
    private static FunctionRuntime interpreted(String id, Path interpreter, Path bootstrap,
            Function<Paths, Map<String, String>> environment) {
        return new FunctionRuntime() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public List<String> command(Paths paths) {
                return List.of(interpreter.toString(), bootstrap.toString());
            }

            @Override
            public Map<String, String> environment(Paths paths) {
                return environment.apply(paths);
            }

            @Override
            public String path() {
                return SystemPath.withoutJava();
            }
        };
    }

    /**
     * Why this machine cannot run the Ruby example functions, with what to install; empty when it can. Without
     * the layer they make direct calls, which the shim signs with the aws-sigv4 gem (or the AWS SDK for Ruby).
     */
    static Optional<String> rubyUnavailable() {
        Optional<Path> ruby = SystemPath.find("ruby");
        if (ruby.isEmpty()) {
            return Optional.of("no ruby on the PATH; " + RUBY_INSTALL);
        }
        String version = rubyVersion(ruby.get());
        if (!atLeast(version, "3.1")) {
            return Optional.of("ruby " + (version.isEmpty() ? "(version unknown)" : version) + " at " + ruby.get()
                    + " is not Ruby 3.1+; " + RUBY_INSTALL);
        }
        if (!succeeds(ruby.get().toString(), "-e", "begin; require 'aws-sigv4'; rescue LoadError; "
                + "require 'aws-sdk-secretsmanager'; end")) {
            return Optional.of(ruby.get() + " has neither the aws-sigv4 gem nor the AWS SDK for Ruby; " + RUBY_INSTALL);
        }
        return Optional.empty();
    }

    /**
     * Why this machine cannot run the Python example functions, with what to install; empty when it can. Without
     * the layer they make direct calls through boto3, which Lambda's Python runtimes ship.
     */
    static Optional<String> pythonUnavailable() {
        Optional<Path> python3 = SystemPath.find("python3");
        if (python3.isEmpty()) {
            return Optional.of("no python3 on the PATH; " + PYTHON_INSTALL);
        }
        String version = output(python3.get().toString(), "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
                .orElse("");
        if (!atLeast(version, "3.10")) {
            return Optional.of("python3 " + (version.isEmpty() ? "(version unknown)" : version) + " at "
                    + python3.get() + " is not Python 3.10+; " + PYTHON_INSTALL);
        }
        if (!succeeds(python3.get().toString(), "-c", "import boto3")) {
            return Optional.of(python3.get() + " has no boto3; " + PYTHON_INSTALL);
        }
        return Optional.empty();
    }

    /**
     * Why this machine cannot run the Node.js example functions, with what to install; empty when it can. Without
     * the layer they make direct calls through the AWS SDK for JavaScript v3, which Lambda's Node.js runtimes
     * ship; here it is the Node.js client's development dependency.
     */
    static Optional<String> nodeUnavailable() {
        Optional<Path> node = SystemPath.find("node");
        if (node.isEmpty()) {
            return Optional.of("no node on the PATH; " + NODE_INSTALL);
        }
        String version = output(node.get().toString(), "-p", "process.versions.node.split('.').slice(0, 2).join('.')")
                .orElse("");
        // 20.6: module.register, the runtime loop's hook that makes import search NODE_PATH as Lambda's does.
        if (!atLeast(version, "20.6")) {
            return Optional.of("node " + (version.isEmpty() ? "(version unknown)" : version) + " at " + node.get()
                    + " is not Node.js 20.6+; " + NODE_INSTALL);
        }
        if (!Files.isDirectory(Locations.nodeRuntimeModules().resolve("@aws-sdk/client-secrets-manager"))) {
            return Optional.of("the AWS SDK for JavaScript v3 (Lambda's Node.js runtimes ship it) is not in "
                    + Locations.nodeRuntimeModules() + "; install it: (cd client-node && npm ci)");
        }
        return Optional.empty();
    }

    private static boolean atLeast(String version, String minimum) {
        return version.matches("\\d+(\\.\\d+)?")
                && Runtime.Version.parse(version).compareTo(Runtime.Version.parse(minimum)) >= 0;
    }

    /** The command's standard output, trimmed, when it exits with 0. */
    private static Optional<String> output(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            return process.waitFor() == 0 && !output.isEmpty() ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static boolean succeeds(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> jars = new ArrayList<>(files.filter(f -> f.toString().endsWith(".jar"))
                    .map(Path::toString).sorted().toList());
            if (jars.isEmpty()) {
                throw new IllegalStateException("no jars in " + dir + "; build first: " + Locations.BUILD_COMMAND);
            }
            return String.join(":", jars);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String javaFeatureVersion(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.replaceAll("[^0-9.]", "").split("\\.")[0];
                }
            }
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            // Not a JDK layout we know: the identifier is cosmetic.
        }
        return "";
    }

    private static String rubyVersion(Path ruby) {
        return output(ruby.toString(), "-e", "print RUBY_VERSION[/\\A\\d+\\.\\d+/]").orElse("");
    }

    private static String nodeMajorVersion(Path node) {
        return output(node.toString(), "-p", "process.versions.node.split('.')[0]").orElse("");
    }
}
