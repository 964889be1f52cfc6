// SPDX-License-Identifier: Apache-2.0
'use strict';

// What the disk can do to a reader: how often the file is looked at and read, and files that must not be used.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { Harness, ready, entry, countingFs } = require('./support/harness');
const { secretsManager } = require('./support/moto');
const { assertSameValue } = require('./support/values');
const { RECHECK_MS, MAX_BYTES } = require('../lib/manifest-source');

test('the file is looked at at most once a second and read only when it changed', async (t) => {
  const disk = countingFs();
  const harness = new Harness(t, { fileSystem: disk.fs });
  harness.write(ready(1, { db: entry('prod/db', 'fixture-g1-spv-Mf01') }));
  const client = harness.client();
  for (let i = 0; i < 10; i++) {
    assertSameValue(await client.get('db'), 'fixture-g1-spv-Mf01', 'db');
    harness.clock.advance(RECHECK_MS / 10 - 1);
  }
  assert.deepEqual([disk.counts.lstatSync, disk.counts.openSync], [1, 1], 'one look and one read in a second');
  harness.clock.advance(100);
  await client.get('db');
  assert.deepEqual([disk.counts.lstatSync, disk.counts.openSync], [2, 1], 'a second look, no read: unchanged');
});

test('a new generation is served within a second of being written', async (t) => {
  const harness = new Harness(t);
  harness.write(ready(1, { db: entry('prod/db', 'fixture-g1-spv-Mf02') }));
  const client = harness.client();
  assertSameValue(await client.get('db'), 'fixture-g1-spv-Mf02', 'db');
  harness.write(ready(2, { db: entry('prod/db', 'fixture-g2-spv-Mf03') }));
  harness.clock.advance(RECHECK_MS - 1);
  assertSameValue(await client.get('db'), 'fixture-g1-spv-Mf02', 'db before the second is over');
  harness.clock.advance(1);
  assertSameValue(await client.get('db'), 'fixture-g2-spv-Mf03', 'db after it');
});

test('a corrupt manifest warns once, is not read again until replaced, and its replacement is used', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const id = `manifest-file-corrupt-${process.pid}`;
  await secrets.create(id, { string: 'fallback-corrupt-spv-Mf04' });
  const disk = countingFs();
  const harness = new Harness(t, { fileSystem: disk.fs });
  harness.write('{"formatVersion": 1, "generation": 1, "state": "ready", "secrets": {"x": {"secretString": "fixture-spv-Mf05"');
  const client = harness.client();
  assertSameValue(await client.get(id), 'fallback-corrupt-spv-Mf04', id);
  harness.clock.advance(RECHECK_MS);
  assertSameValue(await client.get(id), 'fallback-corrupt-spv-Mf04', id);
  assert.equal(disk.counts.openSync, 1, 'the same corrupt file is not read twice');
  assert.equal(network.gets(id).length, 1);
  harness.write(ready(2, { [id]: entry(id, 'fixture-fixed-spv-Mf06') }));
  harness.clock.advance(RECHECK_MS);
  assertSameValue(await client.get(id), 'fixture-fixed-spv-Mf06', `${id} once the manifest is fixed`);
  assert.equal(harness.warnings(), 1);
  assert.match(harness.out.lines('warn')[0], /manifest .*manifest\.json cannot be used: manifest is not valid JSON: unexpected end \(truncated\?\) \(line 1, column \d+\); treating it as absent/);
});

test('a failed read is retried at the next check, though the file is unchanged', async (t) => {
  const { secrets } = await secretsManager(t);
  const id = `manifest-file-eio-${process.pid}`;
  await secrets.create(id, { string: 'fallback-eio-spv-Mf07' });
  const disk = countingFs();
  disk.faults.openSync.push(Object.assign(new Error('i/o error'), { code: 'EIO' }));
  const harness = new Harness(t, { fileSystem: disk.fs });
  harness.write(ready(1, { [id]: entry(id, 'fixture-after-eio-spv-Mf08') }));
  const client = harness.client();
  assertSameValue(await client.get(id), 'fallback-eio-spv-Mf07', `${id} while the file cannot be read`);
  harness.clock.advance(RECHECK_MS);
  assertSameValue(await client.get(id), 'fixture-after-eio-spv-Mf08', `${id} at the next check`);
  assert.match(harness.out.lines('warn')[0], /cannot be read \(EIO\); check its owner and mode/);
});

/** A manifest that cannot be used: its id is served by a direct call, with one warning matching `warning`. */
async function refused(t, harness, disk, warning) {
  const { secrets } = await secretsManager(t);
  const id = `manifest-file-refused-${process.pid}-${refused.count = (refused.count ?? 0) + 1}`;
  await secrets.create(id, { string: 'fallback-refused-spv-Mf09' });
  const client = harness.client();
  for (let i = 0; i < 3; i++) {
    assertSameValue(await client.get(id), 'fallback-refused-spv-Mf09', id);
    harness.clock.advance(RECHECK_MS);
  }
  assert.equal(harness.warnings(), 1, harness.out.text);
  assert.match(harness.out.lines('warn')[0], warning);
  return disk;
}

test('a symbolic link is never followed, wherever it points', async (t) => {
  const disk = countingFs();
  const harness = new Harness(t, { fileSystem: disk.fs });
  const real = path.join(harness.root, 'elsewhere.json');
  fs.writeFileSync(real, JSON.stringify(ready(1, { db: entry('prod/db', 'fixture-linked-spv-Mf10') })));
  fs.symlinkSync(real, harness.manifestPath);
  await refused(t, harness, disk, /is a symbolic link, which readers never follow/);
  assert.equal(disk.counts.openSync, 0, 'never opened');
});

