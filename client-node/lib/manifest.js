// SPDX-License-Identifier: Apache-2.0
'use strict';

const json = require('./json.js');

/**
 * One manifest (docs/manifest.md, format version 1), parsed and validated the way the Java and Ruby readers
 * do: the syntax rules over the whole document first, the format version next, then every known field with
 * its type. Unknown fields are ignored at every level.
 */

const FORMAT_VERSION = 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A manifest file that is there but cannot be used; the message names the problem, never the content. */
class ManifestFormatError extends Error {
  constructor(message, unknownVersion = false) {
    super(message);
    this.name = 'ManifestFormatError';
    this.unknownVersion = unknownVersion;
  }
}

/**
 * @typedef {{kind: 'text', text: string} | {kind: 'binary', bytes: Buffer} | {kind: 'error', code: string}} Value
 * A secret entry has a secretId, a parameter entry a parameter (with its selector, if any); pinned says the
 * configuration asked for a version (or stage, or label) rather than the current one.
 * @typedef {{secretId?: string, parameter?: string, arn?: string, requestedVersionId?: string,
 *   requestedVersionStage?: string, pinned: boolean, value: Value}} Entry
 */

class Manifest {
  constructor(generation, state, deadlineEpochMs, secrets) {
    this.generation = generation;
    this.state = state;
    this.deadlineEpochMs = deadlineEpochMs;
    /** @type {Map<string, Entry>} by the names handlers use, in file order */
    this.secrets = secrets;
    Object.freeze(this);
  }

  get pending() {
    return this.state === 'pending';
  }

  /**
   * The entry for what a handler asked for: the entry of that name, else the first that pins no version and
   * whose secretId, parameter or ARN equals it (docs/manifest.md, "Rules for readers", 5).
   * @returns {Entry | undefined}
   */
  resolve(name) {
    const byName = this.secrets.get(name);
    if (byName !== undefined) {
      return byName;
    }
    for (const entry of this.secrets.values()) {
      if (!entry.pinned && ((entry.secretId ?? entry.parameter) === name || entry.arn === name)) {
        return entry;
      }
    }
    return undefined;
  }
}

/**
 * @param {Uint8Array} bytes the file's content
 * @returns {Manifest}
 * @throws {ManifestFormatError} if the bytes are not a version-1 manifest
 */
function parseManifest(bytes) {
  let text;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw corrupt('manifest is not UTF-8 text');
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw corrupt('manifest starts with a byte order mark');
  }
  let doc;
  try {
    doc = json.parse(text);
  } catch (e) {
    if (e instanceof json.JsonSyntaxError) {
      throw corrupt(`manifest is not valid JSON: ${e.message}`);
    }
    throw e;
  }
  if (!(doc instanceof Map)) {
    throw corrupt(`manifest top level must be an object, is ${describe(doc)}`);
  }
  if (!doc.has('formatVersion')) {
    throw corrupt('manifest has no formatVersion');
  }
  const version = integer(doc, 'formatVersion', 'formatVersion');
  if (version !== FORMAT_VERSION) {
    throw new ManifestFormatError(`manifest formatVersion ${version} is not supported (this reader knows `
      + `${FORMAT_VERSION}); upgrade the client to match the extension layer`, true);
  }
  return manifest(doc);
}

function manifest(doc) {
  const generation = integer(doc, 'generation', 'field generation');
  const state = string(doc, 'state', 'field state');
  const deadline = integer(doc, 'deadlineEpochMs', 'field deadlineEpochMs');
  const writtenAt = integer(doc, 'writtenAtEpochMs', 'field writtenAtEpochMs');
  const writer = string(doc, 'writer', 'field writer');
  const secrets = doc.has('secrets') ? entries(doc.get('secrets')) : undefined;
  if (required(state, 'state') !== 'pending' && state !== 'ready') {
    throw corrupt('manifest field state must be "pending" or "ready"');
  }
  if (required(generation, 'generation') < 1) {
    throw corrupt('manifest field generation must be at least 1');
  }
  required(writtenAt, 'writtenAtEpochMs');
  required(writer, 'writer');
  if (state === 'pending') {
    return new Manifest(generation, state, required(deadline, 'deadlineEpochMs'), new Map());
  }
  return new Manifest(generation, state, undefined, required(secrets, 'secrets'));
}

function entries(node) {
  if (!(node instanceof Map)) {
    throw corrupt(`manifest secrets must be an object, is ${describe(node)}`);
  }
  const result = new Map();
  let position = 0;
  for (const [name, value] of node) {
    result.set(name, entry(++position, value));
  }
  return result;
}

