// SPDX-License-Identifier: Apache-2.0
'use strict';

// The clients' shared contract (fixtures/client-contract/): settings, names and JSON secrets, read from its files.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { configFrom, ConfigError } = require('../lib/config');
const { Harness, ready, entry, readFixtureJson } = require('./support/harness');
const { assertSameValue, assertNoValue, caught } = require('./support/values');
const { SecretsPrefetchError } = require('../lib/errors');

const settings = readFixtureJson('client-contract', 'settings.json');
const names = readFixtureJson('client-contract', 'names.json');
const jsonValues = readFixtureJson('client-contract', 'json-values.json');

for (const c of settings.cases) {
  test(`settings: ${c.case}`, async () => {
    if (c.error !== undefined) {
      const error = await caught(() => configFrom(c.env), ConfigError);
      assert.equal(error.variable, c.error);
      assert.ok(error.message.startsWith(c.error), error.message);
      return;
    }
    const config = configFrom(c.env);
    if (c.manifest !== undefined) assert.equal(config.manifestPath, c.manifest);
    if (c.waitMs !== undefined) assert.equal(config.waitMs, c.waitMs);
    if (c.logLevel !== undefined) assert.equal(config.logLevel, c.logLevel);
  });
}

test('names: every accepted name reaches the manifest', async (t) => {
  const secrets = Object.fromEntries(names.accepted.map((name, i) => [name, entry(`prod/n${i}`,
    `fixture-name-${i}-spv-Nm${i}aa`)]));
  const harness = new Harness(t);
  harness.write(ready(1, secrets));
  for (const [i, name] of names.accepted.entries()) {
    assertSameValue(await harness.client().get(name), `fixture-name-${i}-spv-Nm${i}aa`, JSON.stringify(name));
  }
});

for (const c of names.directCalls.cases) {
  test(`names: without an entry ${c.name} is a ${c.call} of ${c.id} in ${c.region}`, async (t) => {
    const calls = [];
    const fetcher = {
      async fetch(request, region) {
        calls.push([request.secretId, request.parameter === true, region]);
        return { kind: 'text', text: 'contract-direct-spv-Nm6c' };
      },
    };
    const harness = new Harness(t, { env: { AWS_REGION: names.directCalls.region }, fetcher });
    assertSameValue(await harness.client().get(c.name), 'contract-direct-spv-Nm6c', c.name);
    assert.deepEqual(calls, [[c.id, c.call === 'GetParameter', c.region]]);
  });
}

test('names: every refused name is a TypeError before anything is read or called', async (t) => {
  let looks = 0;
  const fs = require('node:fs');
  const counting = { ...fs, lstatSync: (...args) => { looks++; return fs.lstatSync(...args); } };
  const harness = new Harness(t, { fileSystem: counting });
  harness.write(ready(1, {}));
  for (const name of [...names.refused, undefined, null, 5, {}]) {
    for (const call of ['get', 'getBinary', 'getJson']) {
      await caught(() => harness.client()[call](name), TypeError);
    }
    await caught(() => harness.client().getField(name, 'x'), TypeError);
  }
  assert.equal(looks, 0, 'the manifest was not even looked at');
});

test('getField: a field name that is not a string is a TypeError', async (t) => {
  const harness = new Harness(t);
  harness.write(ready(1, { db: entry('prod/db', '{"x":"fixture-spv-Fd01"}') }));
  for (const field of [undefined, null, 1, Symbol('x')]) {
    await caught(() => harness.client().getField('db', field), TypeError);
  }
});

test('json-values: getField returns each field as written, or fails with the contract\'s reason', async (t) => {
  const harness = new Harness(t);
  harness.write(ready(1, Object.fromEntries(jsonValues.fields.map((c, i) => [`s${i}`, entry(`prod/s${i}`, c.secret)]))));
  for (const [i, c] of jsonValues.fields.entries()) {
    const what = `fields[${i}]${c.note ? ` (${c.note})` : ''}`;
    if (c.error === undefined) {
      assertSameValue(await harness.client().getField(`s${i}`, c.field), c.value, what);
    } else {
      const error = await caught(() => harness.client().getField(`s${i}`, c.field), SecretsPrefetchError);
      assert.equal(error.reason, c.error, `${what}: ${error.message}`);
      assert.equal(error.secretName, `s${i}`);
      assertNoValue(error.message, what);
    }
  }
});

test('json-values: getJson accepts the valid documents as JSON.parse reads them, and refuses the others', async (t) => {
  const harness = new Harness(t);
  harness.write(ready(1, Object.fromEntries(jsonValues.documents.map((c, i) => [`d${i}`, entry(`prod/d${i}`,
    c.secret)]))));
  for (const [i, c] of jsonValues.documents.entries()) {
    const what = `documents[${i}]${c.note ? ` (${c.note})` : ''}`;
    if (c.valid) {
      assert.deepEqual(await harness.client().getJson(`d${i}`), JSON.parse(c.secret), what);
    } else {
      const error = await caught(() => harness.client().getJson(`d${i}`), SecretsPrefetchError);
      assert.equal(error.reason, 'INVALID_JSON', `${what}: ${error.message}`);
    }
  }
});
