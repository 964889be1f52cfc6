// SPDX-License-Identifier: Apache-2.0
'use strict';

/**
 * Secrets Manager secrets for Lambda Node.js handlers, prefetched by the secrets-prefetch extension during the
 * function's init and read from its manifest ($SECRETS_PREFETCH_DIR/manifest.json, default
 * /tmp/secrets-prefetch) without loading the AWS SDK. Whenever the extension is not there, has not got a
 * secret or failed to fetch it, the value comes from a direct GetSecretValue call instead (AWS SDK for
 * JavaScript v3, cached for 300 seconds), so the same code runs with and without the layer.
 *
 * @example
 * // ES module handler (index.mjs)
 * import { get, getField } from 'secrets-prefetch';
 * const apiKey = await get('api-key');                 // at init, with top-level await
 * export const handler = async () => {
 *   const password = await getField('db', 'password');
 *   // ...
 * };
 *
 * A name is looked up in the manifest by the name the extension's configuration gave the secret, then by its
 * secret id or ARN; anything else is the SecretId of a direct call. While the extension is still fetching (a
 * pending manifest) a call waits for it, up to the manifest's deadline and at most SECRETS_PREFETCH_WAIT_MS
 * (default 10000). A newer manifest (refresh, rotation) is noticed within a second.
 *
 * Every failure about a secret rejects with a SecretsPrefetchError (`secretName`, `reason`), whose message never
 * contains a value. The environment is read on the first call; an invalid SECRETS_PREFETCH_* setting makes
 * every call reject with an Error naming the variable.
 */

const { SecretsPrefetchError } = require('./lib/errors.js');

let client = null;
let problem = null;
/** Set by secrets-prefetch/testing when a test first uses fake secrets: the client of the current scope, if any. */
let scoped = null;

function instance() {
  if (scoped !== null) {
    const fake = scoped();
    if (fake !== undefined) {
      return fake;
    }
  }
  if (client === null && problem === null) {
    const { configFrom, ConfigError } = require('./lib/config.js');
    try {
      client = new (require('./lib/client.js').SecretsClient)(configFrom(process.env));
    } catch (e) {
      if (!(e instanceof ConfigError)) {
        throw e;
      }
      problem = e;
    }
  }
  if (problem !== null) {
    const error = new Error(`secrets-prefetch is misconfigured: ${problem.message}`);
    error.variable = problem.variable;
    throw error;
  }
  return client;
}

/**
 * The value of a string secret.
 * @param {string} name the name configured for the extension, or a secret id or ARN
 * @returns {Promise<string>} the secret's SecretString
 */
async function get(name) {
  return instance().get(name);
}

/**
 * The bytes of a binary secret, in a new Buffer the caller may change.
 * @param {string} name the name configured for the extension, or a secret id or ARN
 * @returns {Promise<Buffer>} the secret's SecretBinary
 */
async function getBinary(name) {
  return instance().getBinary(name);
}

/**
 * One top-level field of a JSON secret such as {"username": "app", "password": "..."}: a string field
 * decoded, a number, boolean, object or array as its JSON text exactly as written.
 * @param {string} name the name configured for the extension, or a secret id or ARN
 * @param {string} field the field's name
 * @returns {Promise<string>}
 */
async function getField(name, field) {
  return instance().getField(name, field);
}

/**
 * A JSON secret, parsed (a new value on each call). The secret must be strict JSON: no duplicate keys, no
 * comments, at most 100 levels deep; numbers become JavaScript numbers as JSON.parse makes them.
 * @param {string} name the name configured for the extension, or a secret id or ARN
 * @returns {Promise<unknown>}
 */
async function getJson(name) {
  return instance().getJson(name);
}

module.exports = { get, getBinary, getField, getJson, SecretsPrefetchError };

// The test-only hook of secrets-prefetch/testing: no named export, reached through this symbol only; in a
// function it is never called, and a call costs one look at `scoped`.
Object.defineProperty(module.exports, Symbol.for('secrets-prefetch.testing'), {
  value: (current) => {
    scoped = current;
  },
});
