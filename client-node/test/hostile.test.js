// SPDX-License-Identifier: Apache-2.0
'use strict';

// Hostile input for the strict JSON reader and the manifest parser: agreement with JSON.parse wherever the
// strict rules allow a document, damaged manifests, extreme sizes and names that are not plain data in JS.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const json = require('../lib/json');
const { parseManifest, ManifestFormatError } = require('../lib/manifest');
const { Harness, ready, entry, fixture } = require('./support/harness');
const { assertSameValue, assertNoValue, caught } = require('./support/values');

/** A small seeded generator (mulberry32): failures replay with the seed in their message. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', 'é', '漢', '🔑', '\u2028', '\ufeff'];

function randomValue(next, depth) {
  const pick = Math.floor(next() * (depth > 4 ? 5 : 7));
  const text = () => Array.from({ length: Math.floor(next() * 8) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
  switch (pick) {
    case 0: return text();
    case 1: return Math.floor(next() * 2 ** 40) * (next() < 0.5 ? -1 : 1);
    case 2: return next() * 1e6;
    case 3: return next() < 0.5;
    case 4: return null;
    case 5: return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const object = {};
      for (let i = Math.floor(next() * 4); i > 0; i--) {
        object[text()] = randomValue(next, depth + 1);
      }
      return object;
    }
  }
}

/** The strict parser's value in JSON.parse's terms. */
function plain(value) {
  if (value instanceof json.JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) {
    const object = {};
    for (const [k, v] of value) {
      Object.defineProperty(object, k, { value: plain(v), enumerable: true, writable: true, configurable: true });
    }
    return object;
  }
  return value;
}

test('documents the strict rules allow read the same as with JSON.parse (2,000 generated)', () => {
  const seed = Date.now() % 100_000;
  const next = random(seed);
  for (let i = 0; i < 2000; i++) {
    const text = JSON.stringify(randomValue(next, 0), null, i % 3 === 0 ? 2 : undefined);
    assert.deepEqual(plain(json.parse(text)), JSON.parse(text), `seed ${seed}, document ${i}`);
  }
});

test('whatever JSON.parse refuses the strict reader refuses too (20,000 damaged documents)', () => {
  const seed = Date.now() % 100_000;
  const next = random(seed);
  const base = fs.readFileSync(fixture('manifest', 'valid.json'), 'utf8');
  const pieces = ['{', '}', '[', ']', '"', ',', ':', '\\', '\\u', '\\ud800', '/*', '0', '-', '1e', ' ', 'null', '\u0001'];
  for (let i = 0; i < 20_000; i++) {
    let text = base;
    for (let m = 1 + Math.floor(next() * 3); m > 0; m--) {
      const at = Math.floor(next() * text.length);
      const kind = next();
      if (kind < 0.3) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 4));
      else if (kind < 0.7) text = text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at);
      else if (kind < 0.9) text = text.slice(0, at);
      else text = text.slice(0, at) + text.slice(at, at + 20) + text.slice(at);
    }
    let ours;
    try {
      ours = plain(json.parse(text));
    } catch (e) {
      assert.ok(e instanceof json.JsonSyntaxError, `seed ${seed}, document ${i}: ${e}`);
      assertNoValue(e.message, 'a syntax error message');
      continue;
    }
    assert.deepEqual(ours, JSON.parse(text), `seed ${seed}, document ${i}: accepted, so JSON.parse agrees`);
  }
});

test('damaged manifests are corrupt, never another failure, and their messages hold no value', async () => {
  const seed = Date.now() % 100_000;
  const next = random(seed);
  const base = fs.readFileSync(fixture('manifest', 'valid.json'));
  let corrupt = 0;
  for (let i = 0; i < 5_000; i++) {
    const bytes = Buffer.from(base);
    for (let m = 1 + Math.floor(next() * 3); m > 0; m--) {
      bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
    }
    const cut = next() < 0.2 ? bytes.subarray(0, Math.floor(next() * bytes.length)) : bytes;
    try {
      parseManifest(cut);
    } catch (e) {
      assert.ok(e instanceof ManifestFormatError, `seed ${seed}, variant ${i}: ${e}`);
      assertNoValue(e.message, 'a manifest error message');
      corrupt++;
    }
  }
  assert.ok(corrupt > 1000, `${corrupt} of 5000 variants corrupt`);
});

