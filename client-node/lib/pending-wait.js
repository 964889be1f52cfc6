// SPDX-License-Identifier: Apache-2.0
'use strict';

const fs = require('node:fs');
const { VARIABLES } = require('./config.js');

/** The longest pause between two looks at the file, whether or not a file-system event came. */
const POLL_MS = 50;

/**
 * Waits for a pending manifest to become ready, without spinning: fs.watch on the secrets directory wakes the
 * wait when the extension renames the next manifest into place, and a look every POLL_MS is the safety net for
 * file systems whose events are late or missing. Calls that wait at the same time share one watcher and one
 * look per wake-up; each stops at its own deadline.
 */
class PendingWait {
  /**
   * @param {import('./manifest-source').ManifestSource} source
   * @param {{epochMs(): number}} clock
   * @param {import('./log').Log} log
   * @param {{directory: string, waitMs: number}} config
   * @param {{watch?: typeof fs.watch, pollMs?: number}} [options] for tests
   */
  constructor(source, clock, log, config, options = {}) {
    this.source = source;
    this.clock = clock;
    this.log = log;
    this.directory = config.directory;
    this.capMs = config.waitMs;
    this.watch = options.watch ?? fs.watch;
    this.pollMs = options.pollMs ?? POLL_MS;
    this.waiters = [];
    this.running = false;
    this.wake = null;
    this.stuckGeneration = null;
  }

  /**
   * Waits until the manifest is no longer pending, or until the earlier of its deadline and now plus
   * SECRETS_PREFETCH_WAIT_MS; resolves to the manifest as it is then (possibly still pending, or null).
   * @param {import('./manifest').Manifest} pending
   * @returns {Promise<import('./manifest').Manifest | null>}
   */
  wait(pending) {
    const start = this.clock.epochMs();
    const deadline = Math.min(pending.deadlineEpochMs, start + this.capMs);
    if (start >= deadline) {
      return Promise.resolve(pending);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ start, deadline, resolve, reject });
      if (!this.running) {
        this.running = true;
        this.run().catch((e) => {
          // Not a file-system problem (those make the manifest absent): no caller may wait forever on it.
          const stranded = this.waiters;
          this.waiters = [];
          stranded.forEach((w) => w.reject(e));
        }).finally(() => {
          this.running = false;
        });
      }
    });
  }

  async run() {
    this.log.debug(`manifest pending; waiting for the extension (watching ${this.directory})`);
    const watcher = this.openWatcher();
    try {
      for (;;) {
        // The watcher is open before this look, so a rename right after it still ends the next pause.
        const seen = this.source.reload();
        const now = this.clock.epochMs();
        const settled = seen === null || !seen.pending;
        const due = this.waiters.filter((w) => settled || now >= w.deadline);
        if (due.length > 0) {
          this.report(seen, now - Math.min(...due.map((w) => w.start)));
          this.waiters = this.waiters.filter((w) => !due.includes(w));
          due.forEach((w) => w.resolve(seen));
        }
        if (this.waiters.length === 0) {
          return;
        }
        await this.pause(Math.min(this.pollMs, Math.min(...this.waiters.map((w) => w.deadline)) - now));
      }
    } finally {
      watcher?.close();
    }
  }

  openWatcher() {
    try {
      const watcher = this.watch(this.directory, { persistent: true }, () => this.wake?.());
      watcher.on('error', (e) => {
        this.log.debug(`stopped watching ${this.directory} (${e.code ?? e.name}); looking every ${this.pollMs} ms`);
        watcher.close();
      });
      return watcher;
    } catch (e) {
      this.log.debug(`cannot watch ${this.directory} (${e.code ?? e.name}); looking every ${this.pollMs} ms instead`);
      return null;
    }
  }

  pause(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(ms, 1));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  report(seen, waited) {
    const ms = Math.round(waited);
    if (seen === null) {
      this.log.info(`the manifest went away or became unusable after waiting ${ms} ms`);
    } else if (!seen.pending) {
      this.log.info(`waited ${ms} ms for the extension's manifest (generation ${seen.generation})`);
    } else if (this.stuckGeneration !== seen.generation) {
      this.stuckGeneration = seen.generation;
      this.log.warn(`manifest still pending after waiting ${ms} ms (its deadline or ${VARIABLES.WAIT_MS}=`
        + `${this.capMs} reached); calling Secrets Manager directly`);
    } else {
      this.log.debug(`manifest still pending after waiting ${ms} ms`);
    }
  }
}

module.exports = { PendingWait, POLL_MS };
