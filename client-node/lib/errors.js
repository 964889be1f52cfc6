// SPDX-License-Identifier: Apache-2.0
'use strict';

/**
 * What kind of failure it was: the same names as the Java client's SecretsException.Reason.
 * @type {ReadonlyArray<string>}
 */
const REASONS = Object.freeze([
  'NOT_FOUND', // Secrets Manager has no such secret (or version) in that region
  'ACCESS_DENIED', // the function's role may not read the secret or its KMS key
  'THROTTLED', // Secrets Manager throttled the calls, even after the SDK's retries
  'TIMEOUT', // Secrets Manager did not answer in time
  'DECRYPTION_FAILURE', // Secrets Manager could not decrypt the secret with its KMS key
  'INVALID_JSON', // getField/getJson on a secret that is not JSON of the expected shape
  'NO_SUCH_FIELD', // the JSON secret has no such field, or it is null
  'WRONG_TYPE', // get on a binary secret, or getBinary on a string one
  'OTHER', // anything else; the message says what
]);

/**
 * A secret could not be returned. The message names the secret and the cause and never contains a value;
 * `reason` says what kind of failure it was, for code that wants to react to it.
 */
class SecretsPrefetchError extends Error {
  /**
   * @param {string} secretName the name the caller asked for
   * @param {string} reason one of REASONS
   * @param {string} message what went wrong and what to do, without any value
   */
  constructor(secretName, reason, message) {
    if (!REASONS.includes(reason)) {
      throw new TypeError(`unknown reason ${JSON.stringify(reason)}; one of ${REASONS.join(', ')}`);
    }
    super(`secret ${quote(secretName)}: ${message}`);
    this.name = 'SecretsPrefetchError';
    /** @readonly */
    this.secretName = secretName;
    /** @readonly */
    this.reason = reason;
  }
}

/**
 * A name or field in a message or log line: quoted, with control characters escaped, so a hostile name cannot
 * forge a log line.
 */
function quote(text) {
  return JSON.stringify(String(text));
}

module.exports = { SecretsPrefetchError, REASONS, quote };
