// SPDX-License-Identifier: Apache-2.0
'use strict';

/**
 * Fake secrets for unit tests of handlers that use secrets-prefetch: declared in one object, served by the real
 * client from a real manifest, with no AWS call, no credentials and no emulator.
 *
 * @example
 * const { test } = require('node:test');
 * const { withFakeSecrets, failing } = require('secrets-prefetch/testing');
 *
 * test('the handler answers with the user name', () => withFakeSecrets({
 *   db: { username: 'app', password: 'test-password' },   // JSON
 *   'api-key': 'test-api-key',                             // a string
 *   'signing-key': Buffer.from([1, 2, 3]),                 // binary
 *   flags: failing('ACCESS_DENIED'),                       // Secrets Manager refuses it
 * }, async () => {
 *   const { handler } = require('../index.js');
 *   assert.equal((await handler({})).statusCode, 200);
 * }));
 *
 * While `fn` runs, and in everything it starts (promises, timers, callbacks: its async context), get() and the
 * others read a ready manifest of these secrets, written to a temporary directory. A name that was not declared
 * rejects with an UndeclaredSecretError (an AssertionError) instead of calling Secrets Manager, and
 * withFakeSecrets rejects with it again at the end, in case the handler caught it. Code outside that async
 * context, and everything after it, sees the client the environment configures. process.env is never read or
 * changed for it.
 *
 * Test support: it ships in the npm package, not in the layer, and refuses to run inside a Lambda function.
 */

const { AsyncLocalStorage } = require('node:async_hooks');
const { AssertionError } = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const secretsPrefetch = require('./index.js');
const { SecretsClient } = require('./lib/client.js');
const { configFrom } = require('./lib/config.js');
const { quote } = require('./lib/errors.js');
const { CallFailure } = require('./lib/fallback.js');

/** What the extension writes into a manifest when Secrets Manager fails for that reason. */
const ERROR_CODES = Object.freeze({
  NOT_FOUND: 'ResourceNotFoundException',
  ACCESS_DENIED: 'AccessDeniedException',
  THROTTLED: 'ThrottlingException',
  TIMEOUT: 'Timeout',
  DECRYPTION_FAILURE: 'DecryptionFailure',
  OTHER: 'InternalServiceError',
});
const LAMBDA_VARIABLES = ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_RUNTIME_API'];
const NAMES_SHOWN = 20;
/** A JSON escape of half a surrogate pair, which no manifest may hold (JSON.stringify writes lone ones so). */
const LONE_SURROGATE = /(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

const scopes = new AsyncLocalStorage();
let hooked = false;

/** The code under test asked for a secret the test did not declare. No call to Secrets Manager was made. */
class UndeclaredSecretError extends AssertionError {
  constructor(message) {
    super({ message });
    this.name = 'UndeclaredSecretError';
  }
}

/** A secret declared failing; see failing(). */
class Failing {
  constructor(reason) {
    this.reason = reason;
    Object.freeze(this);
  }
}

/**
 * A secret that fails as if Secrets Manager had refused it: every call for it rejects with a
 * SecretsPrefetchError of that reason.
 * @param {'NOT_FOUND'|'ACCESS_DENIED'|'THROTTLED'|'TIMEOUT'|'DECRYPTION_FAILURE'|'OTHER'} reason
 */
function failing(reason) {
  if (!Object.hasOwn(ERROR_CODES, reason)) {
    throw new TypeError(`a secret cannot be declared failing with ${quote(reason)}: one of `
      + `${Object.keys(ERROR_CODES).join(', ')}; INVALID_JSON, NO_SUCH_FIELD and WRONG_TYPE come from the value, `
      + 'not from Secrets Manager: declare a value that causes them');
  }
  return new Failing(reason);
}

/**
 * Runs `fn` with `secrets` served to secrets-prefetch, and resolves to what it returns. Each value is a string (a
 * string secret), a Buffer or Uint8Array (binary), failing(reason), or anything else JSON.stringify writes (a
 * JSON secret: an object, an array, a number).
 * @template T
 * @param {Record<string, unknown>} secrets
 * @param {() => T | Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withFakeSecrets(secrets, fn) {
  if (typeof fn !== 'function') {
    throw new TypeError('withFakeSecrets(secrets, fn): fn must be a function, run with the fake secrets');
  }
  refuseInsideLambda();
  const { entries, failingIds } = declare(secrets);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prefetch-test-')); // mode 0700
  try {
    writeManifest(directory, entries);
    const undeclared = new Undeclared(Object.keys(entries));
    const config = configFrom({ SECRETS_PREFETCH_DIR: directory, SECRETS_PREFETCH_LOG_LEVEL: 'warn',
      SECRETS_PREFETCH_WAIT_MS: '0' });
    const client = new SecretsClient(config, { fetcher: offline(failingIds, undeclared) });
    hook();
    const result = await scopes.run(client, fn);
    undeclared.check();
    return result;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** Installs the package's test-only hook, once: until then, a function's calls do not even look for a scope. */
function hook() {
  if (!hooked) {
    secretsPrefetch[Symbol.for('secrets-prefetch.testing')](() => scopes.getStore());
    hooked = true;
  }
}

function declare(secrets) {
  if (secrets === null || typeof secrets !== 'object' || Array.isArray(secrets)) {
    throw new TypeError('withFakeSecrets(secrets, fn): secrets must be an object of names and values');
  }
  const fetchedAtEpochMs = Date.now();
  const entries = {};
  const failingIds = new Map();
  for (const [name, value] of Object.entries(secrets)) {
    if (name.trim() === '') {
      throw new TypeError('a fake secret\'s name must not be empty or blank: handlers cannot ask for it');
    }
    const entry = { secretId: name, fetchedAtEpochMs };
    if (value instanceof Failing) {
      entry.error = { code: ERROR_CODES[value.reason], message: 'declared failing by the test' };
      failingIds.set(name, value.reason);
    } else if (value instanceof Uint8Array) {
      entry.secretBinary = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    } else if (typeof value === 'string') {
      entry.secretString = value;
    } else {
      entry.secretString = json(name, value);
    }
    entries[name] = entry;
  }
  return { entries, failingIds };
}

function json(name, value) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    text = undefined; // only the type is shown: the error's message can quote the value
  }
  if (typeof text !== 'string') {
    throw new TypeError(`fake secret ${quote(name)}: a ${value === null ? 'null' : typeof value} is neither a string, `
      + 'a Buffer, failing(...) nor something JSON.stringify writes');
  }
  return text;
}