test('a symbolic link put in place between the look and the open is not followed (O_NOFOLLOW)', async (t) => {
  const disk = countingFs();
  const harness = new Harness(t, { fileSystem: disk.fs });
  const real = path.join(harness.root, 'regular.json');
  fs.writeFileSync(real, JSON.stringify(ready(1, { db: entry('prod/db', 'fixture-raced-spv-Mf11') })));
  fs.symlinkSync(real, harness.manifestPath);
  disk.fs.lstatSync = (file, options) => fs.lstatSync(file === harness.manifestPath ? real : file, options);
  await refused(t, harness, disk, /is a symbolic link, which readers never follow/);
});

test('a FIFO is refused without blocking, even one put in place between the look and the open', async (t) => {
  const disk = countingFs();
  const harness = new Harness(t, { fileSystem: disk.fs });
  assert.equal(spawnSync('mkfifo', [harness.manifestPath]).status, 0, 'mkfifo');
  const regular = path.join(harness.root, 'regular.json');
  fs.writeFileSync(regular, '{}');
  let raced = 0;
  disk.fs.lstatSync = (file, options) => fs.lstatSync(raced++ % 2 === 0 ? regular : file, options);
  await refused(t, harness, disk, /is not a regular file \(a directory, FIFO or device\)/);
  assert.ok(disk.counts.openSync >= 1, 'the raced look led to an open, which did not block');
});

test('a directory in place of the manifest is refused', async (t) => {
  const harness = new Harness(t);
  fs.mkdirSync(harness.manifestPath);
  await refused(t, harness, countingFs(), /is not a regular file/);
});

test('a file over 64 MiB is refused unread', async (t) => {
  const disk = countingFs();
  const harness = new Harness(t, { fileSystem: disk.fs });
  fs.writeFileSync(harness.manifestPath, '');
  fs.truncateSync(harness.manifestPath, MAX_BYTES + 1); // sparse: no 64 MiB written
  await refused(t, harness, disk, /is more than 67108864 bytes, larger than any manifest; remove it/);
  assert.equal(disk.counts.readSync, 0, 'not a byte read');
});

test('a manifest that goes away is absent from the next check on', async (t) => {
  const { secrets } = await secretsManager(t);
  const id = `manifest-file-gone-${process.pid}`;
  await secrets.create(id, { string: 'fallback-gone-spv-Mf12' });
  const harness = new Harness(t);
  harness.write(ready(1, { [id]: entry(id, 'fixture-before-spv-Mf13') }));
  const client = harness.client();
  assertSameValue(await client.get(id), 'fixture-before-spv-Mf13', id);
  fs.unlinkSync(harness.manifestPath);
  harness.clock.advance(RECHECK_MS);
  assertSameValue(await client.get(id), 'fallback-gone-spv-Mf12', `${id} once the manifest is gone`);
  assert.equal(harness.warnings(), 0);
});

test('an unreadable manifest falls back with one warning naming EACCES', async (t) => {
  const harness = new Harness(t);
  harness.write(ready(1, { db: entry('prod/db', 'fixture-unreadable-spv-Mf14') }));
  fs.chmodSync(harness.manifestPath, 0o000);
  // Root reads any file: the probe runs as nobody (setpriv, util-linux), on a copy of the package it can read.
  const probe = copyPackage(harness.root);
  fs.chmodSync(harness.root, 0o755);
  fs.chmodSync(harness.dir, 0o755);
  const script = `const { SecretsClient } = require(${JSON.stringify(path.join(probe, 'lib/client.js'))});
    const { configFrom } = require(${JSON.stringify(path.join(probe, 'lib/config.js'))});
    new SecretsClient(configFrom({ SECRETS_PREFETCH_DIR: ${JSON.stringify(harness.dir)}, AWS_REGION: 'us-east-1' }))
      .get('db').catch((e) => console.log('reason', e.reason));`;
  const asNobody = process.getuid() === 0;
  const command = asNobody ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath]
    : [process.execPath];
  if (asNobody && !fs.existsSync('/usr/bin/setpriv')) {
    assert.fail('setpriv (util-linux) is needed to test an unreadable manifest as root: root reads any file');
  }
  const run = spawnSync(command[0], [...command.slice(1), '-e', script], { encoding: 'utf8', cwd: '/' });
  assert.equal(run.status, 0, run.stderr);
  const warnings = run.stdout.split('\n').filter((l) => l.startsWith('[secrets-prefetch] WARN '));
  assert.equal(warnings.length, 1, run.stdout);
  assert.match(warnings[0], /cannot be read \(EACCES\); check its owner and mode \(0600, the function's user\)/);
  assert.match(run.stdout, /reason OTHER/, 'then a direct call, which finds no AWS SDK next to the copy');
});

/** index.js and lib/ copied to DIR/package, readable by everyone. */
function copyPackage(dir) {
  const target = path.join(dir, 'package');
  fs.cpSync(path.join(__dirname, '..', 'lib'), path.join(target, 'lib'), { recursive: true });
  fs.copyFileSync(path.join(__dirname, '..', 'index.js'), path.join(target, 'index.js'));
  spawnSync('chmod', ['-R', 'a+rX', target]);
  return target;
}