test('nesting a hundred thousand levels deep is refused at level 101, without a stack overflow', async () => {
  const deep = '{"x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
  const error = await caught(() => json.parse(deep), json.JsonSyntaxError);
  assert.match(error.message, /^nested deeper than 100 levels \(line 1, column 105\)$/);
});

test('an integer of a million digits is refused as out of range', async () => {
  const text = `{"formatVersion":1,"generation":${'9'.repeat(1_000_000)},"state":"ready","writtenAtEpochMs":1,"writer":"w","secrets":{}}`;
  const error = await caught(() => parseManifest(Buffer.from(text)), ManifestFormatError);
  assert.match(error.message, /generation must be an integer from -9223372036854775808 to 9223372036854775807/);
});

test('integers: 1.0 and 1e2 are not integers; -0 and the int64 bounds are', async () => {
  const manifest = (generation, fetched) => Buffer.from(`{"formatVersion":1,"generation":${generation},"state":"ready",`
    + `"writtenAtEpochMs":1,"writer":"w","secrets":{"a":{"secretId":"a","fetchedAtEpochMs":${fetched},"secretString":"fixture-spv-Hs01"}}}`);
  for (const bad of ['1.0', '1e2', '-1', '0']) {
    await caught(() => parseManifest(manifest(bad, 1)), ManifestFormatError);
  }
  for (const fetched of ['-0', '-9223372036854775808', '9223372036854775807']) {
    assert.equal(parseManifest(manifest('1', fetched)).generation, 1);
  }
  await caught(() => parseManifest(manifest('1', '9223372036854775808')), ManifestFormatError);
});

test('secretBinary: canonical base64 with its padding complete or left out, nothing else', async () => {
  const manifest = (b64) => Buffer.from(`{"formatVersion":1,"generation":1,"state":"ready","writtenAtEpochMs":1,`
    + `"writer":"w","secrets":{"k":{"secretId":"k","fetchedAtEpochMs":1,"secretBinary":${JSON.stringify(b64)}}}}`);
  for (const [good, bytes] of [['c3B2LUFiY2Q=', 'spv-Abcd'], ['c3B2LUFiY2Q', 'spv-Abcd'], ['c3B2LUFiY2RlZg==', 'spv-Abcdef'],
    ['c3B2LUFiY2RlZg', 'spv-Abcdef'], ['', '']]) {
    assertSameValue(parseManifest(manifest(good)).secrets.get('k').value.bytes, Buffer.from(bytes), good.length);
  }
  for (const bad of ['c3B2LUFiY2R=', 'c3B2LUFiY2Q==', 'c3B2LUFiY2Q=x', 'c3B2 LUFiY2Q=', 'c3B2LUFiY2Q-', 'c3B2LUFiY2RlZg=',
    'c', 'c3B2LUFiY2Q=\n', 'c3B2_UFiY2Q=']) {
    await caught(() => parseManifest(manifest(bad)), ManifestFormatError);
  }
});

test('names and fields that mean something to JavaScript objects are plain data', async (t) => {
  const harness = new Harness(t);
  harness.write(ready(1, {
    ['__proto__']: entry('prod/proto', '{"__proto__":"fixture-field-spv-Hs02","constructor":{"a":1}}'),
    constructor: entry('prod/constructor', 'fixture-constructor-spv-Hs03'),
  }));
  const client = harness.client();
  assertSameValue(await client.get('constructor'), 'fixture-constructor-spv-Hs03', 'constructor');
  assertSameValue(await client.getField('__proto__', '__proto__'), 'fixture-field-spv-Hs02', '__proto__ field');
  assert.equal(await client.getField('__proto__', 'constructor'), '{"a":1}');
  const document = await client.getJson('__proto__');
  assert.equal(Object.getPrototypeOf(document), Object.prototype, 'the prototype is untouched');
  assert.ok(Object.hasOwn(document, '__proto__'));
  const { parseManifest: parse } = require('../lib/manifest');
  const manifest = parse(fs.readFileSync(harness.manifestPath));
  for (const name of ['toString', 'hasOwnProperty', 'valueOf']) {
    assert.equal(manifest.resolve(name), undefined, name);
  }
});
