// SPDX-License-Identifier: Apache-2.0
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { SecretsClient } = require('../../lib/client');
const { configFrom } = require('../../lib/config');
const { assertNoValue } = require('./values');

const FIXTURES = process.env.SECRETS_PREFETCH_FIXTURES
  ? path.dirname(process.env.SECRETS_PREFETCH_FIXTURES)
  : path.resolve(__dirname, '../../../fixtures');

/** The shared contract's files: fixture('manifest', 'valid.json'), fixture('client-contract', 'names.json'). */
function fixture(...parts) {
  return path.join(FIXTURES, ...parts);
}

function readFixtureJson(...parts) {
  return JSON.parse(fs.readFileSync(fixture(...parts), 'utf8'));
}

/** A clock tests move by hand: monotonic and epoch time advance together. */
class FakeClock {
  constructor(epochMs = Date.now()) {
    this.epoch = epochMs;
    this.mono = 1_000_000;
  }

  monotonicMs() {
    return this.mono;
  }

  epochMs() {
    return this.epoch;
  }

  advance(ms) {
    this.mono += ms;
    this.epoch += ms;
  }
}

/** Log lines collected in memory. */
class Output {
  constructor() {
    this.text = '';
  }

  write(text) {
    this.text += text;
  }

  lines(level) {
    const prefix = level === undefined ? '[secrets-prefetch] ' : `[secrets-prefetch] ${level.toUpperCase()} `;
    return this.text.split('\n').filter((line) => line.startsWith(prefix));
  }
}

/**
 * A secrets directory of its own (under the system's temporary directory, never in target/: the manifests
 * hold fake values), a client reading it, and its log.
 */
class Harness {
  constructor(t, { env = {}, clock = new FakeClock(), ...options } = {}) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prefetch-node-'));
    this.dir = path.join(this.root, 'secrets');
    fs.mkdirSync(this.dir, { mode: 0o700 });
    this.manifestPath = path.join(this.dir, 'manifest.json');
    this.clock = clock;
    this.out = new Output();
    this.env = { SECRETS_PREFETCH_DIR: this.dir, SECRETS_PREFETCH_LOG_LEVEL: 'debug', ...env };
    this.options = options;
    this.clientInstance = null;
    t.after(() => {
      assertNoValue(this.out.text, 'the client\'s log');
      fs.chmodSync(this.dir, 0o700);
      fs.rmSync(this.root, { recursive: true, force: true });
    });
  }

  /** The client, configured (on first use) from this.env over the region variables of the process. */
  client() {
    const regions = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
    this.clientInstance ??= new SecretsClient(configFrom({ ...regions, ...this.env }), { clock: this.clock,
      out: this.out, ...this.options });
    return this.clientInstance;
  }

  /** Replaces the manifest atomically, as the extension does. */
  write(manifest) {
    const bytes = Buffer.isBuffer(manifest) ? manifest
      : Buffer.from(typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
    const temporary = path.join(this.dir, `.manifest.json.${process.hrtime.bigint()}.tmp`);
    fs.writeFileSync(temporary, bytes, { mode: 0o600 });
    fs.renameSync(temporary, this.manifestPath);
  }

  writeFixture(name) {
    this.write(fs.readFileSync(fixture('manifest', name)));
  }

  warnings() {
    return this.out.lines('warn').length;
  }
}

/** A ready manifest of these entries. */
function ready(generation, secrets) {
  return { formatVersion: 1, generation, state: 'ready', writtenAtEpochMs: 1, writer: 'node-tests/0', secrets };
}

/** A pending manifest with this deadline. */
function pending(generation, deadlineEpochMs) {
  return { formatVersion: 1, generation, state: 'pending', deadlineEpochMs, writtenAtEpochMs: 1,
    writer: 'node-tests/0' };
}

/** An entry with a string value (marked), or with `fields` such as {error: {code}} or {secretBinary}. */
function entry(secretId, fields) {
  const body = typeof fields === 'string' ? { secretString: fields } : fields;
  return { secretId, fetchedAtEpochMs: 1, ...body };
}

/** node:fs with its calls counted, and faults to inject: faults.openSync = [error, ...] throws those first. */
function countingFs() {
  const counts = { lstatSync: 0, openSync: 0, readSync: 0 };
  const faults = { openSync: [] };
  const wrapped = { ...fs };
  for (const name of Object.keys(counts)) {
    wrapped[name] = (...args) => {
      counts[name]++;
      const fault = faults[name]?.shift();
      if (fault !== undefined) {
        throw fault;
      }
      return fs[name](...args);
    };
  }
  return { fs: wrapped, counts, faults };
}

module.exports = { Harness, FakeClock, Output, ready, pending, entry, fixture, readFixtureJson, countingFs };
