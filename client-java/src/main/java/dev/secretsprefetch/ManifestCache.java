// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

import dev.secretsprefetch.manifest.Log;
import dev.secretsprefetch.manifest.Manifest;
import dev.secretsprefetch.manifest.ManifestFiles;
import dev.secretsprefetch.manifest.ManifestFormatException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Optional;

/**
 * The parsed manifest, held in memory. The file is looked at (one {@code stat}) at most once per
 * {@link #RECHECK_INTERVAL_MS} and re-read only when its identity (inode, mtime, size) changed, so a warm
 * {@code get} costs no file-system call, and a new generation is seen within a second. A read that failed
 * (EMFILE, ENOMEM, EACCES, ...) says nothing about the file's content, so it is tried again at the next check
 * even though the identity is the same; only a verdict on the content (corrupt, unknown version) is kept.
 *
 * <p>A manifest that cannot be used (unreadable, corrupt, unknown format version) is treated as absent and
 * reported by one warning per instance; the process-wide client has one instance.
 */
final class ManifestCache {

    static final long RECHECK_INTERVAL_MS = 1000;

    private final Path directory;
    private final Path file;
    private final Clock clock;
    private final Log log;
    /** Guarded by this: only {@link #recheck}, synchronized, reads files and warns. */
    private boolean warned;
    private volatile Snapshot snapshot;

    ManifestCache(Path directory, Clock clock, Log log) {
        this.directory = directory;
        this.file = directory.resolve(ManifestFiles.MANIFEST_FILE);
        this.clock = clock;
        this.log = log;
    }

    /** The manifest as last seen, re-checked first if the interval has passed; empty when there is none. */
    Optional<Manifest> current() {
        Snapshot s = snapshot;
        long now = clock.millis();
        // A clock that went backwards also triggers a check, so a wall-clock step can never freeze the cache.
        if (s == null || now - s.checkedAtMs >= RECHECK_INTERVAL_MS || now < s.checkedAtMs) {
            s = recheck(false);
        }
        return s.manifest;
    }

    /** Looks at the file now, whatever the interval says: used while waiting for a pending manifest. */
    Optional<Manifest> reload() {
        return recheck(true).manifest;
    }

    Path directory() {
        return directory;
    }

    private synchronized Snapshot recheck(boolean force) {
        long now = clock.millis();
        Snapshot s = snapshot;
        if (!force && s != null && now - s.checkedAtMs < RECHECK_INTERVAL_MS && now >= s.checkedAtMs) {
            return s; // another thread re-checked while this one waited for the lock
        }
        // Stat before reading: if the file is replaced in between, the next check sees other attributes and reads
        // again, rather than keeping the new file's attributes with the old file's content.
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            attributes = null;
        } catch (IOException e) {
            // Unreadable attributes: the read reports why, and its failure makes the next check retry.
            s = read(null, now);
            snapshot = s;
            return s;
        }
        if (s != null && !s.readFailed && ManifestFiles.sameFile(attributes, s.attributes)) {
            s = new Snapshot(s.manifest, attributes, now, false);
        } else if (attributes == null) {
            log.debug("no manifest at " + file + "; secrets come from Secrets Manager directly");
            s = new Snapshot(Optional.empty(), null, now, false);
        } else if (!attributes.isRegularFile()) {
            // Never opened: a link is not followed, and opening a FIFO would block the handler.
            warnOnce("manifest " + file + " is not a regular file (" + ManifestFiles.notRegularFile(attributes) + ")");
            s = new Snapshot(Optional.empty(), attributes, now, false);
        } else {
            s = read(attributes, now);
        }
        snapshot = s;
        return s;
    }

    private Snapshot read(BasicFileAttributes attributes, long now) {
        try {
            Optional<Manifest> manifest = ManifestFiles.read(directory);
            if (manifest.isPresent() && log.enabled(Log.Level.DEBUG)) {
                log.debug("read manifest generation " + manifest.get().generation() + " ("
                        + manifest.get().state() + ") from " + file);
            }
            return new Snapshot(manifest, attributes, now, false);
        } catch (ManifestFormatException e) {
            warnOnce("manifest " + file + " cannot be used: " + e.getMessage());
            return new Snapshot(Optional.empty(), attributes, now, false);
        } catch (IOException e) {
            // A file-system reason names the path and the cause; it cannot hold the file's content.
            String reason = e instanceof FileSystemException fs && fs.getReason() != null ? ": " + fs.getReason() : "";
            warnOnce("manifest " + file + " cannot be read (" + e.getClass().getSimpleName() + reason + "); check "
                    + "its owner and mode (0600, the function's user)");
            return new Snapshot(Optional.empty(), attributes, now, true);
        }
    }

    private void warnOnce(String problem) {
        if (!warned) {
            warned = true;
            log.warn(problem + "; falling back to direct Secrets Manager calls");
        } else {
            log.debug(problem);
        }
    }

    /**
     * What the file's attributes were when last looked at ({@code lstat}; null when there was no file), and what
     * it held; {@code readFailed}: look again next time.
     */
    private static final class Snapshot {
        final Optional<Manifest> manifest;
        final BasicFileAttributes attributes;
        final long checkedAtMs;
        final boolean readFailed;

        Snapshot(Optional<Manifest> manifest, BasicFileAttributes attributes, long checkedAtMs, boolean readFailed) {
            this.manifest = manifest;
            this.attributes = attributes;
            this.checkedAtMs = checkedAtMs;
            this.readFailed = readFailed;
        }
    }
}
