// SPDX-License-Identifier: Apache-2.0
'use strict';

const json = require('./json.js');
const { SecretsPrefetchError, quote } = require('./errors.js');

/**
 * JSON secrets ({"username": ..., "password": ...}), read with the manifest's strict rules
 * (fixtures/client-contract/json-values.json). Messages name the problem and its position, never the text.
 */

/**
 * One top-level field: a string decoded, a number, true, false, an object or an array as its text exactly as
 * written in the secret.
 */
function field(name, text, fieldName) {
  const { value, spans } = parse(name, text);
  if (!(value instanceof Map)) {
    throw new SecretsPrefetchError(name, 'INVALID_JSON', `the secret is JSON but not an object (${kind(value)}), so `
      + 'it has no fields; use get or getJson');
  }
  const found = value.get(fieldName);
  if (found === undefined || found === null) {
    throw new SecretsPrefetchError(name, 'NO_SUCH_FIELD', `the JSON secret has no field ${quote(fieldName)}${
      found === null ? ' (it is null)' : ''}`);
  }
  if (typeof found === 'string') {
    return found;
  }
  const [start, end] = spans.get(fieldName);
  return text.slice(start, end);
}

/** The whole secret as JSON.parse gives it, once the strict rules have passed; top-level null is no value. */
function document(name, text) {
  const { value } = parse(name, text);
  if (value === null) {
    throw new SecretsPrefetchError(name, 'INVALID_JSON', 'the secret is JSON null, not a value');
  }
  return JSON.parse(text);
}

function parse(name, text) {
  try {
    return json.parseWithSpans(text);
  } catch (e) {
    if (e instanceof json.JsonSyntaxError) {
      throw new SecretsPrefetchError(name, 'INVALID_JSON', `the secret is not valid JSON: ${e.message}; use get for `
        + 'plain-text secrets');
    }
    throw e;
  }
}

function kind(value) {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (value instanceof json.JsonNumber) return 'a number';
  if (value === null) return 'null';
  return 'a boolean';
}

module.exports = { field, document };