function writeManifest(directory, entries) {
  const text = JSON.stringify({ formatVersion: 1, generation: 1, state: 'ready', writtenAtEpochMs: Date.now(),
    writer: 'secrets-prefetch-testing/1', secrets: entries });
  if (LONE_SURROGATE.test(text)) {
    throw new TypeError('a fake secret\'s name or value holds half of a surrogate pair, which no manifest can carry');
  }
  // Atomically, mode 0600, as the extension writes it.
  const temporary = path.join(directory, '.manifest.json.tmp');
  fs.writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
  fs.renameSync(temporary, path.join(directory, 'manifest.json'));
}

function refuseInsideLambda() {
  for (const variable of LAMBDA_VARIABLES) {
    if ((process.env[variable] ?? '').trim() !== '') {
      throw new Error(`fake secrets are test support: they refuse to run inside a Lambda function (${variable} is `
        + 'set), where they must never replace real secrets; keep secrets-prefetch/testing out of deployed code');
    }
  }
}

/** The scope's stand-in for Secrets Manager: a declared failure, or the test's error; never a call. */
function offline(failingIds, undeclared) {
  return {
    async fetch(request) {
      const reason = failingIds.get(request.secretId);
      if (reason !== undefined) {
        throw new CallFailure(reason, `the test declared this secret failing with ${reason}; no call to Secrets `
          + 'Manager was made');
      }
      throw undeclared.record(request.secretId);
    },
  };
}

class Undeclared {
  constructor(declared) {
    this.declared = declared;
    this.asked = new Set();
  }

  record(name) {
    this.asked.add(name);
    const shown = this.declared.slice(0, NAMES_SHOWN).map(quote).join(', ') || 'none';
    const more = this.declared.length > NAMES_SHOWN ? ', ...' : '';
    return new UndeclaredSecretError(`secret ${quote(name)} is not one of the fake secrets this test declared `
      + `(${shown}${more}); declare it, e.g. withFakeSecrets({ ${quote(name)}: ... }, fn), or `
      + `{ ${quote(name)}: failing('NOT_FOUND') } for a secret the code must do without. No call to Secrets Manager `
      + 'was made.');
  }

  check() {
    if (this.asked.size > 0) {
      throw new UndeclaredSecretError('the code under test asked for secrets this test did not declare: '
        + `${[...this.asked].map(quote).join(', ')} (each call rejected with an UndeclaredSecretError; if none `
        + 'reached the test, the code caught it). Declare them in withFakeSecrets({...}, fn).');
    }
  }
}

module.exports = { withFakeSecrets, failing, UndeclaredSecretError };
