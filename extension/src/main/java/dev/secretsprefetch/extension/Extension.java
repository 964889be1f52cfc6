// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension;

import dev.secretsprefetch.extension.aws.SignedCalls;
import dev.secretsprefetch.extension.config.Config;
import dev.secretsprefetch.extension.config.ConfigLoader;
import dev.secretsprefetch.extension.config.Environment;
import dev.secretsprefetch.extension.lambda.ExtensionEvent;
import dev.secretsprefetch.extension.lambda.ExtensionsApi;
import dev.secretsprefetch.extension.publish.ManifestWriter;
import dev.secretsprefetch.manifest.Log;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The extension's lifecycle: pending manifest, register, fetch, ready manifest (or, with {@code runtimeStart}
 * {@code afterSecrets}, fetch and ready manifest before registering, so that the runtime, which Lambda starts
 * once every extension has registered, finds them in place), then the event loop that refreshes on INVOKE and
 * cleans up on SHUTDOWN. Under SnapStart nothing is written during init: the first INVOKE fetches instead.
 */
final class Extension {

    /** The error type Lambda shows for a configuration the extension cannot use. */
    static final String CONFIG_INVALID = "Extension.ConfigInvalid";
    /** The error type Lambda shows for a secrets directory the extension cannot write: a symbolic link, say. */
    static final String DIRECTORY_UNUSABLE = "Extension.DirectoryUnusable";
    /** What an INVOKE-time fetch leaves of the invocation's time, so the extension is never the one that times out. */
    static final Duration INVOKE_SAFETY = Duration.ofMillis(200);
    /** Less time than this is not worth a fetch round; the next INVOKE tries again. */
    static final Duration MIN_ROUND = Duration.ofMillis(50);

    private final Config config;
    private final Environment environment;
    private final ExtensionsApi api;
    private final String name;
    private final Log log;
    private final Clock clock;
    /** Set when the directory turned out unusable at an INVOKE (SnapStart): nothing is written from then on. */
    private boolean directoryUnusable;

    Extension(Config config, Environment environment, ExtensionsApi api, String name, Log log, Clock clock) {
        this.config = config;
        this.environment = environment;
        this.api = api;
        this.name = name;
        this.log = log;
        this.clock = clock;
    }

    /** Runs until SHUTDOWN (exit code 0) or until the Extensions API fails (non-zero). */
    int run() {
        try (SignedCalls calls = new SignedCalls(environment);
                Fetcher fetcher = new Fetcher(calls, environment.defaultRegion(), log, clock)) {
            Publisher publisher = new Publisher(config, fetcher, log, clock);
            if (!environment.snapStart()) {
                try {
                    publisher.pending();
                } catch (ManifestWriter.UnusableDirectoryException e) {
                    // Like a bad configuration, it will not pass: fail the init where the developer sees it.
                    log.error(e.getMessage());
                    return failInit(api, name, DIRECTORY_UNUSABLE, e.getMessage(), log);
                }
            }
            boolean secretsFirst = explainRuntimeStart();
            if (secretsFirst) {
                publisher.initial(config.fetchDeadline());
            }
            String identifier;
            try {
                identifier = api.register(name);
            } catch (IOException e) {
                log.error("cannot register extension " + name + ": " + e.getMessage());
                // Readers would otherwise wait for a ready manifest that never comes.
                publisher.cleanUp();
                return 1;
            }
            log.debug("registered as " + name + " for " + ExtensionsApi.EVENTS);
            if (environment.snapStart()) {
                log.info("SnapStart init: no secret is fetched or written until the first invocation");
            } else if (!secretsFirst) {
                publisher.initial(config.fetchDeadline());
            }
            return loop(identifier, publisher);
        }
    }

