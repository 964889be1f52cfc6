// SPDX-License-Identifier: Apache-2.0
'use strict';

const fs = require('node:fs');
const { parseManifest, ManifestFormatError } = require('./manifest.js');

/** Readers refuse larger files unread: an extension never writes one (values are at most 64 KB each). */
const MAX_BYTES = 64 * 1024 * 1024;
/** The file is looked at (one lstat) at most this often, so a warm get costs no file-system call. */
const RECHECK_MS = 1000;
// O_NOFOLLOW: a symbolic link is never followed, wherever it points. O_NONBLOCK: a FIFO put in place between
// the lstat and the open cannot block the process; fstat then refuses it.
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

/**
 * The manifest file as this process last saw it. The parsed manifest is kept in memory; the file is re-checked
 * at most once per RECHECK_MS and re-read only when its identity (device, inode, size, mtime, ctime) changed.
 * A verdict on content (a manifest, or corrupt, or unknown version) is kept under the identity of the bytes it
 * was made from; a failed look or read is not, so it is retried at the next check. A file that cannot be used
 * is treated as absent, with one warning per instance (the process-wide client has one).
 *
 * Synchronous file-system calls, on purpose: a stat and a read of a small local file cost microseconds, less
 * than a trip through libuv's thread pool, and a read can never interleave with another call's.
 */
class ManifestSource {
  /**
   * @param {string} path the manifest file
   * @param {{monotonicMs(): number}} clock
   * @param {import('./log').Log} log
   * @param {typeof fs} [fileSystem] the node:fs functions used (lstatSync, openSync, fstatSync, readSync, closeSync)
   */
  constructor(path, clock, log, fileSystem = fs) {
    this.path = path;
    this.clock = clock;
    this.log = log;
    this.fs = fileSystem;
    this.manifest = null;
    this.identity = null;
    this.checkedAt = -Infinity;
    this.warned = false;
    this.absentLogged = false;
  }

  /** @returns {import('./manifest').Manifest | null} the manifest, re-checked first if the interval has passed */
  current() {
    if (this.clock.monotonicMs() - this.checkedAt >= RECHECK_MS) {
      this.recheck();
    }
    return this.manifest;
  }

  /** Looks at the file now, whatever the interval says: used while waiting for a pending manifest. */
  reload() {
    this.recheck();
    return this.manifest;
  }

  recheck() {
    this.checkedAt = this.clock.monotonicMs();
    let stat;
    try {
      stat = this.fs.lstatSync(this.path);
    } catch (e) {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') {
        this.absent();
      } else {
        this.unusable(`cannot be looked at (${e.code ?? e.name}); check the secrets directory's owner and mode`);
      }
      return;
    }
    if (this.identity !== null && identityOf(stat) === this.identity) {
      return;
    }
    if (stat.isSymbolicLink()) {
      this.unusable('is a symbolic link, which readers never follow');
    } else if (!stat.isFile()) {
      // Never opened: opening a FIFO for reading would block.
      this.unusable('is not a regular file (a directory, FIFO or device)');
    } else {
      this.read();
    }
  }

  /** Reads through the descriptor it fstats, so the identity kept is that of the bytes parsed. */
  read() {
    let fd;
    let identity = null;
    try {
      fd = this.fs.openSync(this.path, OPEN_FLAGS);
      const stat = this.fs.fstatSync(fd);
      if (!stat.isFile()) {
        this.unusable('is not a regular file (a directory, FIFO or device)');
        return;
      }
      identity = identityOf(stat);
      const bytes = stat.size > MAX_BYTES ? null : this.readAll(fd, stat.size);
      if (bytes === null) {
        this.verdict(identity, null, `cannot be used: it is more than ${MAX_BYTES} bytes, larger than any manifest; `
          + 'remove it');
        return;
      }
      const manifest = parseManifest(bytes);
      this.verdict(identity, manifest, null);
      if (this.log.enabled('debug')) {
        this.log.debug(`read manifest generation ${manifest.generation} (${manifest.state}, `
          + `${manifest.secrets.size} secrets) from ${this.path}`);
      }
    } catch (e) {
      if (e instanceof ManifestFormatError) {
        this.verdict(identity, null, `cannot be used: ${e.message}`);
      } else if (e.code === 'ELOOP') {
        this.unusable('is a symbolic link, which readers never follow');
      } else if (e.code === 'ENOENT') {
        this.absent();
      } else {
        // A file-system error code names the cause; it cannot hold the file's content.
        this.unusable(`cannot be read (${e.code ?? e.name}); check its owner and mode (0600, the function's user)`);
      }
    } finally {
      if (fd !== undefined) {
        this.fs.closeSync(fd);
      }
    }
  }

  /** Up to MAX_BYTES + 1 bytes (the file may grow after the fstat), or null when there are more than MAX_BYTES. */
  readAll(fd, expected) {
    let buffer = Buffer.allocUnsafe(Math.min(expected + 1, MAX_BYTES + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_BYTES) {
          return null;
        }
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_BYTES + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const n = this.fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) {
        return buffer.subarray(0, length);
      }
      length += n;
    }
  }

  /** A verdict on the file's content, kept until its identity changes. */
  verdict(identity, manifest, problem) {
    this.manifest = manifest;
    this.identity = identity;
    this.absentLogged = false;
    if (problem !== null) {
      this.warnOnce(problem);
    }
  }

  /** Not a verdict on content: nothing is kept, so the next check tries again. */
  unusable(problem) {
    this.manifest = null;
    this.identity = null;
    this.absentLogged = false;
    this.warnOnce(problem);
  }

  absent() {
    this.manifest = null;
    this.identity = null;
    if (!this.absentLogged) {
      this.absentLogged = true;
      this.log.debug(`no manifest at ${this.path}; secrets come from Secrets Manager directly`);
    }
  }

  warnOnce(problem) {
    if (this.warned) {
      this.log.debug(`manifest ${this.path} ${problem}`);
      return;
    }
    this.warned = true;
    this.log.warn(`manifest ${this.path} ${problem}; treating it as absent, secrets come from Secrets Manager `
      + 'directly (this warning is shown once per process)');
  }
}

/** Every atomic replace changes the inode; a rewrite in place changes mtime or size; a chmod changes ctime. */
function identityOf(stat) {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
}

module.exports = { ManifestSource, MAX_BYTES, RECHECK_MS };
