// SPDX-License-Identifier: Apache-2.0
'use strict';

const { LEVELS } = require('./log.js');

/**
 * Every environment variable the client reads, in one place (docs/node-client.md has the same table).
 * Read once, from an object handed in by the caller (process.env in production), never at load time.
 */
const VARIABLES = Object.freeze({
  /** The secrets directory holding manifest.json; default DEFAULT_DIR. Trimmed; must be absolute. */
  DIR: 'SECRETS_PREFETCH_DIR',
  /** Cap, in milliseconds (0 to MAX_WAIT_MS), on waiting for a pending manifest; default DEFAULT_WAIT_MS. */
  WAIT_MS: 'SECRETS_PREFETCH_WAIT_MS',
  /** debug, info, warn, error or off (any case); default info. */
  LOG_LEVEL: 'SECRETS_PREFETCH_LOG_LEVEL',
  /** The region of secrets not named by ARN (set by Lambda). */
  REGION: 'AWS_REGION',
  /** The region when AWS_REGION is not set. */
  DEFAULT_REGION: 'AWS_DEFAULT_REGION',
});

/** The extension's variables: known, so not reported as typos when a function sets them. */
const EXTENSION_VARIABLES = Object.freeze(['SECRETS_PREFETCH_CONFIG', 'SECRETS_PREFETCH_SECRETS']);

const DEFAULT_DIR = '/tmp/secrets-prefetch';
const MANIFEST_FILE = 'manifest.json';
const DEFAULT_WAIT_MS = 10_000;
/** Lambda's longest invocation: waiting longer can never help. */
const MAX_WAIT_MS = 900_000;
const PREFIX = 'SECRETS_PREFETCH_';

/** A setting with a value the client cannot use; the message names the variable and what it accepts. */
class ConfigError extends Error {
  constructor(variable, message) {
    super(message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** Trims ASCII whitespace only, the same characters every client trims. */
function trimAscii(text) {
  return text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
}

/** The trimmed value of `name`, or undefined when it is unset or blank. */
function value(env, name) {
  const raw = env[name];
  if (typeof raw !== 'string') {
    return undefined;
  }
  const trimmed = trimAscii(raw);
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The client's settings, parsed once into a frozen object.
 *
 * @param {Record<string, string | undefined>} env
 * @returns {Readonly<{manifestPath: string, directory: string, waitMs: number, logLevel: string,
 *   region: string | undefined, unknownVariables: string[]}>}
 * @throws {ConfigError} naming the variable when a value cannot be used
 */
function configFrom(env) {
  const directory = dir(value(env, VARIABLES.DIR));
  const known = new Set([...Object.values(VARIABLES), ...EXTENSION_VARIABLES]);
  return Object.freeze({
    directory,
    manifestPath: `${directory.replace(/\/+$/, '')}/${MANIFEST_FILE}`,
    waitMs: waitMs(value(env, VARIABLES.WAIT_MS)),
    logLevel: logLevel(value(env, VARIABLES.LOG_LEVEL)),
    region: value(env, VARIABLES.REGION) ?? value(env, VARIABLES.DEFAULT_REGION),
    unknownVariables: Object.freeze(Object.keys(env).filter((k) => k.startsWith(PREFIX) && !known.has(k)).sort()),
  });
}

function dir(text) {
  if (text === undefined) {
    return DEFAULT_DIR;
  }
  if (!text.startsWith('/')) {
    throw new ConfigError(VARIABLES.DIR, `${VARIABLES.DIR} must be an absolute path (it is ${JSON.stringify(text)}); `
      + `unset it for the default ${DEFAULT_DIR}`);
  }
  return text;
}

function waitMs(text) {
  if (text === undefined) {
    return DEFAULT_WAIT_MS;
  }
  const parsed = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(parsed <= MAX_WAIT_MS)) {
    throw new ConfigError(VARIABLES.WAIT_MS, `${VARIABLES.WAIT_MS} must be a whole number of milliseconds from 0 to `
      + `${MAX_WAIT_MS} (default ${DEFAULT_WAIT_MS}); it is ${JSON.stringify(text)}`);
  }
  return parsed;
}

function logLevel(text) {
  if (text === undefined) {
    return 'info';
  }
  const level = text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
  if (!LEVELS.includes(level)) {
    throw new ConfigError(VARIABLES.LOG_LEVEL, `${VARIABLES.LOG_LEVEL} must be one of ${LEVELS.join(', ')}; it is `
      + `${JSON.stringify(text)}`);
  }
  return level;
}

module.exports = { configFrom, ConfigError, VARIABLES, DEFAULT_WAIT_MS, MAX_WAIT_MS, trimAscii };