/** Entries are named by position: a name is file content, and may be anything (docs/manifest.md). */
function entry(position, node) {
  const where = `secrets entry ${position}`;
  if (!(node instanceof Map)) {
    throw corrupt(`manifest ${where} must be an object, is ${describe(node)}`);
  }
  const at = `${where} field`;
  stringArray(node, 'versionStages', `${at} versionStages`);
  string(node, 'versionId', `${at} versionId`);
  const values = [];
  if (node.has('secretString')) {
    values.push({ kind: 'text', text: string(node, 'secretString', `${at} secretString`) });
  }
  if (node.has('secretBinary')) {
    values.push({ kind: 'binary', bytes: base64(string(node, 'secretBinary', `${at} secretBinary`), at) });
  }
  if (node.has('error')) {
    values.push(error(node.get('error'), `${at} error`));
  }
  if (values.length !== 1) {
    throw corrupt(`manifest ${where} must have exactly one of secretString, secretBinary and error, has `
      + `${values.length}`);
  }
  required(integer(node, 'fetchedAtEpochMs', `${at} fetchedAtEpochMs`), `${where} field fetchedAtEpochMs`);
  const secretId = string(node, 'secretId', `${at} secretId`);
  const parameter = string(node, 'parameter', `${at} parameter`);
  const arn = string(node, 'arn', `${at} arn`);
  const requestedVersionId = string(node, 'requestedVersionId', `${at} requestedVersionId`);
  const requestedVersionStage = string(node, 'requestedVersionStage', `${at} requestedVersionStage`);
  string(node, 'parameterType', `${at} parameterType`);
  integer(node, 'parameterVersion', `${at} parameterVersion`);
  const requestedVersion = integer(node, 'requestedVersion', `${at} requestedVersion`);
  const requestedLabel = string(node, 'requestedLabel', `${at} requestedLabel`);
  if ((secretId === undefined) === (parameter === undefined)) {
    throw corrupt(`manifest ${where} must have exactly one of secretId and parameter, has `
      + `${secretId === undefined ? 'neither' : 'both'}`);
  }
  if (parameter === undefined) {
    return Object.freeze({
      secretId, arn, requestedVersionId, requestedVersionStage,
      pinned: requestedVersionId !== undefined || requestedVersionStage !== undefined,
      value: Object.freeze(values[0]),
    });
  }
  if (values[0].kind === 'binary') {
    throw corrupt(`manifest ${where} is a parameter with a secretBinary; an SSM parameter's value is text`);
  }
  return Object.freeze({
    parameter, arn, pinned: requestedVersion !== undefined || requestedLabel !== undefined,
    value: Object.freeze(values[0]),
  });
}

function error(node, where) {
  if (!(node instanceof Map)) {
    throw corrupt(`manifest ${where} must be an object, is ${describe(node)}`);
  }
  string(node, 'message', `${where}.message`);
  return { kind: 'error', code: required(string(node, 'code', `${where}.code`), `${where}.code`) };
}

/** Canonical base64 (RFC 4648), its padding complete or left out, as the Java and Ruby readers accept it. */
function base64(text, where) {
  const bytes = Buffer.from(text, 'base64');
  const canonical = bytes.toString('base64');
  const padded = text.includes('=') ? text : text + '='.repeat((4 - (text.length % 4)) % 4);
  if (padded !== canonical) {
    throw corrupt(`manifest ${where} secretBinary is not valid base64`);
  }
  return bytes;
}

function integer(node, field, where) {
  if (!node.has(field)) {
    return undefined;
  }
  const value = node.get(field);
  if (!(value instanceof json.JsonNumber) || !INTEGER.test(value.text)) {
    throw corrupt(`manifest ${where} must be an integer, is ${describe(value)}`);
  }
  // Length first: a number of a million digits must not cost a BigInt conversion.
  const big = value.text.length <= 20 ? BigInt(value.text) : undefined;
  if (big === undefined || big < INT64_MIN || big > INT64_MAX) {
    throw corrupt(`manifest ${where} must be an integer from ${INT64_MIN} to ${INT64_MAX}`);
  }
  return Number(big);
}

function string(node, field, where) {
  if (!node.has(field)) {
    return undefined;
  }
  const value = node.get(field);
  if (typeof value !== 'string') {
    throw corrupt(`manifest ${where} must be a string, is ${describe(value)}`);
  }
  return value;
}

function stringArray(node, field, where) {
  if (!node.has(field)) {
    return;
  }
  const value = node.get(field);
  if (!Array.isArray(value)) {
    throw corrupt(`manifest ${where} must be an array, is ${describe(value)}`);
  }
  for (const item of value) {
    if (typeof item !== 'string') {
      throw corrupt(`manifest ${where}[] must be a string, is ${describe(item)}`);
    }
  }
}

function required(value, what) {
  if (value === undefined) {
    throw corrupt(`manifest has no ${what}`);
  }
  return value;
}

function corrupt(message) {
  return new ManifestFormatError(message);
}

function describe(value) {
  if (value instanceof Map) return 'an object';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (value instanceof json.JsonNumber) return INTEGER.test(value.text) ? 'an integer' : 'a decimal number';
  if (value === null) return 'null';
  return 'a boolean';
}

module.exports = { parseManifest, Manifest, ManifestFormatError, FORMAT_VERSION };
