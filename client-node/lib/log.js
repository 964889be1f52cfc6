// SPDX-License-Identifier: Apache-2.0
'use strict';

const LEVELS = Object.freeze(['debug', 'info', 'warn', 'error', 'off']);

/**
 * The project's log lines: `[secrets-prefetch] LEVEL message`, one write each, on standard output (the stream
 * Lambda sends to CloudWatch, written directly rather than through console.log, which the Lambda runtime
 * reformats). Callers pass names, ids, codes and counts, never a value.
 */
class Log {
  /**
   * @param {string} threshold one of LEVELS
   * @param {{ write(text: string): unknown }} [out] default: process.stdout, first touched when a line is
   *   written (creating it costs milliseconds when standard output is a pipe, and most processes log nothing)
   */
  constructor(threshold, out) {
    this.rank = LEVELS.indexOf(threshold);
    if (this.rank < 0) {
      throw new RangeError(`unknown log level ${threshold}`);
    }
    this.out = out;
  }

  enabled(level) {
    const rank = LEVELS.indexOf(level);
    return rank >= this.rank && level !== 'off';
  }

  debug(message) {
    this.log('debug', message);
  }

  info(message) {
    this.log('info', message);
  }

  warn(message) {
    this.log('warn', message);
  }

  error(message) {
    this.log('error', message);
  }

  log(level, message) {
    if (this.enabled(level)) {
      (this.out ?? process.stdout).write(`[secrets-prefetch] ${level.toUpperCase()} ${message}\n`);
    }
  }
}

module.exports = { Log, LEVELS };
