package dev.secretsprefetch.extension;

import dev.secretsprefetch.manifest.Log;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The extension's lifecycle: pending manifest, register, fetch, ready manifest, then the event loop that
 * refreshes on INVOKE and cleans up on SHUTDOWN. Under SnapStart nothing is written during init: the first
 * INVOKE fetches instead.
 */
final class Extension {

    /** The error type Lambda shows for a configuration the extension cannot use. */
    static final String CONFIG_INVALID = "Extension.ConfigInvalid";
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
        try (SecretsManagerClients clients = new SecretsManagerClients(environment, config.fetchDeadline());
                Fetcher fetcher = new Fetcher(clients, environment.defaultRegion(), log, clock)) {
            Publisher publisher = new Publisher(config, fetcher, log, clock);
            if (!environment.snapStart()) {
                publisher.pending();
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
            } else {
                publisher.initial(config.fetchDeadline());
            }
            return loop(identifier, publisher);
        }
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
                publisher.cleanUp();
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
        if (bound.compareTo(MIN_ROUND) < 0) {
            return;
        }
        if (!publisher.isReady()) {
            publisher.pending();
            publisher.initial(bound);
        } else if (publisher.refreshDue()) {
            publisher.refresh(bound);
        }
    }
}
