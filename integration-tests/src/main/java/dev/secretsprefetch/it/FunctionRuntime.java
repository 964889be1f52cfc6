package dev.secretsprefetch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        Path bootstrap = Locations.rubyBootstrap();
        String id = "ruby" + rubyVersion(ruby);
        return new FunctionRuntime() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public List<String> command(Paths paths) {
                return List.of(ruby.toString(), bootstrap.toString());
            }

            @Override
            public Map<String, String> environment(Paths paths) {
                return Map.of("RUBYLIB", paths.task() + ":" + paths.opt().resolve("ruby/lib"));
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
        if (!version.matches("\\d+\\.\\d+")
                || Runtime.Version.parse(version).compareTo(Runtime.Version.parse("3.1")) < 0) {
            return Optional.of("ruby " + (version.isEmpty() ? "(version unknown)" : version) + " at " + ruby.get()
                    + " is not Ruby 3.1+; " + RUBY_INSTALL);
        }
        if (!succeeds(ruby.get().toString(), "-e", "begin; require 'aws-sigv4'; rescue LoadError; "
                + "require 'aws-sdk-secretsmanager'; end")) {
            return Optional.of(ruby.get() + " has neither the aws-sigv4 gem nor the AWS SDK for Ruby; " + RUBY_INSTALL);
        }
        return Optional.empty();
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
        try {
            Process process = new ProcessBuilder(ruby.toString(), "-e", "print RUBY_VERSION[/\\A\\d+\\.\\d+/]")
                    .redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes()).trim();
            return process.waitFor() == 0 && !version.isEmpty() ? version : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
