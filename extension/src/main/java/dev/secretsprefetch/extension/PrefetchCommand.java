// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.aws.SignedCalls;
import dev.secretsprefetch.extension.config.Config;
import dev.secretsprefetch.extension.config.ConfigException;
import dev.secretsprefetch.extension.config.ConfigLoader;
import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.extension.publish.ManifestWriter;
import dev.secretsprefetch.manifest.Log;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code secrets-prefetch prefetch [--config FILE] [--dir DIR]}: one fetch round through the extension's own
 * code path, without the Extensions API, for local tests and CI.
 */
final class PrefetchCommand {

    static final int OK = 0;
    static final int NOT_WRITTEN = 1;
    static final int USAGE = 2;
    static final int SOME_FAILED = 3;

    static final String USAGE_TEXT = "usage: secrets-prefetch prefetch [--config FILE] [--dir DIR]\n"
            + "  Fetches the configured secrets once and writes the manifest (and any per-secret files).\n"
            + "  --config FILE  configuration file (default: $SECRETS_PREFETCH_CONFIG, $SECRETS_PREFETCH_SECRETS,\n"
            + "                 then /var/task/secrets-prefetch.json)\n"
            + "  --dir DIR      secrets directory (default: the configuration's, $SECRETS_PREFETCH_DIR,\n"
            + "                 then /tmp/secrets-prefetch)\n"
            + "  exit status: 0 all fetched, 3 written with error entries, 1 not written, 2 bad usage or config";

    private PrefetchCommand() {
    }

    static int run(List<String> args, Map<String, String> env, ConfigLoader loader, PrintStream out, Clock clock) {
        Optional<Path> configFile = Optional.empty();
        Optional<Path> directory = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                out.println(USAGE_TEXT);
                return OK;
            }
            boolean config = arg.equals("--config");
            if ((config || arg.equals("--dir")) && i + 1 < args.size()) {
                Path value = Path.of(args.get(++i));
                if (config) {
                    configFile = Optional.of(value);
                } else {
                    directory = Optional.of(value.toAbsolutePath().normalize());
                }
            } else {
                out.println("[secrets-prefetch] ERROR " + (config || arg.equals("--dir") ? arg + " needs a value"
                        : "unknown argument \"" + arg + "\"") + "\n" + USAGE_TEXT);
                return USAGE;
            }
        }
        Config config;
        Environment environment;
        try {
            config = loader.load(env, configFile, directory);
            environment = Environment.from(env);
        } catch (ConfigException e) {
            out.println("[secrets-prefetch] ERROR " + e.getMessage());
            return USAGE;
        }
        Log log = new Log(config.logLevel(), out);
        try (SignedCalls calls = new SignedCalls(environment);
                Fetcher fetcher = new Fetcher(calls, environment.defaultRegion(), log, clock)) {
            Publisher publisher = new Publisher(config, fetcher, log, clock);
            try {
                publisher.pending();
            } catch (ManifestWriter.UnusableDirectoryException e) {
                log.error(e.getMessage());
                return NOT_WRITTEN;
            }
            Optional<FetchRound> round = publisher.initial(config.fetchDeadline());
            if (round.isEmpty()) {
                return NOT_WRITTEN;
            }
            log.info("manifest written to " + config.directory());
            return round.get().failures() == 0 ? OK : SOME_FAILED;
        }
    }
}
