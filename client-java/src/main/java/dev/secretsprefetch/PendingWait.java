// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.Manifest;
import java.io.IOException;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a {@code pending} manifest to become ready, without spinning: a {@link WatchService} on the
 * secrets directory wakes the wait when the extension renames the new manifest into place, and a bounded
 * poll is the safety net for file systems whose events are late or missing.
 */
final class PendingWait {

    /** The longest sleep between two looks at the file, events or not. */
    static final long POLL_MS = 50;

    private final ManifestCache manifests;
    private final Clock clock;
    private final Log log;
    private final long capMs;
    /** One watcher at a time: threads that arrive meanwhile find the result when they get the lock. */
    private final Object watching = new Object();

    PendingWait(ManifestCache manifests, Clock clock, Log log, long capMs) {
        this.manifests = manifests;
        this.clock = clock;
        this.log = log;
        this.capMs = capMs;
    }

    /**
     * Waits until the manifest is no longer pending, or until the earlier of its deadline and this call's
     * start plus the cap; returns the manifest as it is then (possibly still pending, absent or unusable). With
     * no time left to wait it still looks at the file once: the pending manifest in memory may be up to a
     * second old, and the extension may have written ready since.
     *
     * @throws SecretsException when the thread is interrupted while waiting
     */
    Optional<Manifest> await(Manifest pending, String secretName) {
        long start = clock.millis();
        long deadline = Math.min(pending.deadlineEpochMs(), start + capMs);
        if (start >= deadline) {
            return manifests.reload();
        }
        synchronized (watching) {
            Optional<Manifest> seen = watchUntil(deadline, secretName);
            if (stillPending(seen)) {
                log.info("manifest still pending after waiting " + (clock.millis() - start) + " ms for \""
                        + secretName + "\"; calling Secrets Manager directly");
            }
            return seen;
        }
    }

    private Optional<Manifest> watchUntil(long deadline, String secretName) {
        WatchService watch = openWatch();
        try {
            // Registered before this look, so a rename between the look and the poll still wakes the poll.
            Optional<Manifest> seen = manifests.reload();
            long remaining;
            while (stillPending(seen) && (remaining = deadline - clock.millis()) > 0) {
                pause(watch, Math.min(remaining, POLL_MS), secretName);
                seen = manifests.reload();
            }
            return seen;
        } finally {
            close(watch);
        }
    }

    private static boolean stillPending(Optional<Manifest> manifest) {
        return manifest.isPresent() && manifest.get().state() == Manifest.State.PENDING;
    }

    private WatchService openWatch() {
        WatchService watch = null;
        try {
            watch = manifests.directory().getFileSystem().newWatchService();
            manifests.directory().register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            return watch;
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot watch " + manifests.directory() + " (" + e.getClass().getSimpleName()
                    + "); polling every " + POLL_MS + " ms instead");
            close(watch);
            return null;
        }
    }

    private static void pause(WatchService watch, long millis, String secretName) {
        try {
            if (watch == null) {
                Thread.sleep(millis);
                return;
            }
            WatchKey key = watch.poll(millis, TimeUnit.MILLISECONDS);
            if (key != null) {
                key.pollEvents();
                key.reset();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecretsException(SecretsException.Reason.OTHER, secretName,
                    "interrupted while waiting for the secrets-prefetch extension to finish fetching", e);
        }
    }

    private static void close(WatchService watch) {
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                // nothing was written; a failed close leaks at most one inotify descriptor
            }
        }
    }
}
