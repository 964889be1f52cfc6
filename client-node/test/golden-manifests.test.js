// SPDX-License-Identifier: Apache-2.0
'use strict';

// Every golden manifest in fixtures/manifest/ gives the verdict fixtures/manifest/expectations.json names, in
// the parser and through the client (values from the manifest, direct calls only where it says so).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { parseManifest, ManifestFormatError } = require('../lib/manifest');
const { Harness, FakeClock, fixture, readFixtureJson } = require('./support/harness');
const { secretsManager } = require('./support/moto');
const { assertSameValue, assertNoValue, caught } = require('./support/values');

const expectations = readFixtureJson('manifest', 'expectations.json');

test('every fixture file has an expectation, and every expectation a file', () => {
  const files = fs.readdirSync(fixture('manifest')).filter((f) => f.endsWith('.json') && f !== 'expectations.json');
  assert.deepEqual(files.sort(), Object.keys(expectations).sort());
});

for (const [file, expected] of Object.entries(expectations)) {
  test(`the parser reads ${file} as ${expected.outcome}`, async () => {
    const bytes = fs.readFileSync(fixture('manifest', file));
    if (expected.outcome === 'corrupt' || expected.outcome === 'unknown-version') {
      const error = await caught(() => parseManifest(bytes), ManifestFormatError);
      assert.equal(error.unknownVersion, expected.outcome === 'unknown-version', error.message);
      assertNoValue(error.message, `the message about ${file}`);
      return;
    }
    const manifest = parseManifest(bytes);
    assert.equal(manifest.generation, expected.generation);
    assert.equal(manifest.state, expected.outcome);
    if (expected.outcome === 'pending') {
      assert.equal(manifest.deadlineEpochMs, expected.deadlineEpochMs);
      return;
    }
    assert.deepEqual([...manifest.secrets.keys()].sort(), Object.keys(expected.entries).sort());
    for (const [name, want] of Object.entries(expected.entries)) {
      const entry = manifest.secrets.get(name);
      assert.deepEqual([entry.secretId, entry.parameter], [want.secretId, want.parameter], `id of entry ${name}`);
      if (want.kind === 'string') {
        assert.equal(entry.value.kind, 'text');
        assertSameValue(entry.value.text, want.value, `entry ${JSON.stringify(name)}`);
      } else if (want.kind === 'binary') {
        assert.equal(entry.value.kind, 'binary');
        assertSameValue(entry.value.bytes, Buffer.from(want.base64, 'base64'), `entry ${JSON.stringify(name)}`);
      } else {
        assert.deepEqual(entry.value, { kind: 'error', code: want.code });
      }
    }
    for (const [asked, name] of Object.entries(expected.resolve)) {
      assert.equal(manifest.resolve(asked), name === null ? undefined : manifest.secrets.get(name),
        `resolving ${JSON.stringify(asked)}`);
    }
  });

  test(`the client serves what ${file} says (${expected.outcome})`, async (t) => {
    const { network, secrets } = await secretsManager(t);
    const clock = new FakeClock(expected.outcome === 'pending' ? expected.deadlineEpochMs + 1 : Date.now());
    const harness = new Harness(t, { clock });
    harness.writeFixture(file);
    const client = harness.client();
    const direct = new Set();
    if (expected.outcome === 'ready') {
      for (const [asked, name] of Object.entries(expected.resolve)) {
        const want = name === null ? null : expected.entries[name];
        if (want === null || want.kind === 'error') {
          const parameter = want === null ? /^arn:[^:]+:ssm:/.test(asked) : want.parameter !== undefined;
          const secretId = want === null ? asked : want.parameter ?? want.secretId;
          const value = `fixture-direct-for-${secretId.length}-spv-Dr3c`;
          await createOnce(secrets, secretId, value, parameter);
          assertSameValue(await client.get(asked), value, `${asked} (a direct call for ${secretId})`);
          const last = network.calls.at(-1);
          assert.deepEqual([last.action, last.secretId], [parameter ? 'GetParameter' : 'GetSecretValue', secretId],
            `the direct call for ${asked} asks for ${secretId}`);
          direct.add(secretId);
        } else if (want.kind === 'binary') {
          assertSameValue(await client.getBinary(asked), Buffer.from(want.base64, 'base64'), asked);
        } else {
          assertSameValue(await client.get(asked), want.value, asked);
        }
      }
      assert.deepEqual(network.calls.map((c) => c.secretId).sort(), [...direct].sort(),
        'direct calls only for error entries and unknown names, each made once and then kept');
      assert.equal(harness.warnings(), 0, harness.out.text);
    } else {
      for (const asked of ['db', 'api-key']) {
        const value = `fixture-direct-${asked}-spv-Dr3c`;
        await createOnce(secrets, asked, value);
        assertSameValue(await client.get(asked), value, `${asked} (a direct call)`);
        assert.equal(network.gets().at(-1).secretId, asked);
      }
      if (expected.outcome !== 'pending') {
        assert.equal(harness.warnings(), 1, `${file}: one warning per process`);
        assert.match(harness.out.lines('warn')[0], expected.outcome === 'unknown-version'
          ? /formatVersion 2 is not supported/ : /cannot be used/);
      }
    }
  });
}

const created = new Set();

/** moto keeps its secrets for the whole test process: each id is created once, with the value tests expect. */
async function createOnce(secrets, secretId, value, parameter = false) {
  if (!created.has(secretId)) {
    created.add(secretId);
    if (parameter) {
      // An ARN names the parameter it ends with, in the ARN's region.
      const arn = /^arn:[^:]+:ssm:([^:]+):[^:]*:parameter(\/.*)$/.exec(secretId);
      await secrets.putParameter(arn === null ? secretId : arn[2], value, arn === null ? {} : { region: arn[1] });
    } else {
      await secrets.create(secretId, { string: value });
    }
  }
}
