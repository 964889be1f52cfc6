// SPDX-License-Identifier: Apache-2.0
'use strict';

// Calls at the same time: one direct call per secret, and whole manifests only while the extension replaces it.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { Harness, ready, entry } = require('./support/harness');
const { secretsManager } = require('./support/moto');
const { assertSameValue, caught } = require('./support/values');
const { ManifestSource } = require('../lib/manifest-source');
const { Log } = require('../lib/log');
const { SecretsPrefetchError } = require('../lib/errors');

test('calls that miss the same secret together make one direct call and all get its value', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const id = `concurrent-${process.pid}`;
  await secrets.create(id, { string: 'fallback-shared-spv-Cc01' });
  const harness = new Harness(t);
  harness.write(ready(1, { alias: entry(id, { error: { code: 'Timeout' } }) }));
  const client = harness.client();
  const values = await Promise.all(Array.from({ length: 100 }, (_, i) => client.get(i % 2 ? id : 'alias')));
  values.forEach((v, i) => assertSameValue(v, 'fallback-shared-spv-Cc01', `call ${i}`));
  assert.equal(network.gets(id).length, 1);
  assert.equal(harness.out.lines('info').length, 1, 'one log line for the one call');
});

test('a shared failed call fails every waiting caller under the name each asked for, and is not kept',
  async (t) => {
    const { network } = await secretsManager(t);
    const id = `concurrent-missing-${process.pid}`;
    const harness = new Harness(t);
    harness.write(ready(1, { alias: entry(id, { error: { code: 'ResourceNotFoundException' } }) }));
    const client = harness.client();
    const errors = await Promise.all(Array.from({ length: 20 },
      (_, i) => caught(() => client.get(i % 2 ? id : 'alias'), SecretsPrefetchError)));
    errors.forEach((e, i) => {
      assert.equal(e.reason, 'NOT_FOUND');
      assert.equal(e.secretName, i % 2 ? id : 'alias');
    });
    assert.equal(network.gets(id).length, 1);
    await caught(() => client.get(id), SecretsPrefetchError);
    assert.equal(network.gets(id).length, 2, 'the next call tries again');
  });

test('a manifest replaced while being read is read whole, old or new', { timeout: 120_000 }, async (t) => {
  const harness = new Harness(t);
  harness.write(large(1));
  const source = new ManifestSource(harness.manifestPath, { monotonicMs: () => performance.now() },
    new Log('off', process.stdout));
  // The writer is another process: this one's reads are synchronous and would never interleave with its own.
  const writer = spawn(process.execPath, ['-e', `
    const fs = require('node:fs');
    const [dir, last] = [process.argv[1], Number(process.argv[2])];
    ${large.toString()}
    for (let g = 2; g <= last; g++) {
      const temporary = dir + '/.manifest.json.' + g + '.tmp';
      fs.writeFileSync(temporary, JSON.stringify(large(g)));
      fs.renameSync(temporary, dir + '/manifest.json');
    }`, harness.dir, '40'], { stdio: 'inherit' });
  const exited = new Promise((resolve) => writer.on('exit', resolve));
  let reads = 0;
  const generations = new Set();
  let done = false;
  exited.then(() => {
    done = true;
  });
  while (!done || reads === 0) {
    const manifest = source.reload();
    for (const e of manifest.secrets.values()) {
      assert.ok(e.value.text.startsWith(`fixture-g${manifest.generation}-`),
        `an entry of another generation in generation ${manifest.generation}`);
    }
    generations.add(manifest.generation);
    reads++;
    await new Promise(setImmediate);
  }
  assert.equal(await exited, 0);
  assert.ok(generations.size > 1, `read ${reads} times while it was replaced, saw ${generations.size} generations`);
});

/** 16 values of 64 KB: reading and parsing it takes long enough for renames to land mid-read. */
function large(generation) {
  const secrets = {};
  for (let i = 0; i < 16; i++) {
    secrets[`s${i}`] = { secretId: `prod/s${i}`, fetchedAtEpochMs: 1,
      secretString: `fixture-g${generation}-spv-Big${i}-${'v'.repeat(65_000 + generation)}` };
  }
  return { formatVersion: 1, generation, state: 'ready', writtenAtEpochMs: 1, writer: 'node-tests/0', secrets };
}
