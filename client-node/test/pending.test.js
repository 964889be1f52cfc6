// SPDX-License-Identifier: Apache-2.0
'use strict';

// A pending manifest: calls wait for the extension, without spinning, until it is ready or until the
// manifest's deadline or SECRETS_PREFETCH_WAIT_MS; then they decide again.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { Harness, ready, pending, entry, countingFs } = require('./support/harness');
const { secretsManager } = require('./support/moto');
const { assertSameValue } = require('./support/values');

const REAL_CLOCK = { monotonicMs: () => performance.now(), epochMs: () => Date.now() };

function later(ms, action) {
  return new Promise((resolve) => {
    setTimeout(() => resolve(action()), ms);
  });
}

test('a call waits for a pending manifest to become ready, then serves from it', async (t) => {
  const { network } = await secretsManager(t);
  const harness = new Harness(t, { clock: REAL_CLOCK });
  harness.write(pending(1, Date.now() + 20_000));
  const value = harness.client().get('db');
  await later(200, () => harness.write(ready(2, { db: entry('prod/db', 'fixture-waited-spv-Pw01') })));
  assertSameValue(await value, 'fixture-waited-spv-Pw01', 'db');
  assert.equal(network.gets().length, 0, 'no direct call');
  assert.match(harness.out.lines('info')[0], /INFO waited \d+ ms for the extension's manifest \(generation 2\)$/);
});

test('the directory watch wakes the wait: with the safety poll a minute apart it still ends on the rename',
  { timeout: 60_000 }, async (t) => {
    const { network } = await secretsManager(t);
    const harness = new Harness(t, { clock: REAL_CLOCK, pollMs: 60_000 });
    harness.write(pending(1, Date.now() + 30_000));
    const value = harness.client().get('db');
    await later(200, () => harness.write(ready(2, { db: entry('prod/db', 'fixture-watched-spv-Pw02') })));
    assertSameValue(await value, 'fixture-watched-spv-Pw02', 'db');
    assert.equal(network.gets().length, 0, 'woken by the watch, long before the deadline');
  });

test('without a directory watch the safety poll still sees the manifest become ready', async (t) => {
  let watched = 0;
  const harness = new Harness(t, { clock: REAL_CLOCK, watch: () => {
    watched++;
    throw Object.assign(new Error('no inotify'), { code: 'ENOSPC' });
  } });
  harness.write(pending(1, Date.now() + 20_000));
  const value = harness.client().get('db');
  await later(200, () => harness.write(ready(2, { db: entry('prod/db', 'fixture-polled-spv-Pw03') })));
  assertSameValue(await value, 'fixture-polled-spv-Pw03', 'db');
  assert.equal(watched, 1);
  assert.match(harness.out.text, /DEBUG cannot watch .* \(ENOSPC\); looking every 50 ms instead/);
});

test('the wait does not spin: about one look at the file per 50 ms', async (t) => {
  await secretsManager(t);
  const disk = countingFs();
  const harness = new Harness(t, { clock: REAL_CLOCK, fileSystem: disk.fs, env: { SECRETS_PREFETCH_WAIT_MS: '500' } });
  harness.write(pending(1, Date.now() + 60_000));
  await harness.client().get('db').catch(() => {});
  assert.ok(disk.counts.lstatSync >= 3 && disk.counts.lstatSync <= 25,
    `${disk.counts.lstatSync} looks in a wait of 500 ms`);
});

test('SECRETS_PREFETCH_WAIT_MS caps the wait; then a direct call, with one warning per generation', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const id = `pending-capped-${process.pid}`;
  await secrets.create(id, { string: 'fallback-capped-spv-Pw04' });
  const harness = new Harness(t, { clock: REAL_CLOCK, env: { SECRETS_PREFETCH_WAIT_MS: '100' } });
  harness.write(pending(7, Date.now() + 60_000));
  const client = harness.client();
  assertSameValue(await client.get(id), 'fallback-capped-spv-Pw04', id);
  await client.get(id);
  assert.equal(network.gets(id).length, 1);
  assert.equal(harness.warnings(), 1, harness.out.text);
  assert.match(harness.out.lines('warn')[0], /manifest still pending after waiting \d+ ms \(its deadline or SECRETS_PREFETCH_WAIT_MS=100 reached\); calling Secrets Manager directly$/);
  assert.match(harness.out.text, /INFO secret "pending-capped-\d+": manifest generation 7 still pending when the wait ended; calling/);
});

test('a deadline already past means no wait at all', async (t) => {
  const { secrets } = await secretsManager(t);
  const id = `pending-past-${process.pid}`;
  await secrets.create(id, { string: 'fallback-past-spv-Pw05' });
  const disk = countingFs();
  const harness = new Harness(t, { clock: REAL_CLOCK, fileSystem: disk.fs });
  harness.write(pending(1, Date.now() - 1));
  assertSameValue(await harness.client().get(id), 'fallback-past-spv-Pw05', id);
  assert.equal(disk.counts.lstatSync, 1, 'one look, no wait');
});

test('a manifest removed while pending ends the wait with a direct call', async (t) => {
  const { secrets } = await secretsManager(t);
  const id = `pending-removed-${process.pid}`;
  await secrets.create(id, { string: 'fallback-removed-spv-Pw06' });
  const harness = new Harness(t, { clock: REAL_CLOCK });
  harness.write(pending(1, Date.now() + 20_000));
  const value = harness.client().get(id);
  await later(150, () => fs.unlinkSync(harness.manifestPath));
  assertSameValue(await value, 'fallback-removed-spv-Pw06', id);
  assert.match(harness.out.text, /INFO the manifest went away or became unusable after waiting \d+ ms/);
});

test('calls waiting together share one watch and one look per wake-up', async (t) => {
  const disk = countingFs();
  let watches = 0;
  const harness = new Harness(t, { clock: REAL_CLOCK, fileSystem: disk.fs, watch: (...args) => {
    watches++;
    return fs.watch(...args);
  } });
  harness.write(pending(1, Date.now() + 20_000));
  const values = Array.from({ length: 50 }, (_, i) => harness.client().get(i % 2 ? 'a' : 'b'));
  await later(300, () => harness.write(ready(2, { a: entry('prod/a', 'fixture-a-spv-Pw07'),
    b: entry('prod/b', 'fixture-b-spv-Pw08') })));
  const got = await Promise.all(values);
  got.forEach((v, i) => assertSameValue(v, i % 2 ? 'fixture-a-spv-Pw07' : 'fixture-b-spv-Pw08', `call ${i}`));
  assert.equal(watches, 1, 'one watch');
  assert.ok(disk.counts.lstatSync <= 20, `${disk.counts.lstatSync} looks for 50 callers waiting 300 ms`);
  assert.equal(harness.out.lines('info').length, 1, harness.out.text);
});

test('an unexpected failure while waiting rejects the waiting calls instead of leaving them waiting', async (t) => {
  const disk = countingFs();
  const harness = new Harness(t, { clock: REAL_CLOCK, fileSystem: disk.fs });
  harness.write(pending(1, Date.now() + 20_000));
  const client = harness.client();
  client.source.current();
  client.source.reload = () => {
    throw new TypeError('a defect');
  };
  const waiting = [client.get('a'), client.get('b')];
  for (const call of waiting) {
    await assert.rejects(call, { name: 'TypeError', message: 'a defect' });
  }
});
