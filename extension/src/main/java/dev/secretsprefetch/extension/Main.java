// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.config.Config;
import dev.secretsprefetch.extension.config.ConfigException;
import dev.secretsprefetch.extension.config.ConfigLoader;
import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.extension.lambda.ExtensionsApi;
import dev.secretsprefetch.manifest.EnvironmentVariables;
import dev.secretsprefetch.manifest.Log;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The extension's entry point: the layer's {@code extensions/secrets-prefetch}, a native executable (or, in the
 * Amazon Linux 2 layer, a launcher script that starts it on the layer's JVM).
 *
 * <p>Without arguments it runs as a Lambda extension. With {@code prefetch [--config FILE] [--dir DIR]} it
 * fetches once and writes the manifest, for local tests and CI:
 *
 * <pre>
 * /opt/extensions/secrets-prefetch                       # as Lambda starts it
 * secrets-prefetch prefetch --config secrets-prefetch.json --dir /tmp/secrets-prefetch
 * </pre>
 */
public final class Main {

    /** The JVM layer's launcher passes its own file name here: Lambda requires it as the extension's name. */
    static final String NAME_PROPERTY = "secretsprefetch.extension.name";
    /** The launcher names the AOT cache it passes to the JVM here, so that a cache the JVM rejected is logged. */
    static final String AOT_CACHE_PROPERTY = "secretsprefetch.aot.cache";
    static final String DEFAULT_NAME = "secrets-prefetch";
    /**
     * The SDK logs through SLF4J, and the layer carries only its no-operation provider. Named here, SLF4J loads it
     * directly instead of scanning the class path with a {@code ServiceLoader}, the largest part of the SDK's first
     * use (docs/benchmarks.md, native executable); at warning verbosity it does not announce that it did.
     */
    static final String SLF4J_PROVIDER = "org.slf4j.nop.NOPServiceProvider";

    private Main() {
    }

    /**
     * Runs the extension, or the one-shot {@code prefetch} command, and exits with its status.
     *
     * @param args none, or {@code prefetch [--config FILE] [--dir DIR]}
     */
    public static void main(String[] args) {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", SLF4J_PROVIDER);
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
        Map<String, String> env = System.getenv();
        boolean fetches = args.length == 0 || args[0].equals("prefetch");
        // A young JVM's one-time costs, warmed up in parallel. The native executable has none of them (compiled
        // ahead of time, its JDK initialized at build time): there warming up measured no faster, so it is a thread
        // less (docs/benchmarks.md, native executable).
        if (fetches && !NativeExecutable.running()) {
            WarmUp.start(env);
            unusedAotCache(System.getProperty(AOT_CACHE_PROPERTY), System.getProperty("java.vm.info"))
                    .ifPresent(new Log(bootstrapLevel(env), System.out)::warn);
        }
        ConfigLoader loader = new ConfigLoader(ConfigLoader.DEFAULT_CONFIG_FILE);
        int status;
        if (args.length > 0 && args[0].equals("prefetch")) {
            status = PrefetchCommand.run(Arrays.asList(args).subList(1, args.length), env, loader, System.out,
                    Clock.systemUTC());
        } else if (args.length > 0) {
            System.out.println(args[0].equals("--help") || args[0].equals("-h")
                    ? PrefetchCommand.USAGE_TEXT
                    : "[secrets-prefetch] ERROR unknown command \"" + args[0] + "\"\n" + PrefetchCommand.USAGE_TEXT);
            status = args[0].equals("--help") || args[0].equals("-h") ? 0 : PrefetchCommand.USAGE;
        } else {
            status = runExtension(env, name(), loader, System.out);
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * The name to register under, which Lambda requires to be the file name it started: the native executable's
     * own ({@code argv[0]}), or the one the JVM layer's launcher passes.
     */
    static String name() {
        String launcher = System.getProperty(NAME_PROPERTY, "");
        String name = launcher.isBlank() && NativeExecutable.running() ? NativeExecutable.fileName() : launcher;
        return name.isBlank() ? DEFAULT_NAME : name;
    }

    /**
     * A warning when the JVM was given an AOT cache but runs without class sharing: with {@code -XX:AOTMode=auto}
     * a cache that does not match the runtime (another JDK build, other JVM options, a damaged file) is skipped
     * and the JVM starts without it, only slower. The layer's runtime carries no other class-data archive, so
     * "sharing" in {@code java.vm.info} means the cache is in use.
     */
    static Optional<String> unusedAotCache(String cache, String vmInfo) {
        if (cache == null || vmInfo != null && vmInfo.contains("sharing")) {
            return Optional.empty();
        }
        return Optional.of("the start-up cache " + cache + " was not used: it does not match this JVM (see the JVM's "
                + "[aot] lines above, if any); running without it, start-up takes longer. Rebuild the layer to "
                + "get a matching cache");
    }

    /** The extension mode: a bad configuration is reported through {@code /extension/init/error}. */
    static int runExtension(Map<String, String> env, String name, ConfigLoader loader, PrintStream out) {
        String runtimeApi = env.get(EnvironmentVariables.RUNTIME_API);
        Log bootstrap = new Log(bootstrapLevel(env), out);
        if (runtimeApi == null || runtimeApi.isBlank()) {
            bootstrap.error(EnvironmentVariables.RUNTIME_API + " is not set: not running in Lambda. For a one-shot "
                    + "fetch outside Lambda run: secrets-prefetch prefetch --config FILE --dir DIR");
            return PrefetchCommand.USAGE;
        }
        ExtensionsApi api = new ExtensionsApi(runtimeApi);
        Config config;
        Environment environment;
        try {
            config = loader.load(env);
            environment = Environment.from(env);
        } catch (ConfigException e) {
            return reportConfigError(api, name, e.getMessage(), bootstrap);
        }
        Log log = new Log(config.logLevel(), out);
        return new Extension(config, environment, api, name, log, Clock.systemUTC()).run();
    }

    /** Registers (Lambda accepts an init error only from a registered extension), reports, and fails init. */
    static int reportConfigError(ExtensionsApi api, String name, String message, Log log) {
        log.error("invalid configuration: " + message);
        return Extension.failInit(api, name, Extension.CONFIG_INVALID, message, log);
    }

    private static Log.Level bootstrapLevel(Map<String, String> env) {
        String level = env.get(EnvironmentVariables.LOG_LEVEL);
        try {
            return level == null || level.isBlank() ? Log.Level.INFO : ConfigLoader.level(level, "");
        } catch (ConfigException e) {
            return Log.Level.INFO;
        }
    }
}
