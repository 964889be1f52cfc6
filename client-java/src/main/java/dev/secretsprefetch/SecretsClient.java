// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.SecretsException.Reason;
import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.SecretEntry;
import dev.secretsprefetch.manifest.SecretValue;
import dev.secretsprefetch.manifest.Whitespace;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Secrets} delegates to: the decision, per call, between the manifest and a direct call
 * (docs/manifest.md, "Rules for readers"). One instance per process in production; tests build their own
 * with an environment map, a clock and a log stream.
 */
final class SecretsClient implements AutoCloseable {

    private final ClientConfig config;
    private final Log log;
    private final ManifestCache manifests;
    private final Clock clock;
    /** Created on the first pending manifest: loading and verifying it costs a cold start milliseconds. */
    private PendingWait pendingWait;
    /** A test scope's stand-in for Secrets Manager ({@link TestScopes}); null in a function. */
    private final OfflineCalls offline;
    /** Created on the first direct call: a cold start served by the manifest never loads it. */
    private volatile DirectCalls directCalls;
    private final Object directLock = new Object();

    SecretsClient(ClientConfig config, Clock clock, PrintStream logStream) {
        this(config, clock, logStream, null);
    }

    /**
     * A client whose direct calls go to {@code offline} instead of Secrets Manager: what a test scope
     * ({@link TestScopes}) uses, so that a name its fake manifest cannot serve never becomes a call.
     */
    SecretsClient(ClientConfig config, Clock clock, PrintStream logStream, OfflineCalls offline) {
        this.offline = offline;
        this.config = config;
        this.log = new Log(config.logLevel(), logStream);
        this.manifests = new ManifestCache(config.directory(), clock, log);
        this.clock = clock;
        if (!config.unknownVariables().isEmpty()) {
            log.warn("ignoring unknown environment variables " + config.unknownVariables() + "; the client reads "
                    + "SECRETS_PREFETCH_DIR, SECRETS_PREFETCH_WAIT_MS and SECRETS_PREFETCH_LOG_LEVEL");
        }
    }

    /**
     * The client {@code environment} configures, on the system clock, logging to standard output.
     *
     * @throws IllegalArgumentException naming the variable when a setting is invalid
     */
    static SecretsClient fromEnvironment(Map<String, String> environment) {
        return new SecretsClient(ClientConfig.from(environment), WallClock.INSTANCE, System.out);
    }

    String get(String name) {
        return text(name, value(name), "Secrets.getBinary");
    }

    byte[] getBinary(String name) {
        SecretValue value = value(name);
        if (value instanceof SecretValue.Binary binary) {
            return binary.bytes();
        }
        throw new SecretsException(Reason.WRONG_TYPE, name, "the secret is a string, not binary; use Secrets.get");
    }

    String getField(String name, String field) {
        Objects.requireNonNull(field, "field");
        return JsonSecrets.field(name, text(name, value(name), "Secrets.getBinary and parse it"), field);
    }

    <T> T getJson(String name, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return JsonBinding.read(name, text(name, value(name), "Secrets.getBinary and parse it"), type);
    }

    private static String text(String name, SecretValue value, String instead) {
        if (value instanceof SecretValue.Text text) {
            return text.value();
        }
        throw new SecretsException(Reason.WRONG_TYPE, name, "the secret is binary, not a string; use " + instead);
    }

    /** The value for {@code name}: from the manifest when it has one, else from Secrets Manager or SSM. */
    SecretValue value(String name) {
        Objects.requireNonNull(name, "name");
        if (Whitespace.isBlank(name)) {
            throw new IllegalArgumentException("secret name must not be empty or only whitespace; pass the name "
                    + "configured for the extension, or a secret id or ARN");
        }
        Optional<Manifest> manifest = manifests.current();
        if (manifest.isPresent() && manifest.get().state() == Manifest.State.PENDING) {
            manifest = pendingWait().await(manifest.get(), name);
        }
        if (manifest.isPresent() && manifest.get().state() == Manifest.State.READY) {
            Optional<SecretEntry> entry = manifest.get().resolve(name);
            if (entry.isPresent()) {
                SecretEntry found = entry.get();
                SecretValue value = found.value();
                // Text and Binary first: an instanceof loads its class, and a cold start that finds its secret
                // need never load Failure's.
                if (value instanceof SecretValue.Text || value instanceof SecretValue.Binary) {
                    return value;
                }
                SecretValue.Failure failure = (SecretValue.Failure) value;
                SecretRequest direct = found.source() instanceof SecretEntry.Parameter parameter
                        ? SecretRequest.parameter(parameter.parameter())
                        : SecretRequest.secret(found.secretId(), found.requestedVersionId(),
                                found.requestedVersionStage());
                if (log.enabled(Log.Level.DEBUG)) {
                    log.debug("secret \"" + name + "\": the extension could not fetch it (" + failure.code()
                            + "); calling " + direct.service() + " directly");
                }
                return direct().cache().get(direct, request -> fetch(name, request));
            }
            if (log.enabled(Log.Level.DEBUG)) {
                log.debug("secret \"" + name + "\": not in manifest generation " + manifest.get().generation()
                        + "; calling " + SecretRequest.forName(name).service() + " directly");
            }
        }
        return direct().cache().get(SecretRequest.forName(name), request -> fetch(name, request));
    }

    private synchronized PendingWait pendingWait() {
        if (pendingWait == null) {
            pendingWait = new PendingWait(manifests, clock, log, config.waitCapMs());
        }
        return pendingWait;
    }

    private DirectCalls direct() {
        DirectCalls current = directCalls;
        if (current == null) {
            synchronized (directLock) {
                current = directCalls;
                if (current == null) {
                    current = new DirectCalls(new FallbackCache(clock),
                            offline != null ? null : new DirectFetcher(config));
                    directCalls = current;
                }
            }
        }
        return current;
    }

    private SecretValue fetch(String name, SecretRequest request) {
        return offline != null ? offline.fetch(name, request) : direct().fetcher().fetch(name, request);
    }

    /** Closes the SDK clients, if any were built; a later direct call builds them again. */
    @Override
    public void close() {
        DirectCalls current = directCalls;
        if (current != null && current.fetcher() != null) {
            current.fetcher().close();
        }
    }

    /**
     * The direct calls' cache, and their fetcher (none in a test scope, whose calls go to {@link OfflineCalls}); the
     * fetcher builds its SDK clients with the first call that needs each.
     */
    private record DirectCalls(FallbackCache cache, DirectFetcher fetcher) {
    }
}