    /**
     * Whether to fetch before registering, with the one line a configuration needs when the order matters for
     * its files.
     */
    private boolean explainRuntimeStart() {
        boolean afterSecrets = config.runtimeStart() == Config.RuntimeStart.AFTER_SECRETS;
        List<String> files = config.secrets().stream().flatMap(s -> s.file().stream()).toList();
        if (afterSecrets && environment.snapStart()) {
            log.warn("runtimeStart " + Config.RuntimeStart.AFTER_SECRETS.text() + " does not apply under SnapStart: "
                    + "no value may be written during the init the snapshot keeps, so the secrets and files are "
                    + "written at the first invocation after a restore, while its handler runs; read the files in "
                    + "the handler, or use a client, which waits for them");
        } else if (afterSecrets) {
            log.debug("runtimeStart " + Config.RuntimeStart.AFTER_SECRETS.text() + ": fetching before registering, "
                    + "so the runtime starts once the secrets are written");
        } else if (!files.isEmpty() && !environment.snapStart()) {
            log.info("the files " + String.join(", ", files.subList(0, Math.min(3, files.size())))
                    + (files.size() > 3 ? ", ..." : "") + " are written while the function's runtime starts, so code "
                    + "that reads them in its init may not find them yet; to write them before it starts, set "
                    + "\"runtimeStart\": \"" + Config.RuntimeStart.AFTER_SECRETS.text() + "\" in the configuration (or "
                    + ConfigLoader.RUNTIME_START + "=" + Config.RuntimeStart.AFTER_SECRETS.text()
                    + "): docs/configuration.md, \"When the runtime starts\"");
        }
        return afterSecrets && !environment.snapStart();
    }

    private int loop(String identifier, Publisher publisher) {
        while (true) {
            ExtensionEvent event;
            try {
                event = api.next(identifier);
            } catch (IOException e) {
                log.error("cannot get the next event: " + e.getMessage());
                return 1;
            }
            if (event.isShutdown()) {
                log.debug("SHUTDOWN (" + event.shutdownReason().orElse("no reason given") + ")");
                if (!directoryUnusable) {
                    publisher.cleanUp();
                }
                return 0;
            }
            if (event.isInvoke()) {
                try {
                    onInvoke(event, publisher);
                } catch (RuntimeException e) {
                    log.error("INVOKE handling failed: " + e.getClass().getSimpleName());
                }
            }
        }
    }

    /**
     * Runs while the function's handler runs: the handler's response never waits for it; the next event is
     * requested once the round is done or its bound has passed.
     */
    private void onInvoke(ExtensionEvent event, Publisher publisher) {
        Duration bound = config.fetchDeadline();
        if (event.deadlineEpochMs() > 0) {
            Duration untilDeadline = Duration.ofMillis(event.deadlineEpochMs() - clock.millis()).minus(INVOKE_SAFETY);
            bound = untilDeadline.compareTo(bound) < 0 ? untilDeadline : bound;
        }
        if (bound.compareTo(MIN_ROUND) < 0 || directoryUnusable) {
            return;
        }
        if (publisher.isReady()) {
            if (publisher.refreshDue()) {
                publisher.refresh(bound);
            }
        } else if (publisher.canRetryWrite()) {
            publisher.retryWrite();
        } else {
            try {
                publisher.pending();
            } catch (ManifestWriter.UnusableDirectoryException e) {
                directoryUnusable = true;
                log.error(e.getMessage() + "; no manifest is written in this environment, clients call Secrets "
                        + "Manager themselves");
                return;
            }
            publisher.initial(bound);
        }
    }

    /**
     * Reports a problem that stops the extension through {@code /extension/init/error} (Lambda takes it only
     * from a registered extension), so that the init fails with the message in the function's logs.
     */
    static int failInit(ExtensionsApi api, String name, String errorType, String message, Log log) {
        try {
            String identifier = api.register(name);
            api.initError(identifier, errorType, message);
        } catch (IOException e) {
            log.error("cannot report the error (" + errorType + ") to Lambda: " + e.getMessage());
        }
        return 1;
    }
}
