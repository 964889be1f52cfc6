// SPDX-License-Identifier: Apache-2.0
'use strict';

const { ManifestSource } = require('./manifest-source.js');
const { Log } = require('./log.js');
const { SecretsPrefetchError } = require('./errors.js');
const { trimAscii } = require('./config.js');

// process.hrtime, not performance.now: the first use of the `performance` global loads perf_hooks (~1.5 ms).
const SYSTEM_CLOCK = Object.freeze({
  monotonicMs: () => {
    const [seconds, nanoseconds] = process.hrtime();
    return seconds * 1000 + nanoseconds / 1e6;
  },
  epochMs: () => Date.now(),
});

/**
 * What the package's functions delegate to: the decision, per call, between the manifest and a direct call
 * (docs/manifest.md, "Rules for readers"). One per process in production; tests build their own.
 */
class SecretsClient {
  /**
   * @param {ReturnType<import('./config').configFrom>} config
   * @param {{clock?: {monotonicMs(): number, epochMs(): number}, out?: {write(text: string): unknown},
   *   fileSystem?: object, watch?: Function, pollMs?: number, fetcher?: object, callTimeoutMs?: number,
   *   sdk?: string, ssmSdk?: string}} [options] for tests
   */
  constructor(config, options = {}) {
    this.config = config;
    this.options = options;
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.log = new Log(config.logLevel, options.out);
    this.source = new ManifestSource(config.manifestPath, this.clock, this.log, options.fileSystem);
    this.waiting = null;
    this.direct = null;
    if (config.unknownVariables.length > 0) {
      this.log.warn(`ignoring unknown environment variables ${config.unknownVariables.join(', ')}; the client reads `
        + 'SECRETS_PREFETCH_DIR, SECRETS_PREFETCH_WAIT_MS and SECRETS_PREFETCH_LOG_LEVEL');
    }
  }

  async get(name) {
    return text(name, await this.value(name), 'getBinary');
  }

  async getBinary(name) {
    const value = await this.value(name);
    if (value.kind !== 'binary') {
      throw new SecretsPrefetchError(name, 'WRONG_TYPE', 'the secret is a string, not binary; use get');
    }
    return Buffer.from(value.bytes);
  }

  async getField(name, field) {
    if (typeof field !== 'string') {
      throw new TypeError(`the field must be a string, is ${typeof field}`);
    }
    const secret = text(name, await this.value(name), 'getBinary and parse it');
    return require('./json-secrets.js').field(name, secret, field);
  }

  async getJson(name) {
    const secret = text(name, await this.value(name), 'getBinary and parse it');
    return require('./json-secrets.js').document(name, secret);
  }

  /** The value for `name`: from the manifest when it has one, else from Secrets Manager or SSM. */
  async value(name) {
    if (typeof name !== 'string') {
      throw new TypeError(`the secret name must be a string, is ${name === null ? 'null' : typeof name}`);
    }
    if (trimAscii(name) === '') {
      throw new TypeError('the secret name must not be empty or blank');
    }
    let manifest = this.source.current();
    if (manifest !== null && manifest.pending) {
      manifest = await this.pendingWait().wait(manifest);
    }
    if (manifest === null) {
      return this.directCall(name, undefined, 'no usable manifest');
    }
    if (manifest.pending) {
      return this.directCall(name, undefined,
        `manifest generation ${manifest.generation} still pending when the wait ended`);
    }
    const entry = manifest.resolve(name);
    if (entry === undefined) {
      return this.directCall(name, undefined, `not in manifest generation ${manifest.generation}`);
    }
    if (entry.value.kind !== 'error') {
      return entry.value;
    }
    return this.directCall(name, entry,
      `manifest generation ${manifest.generation} has error ${entry.value.code} for it`);
  }

  /** A direct call for the entry (its secret, pinned version included, or its parameter), else for the name. */
  directCall(name, entry, why) {
    const fallback = this.fallback();
    let request;
    if (entry === undefined) {
      request = require('./fallback.js').requestFor(name);
    } else if (entry.parameter !== undefined) {
      request = { secretId: entry.parameter, parameter: true };
    } else {
      request = {
        secretId: entry.secretId, versionId: entry.requestedVersionId, versionStage: entry.requestedVersionStage,
      };
    }
    return fallback.get(name, request, why);
  }

  /** Loaded on the first pending manifest only. */
  pendingWait() {
    if (this.waiting === null) {
      const { PendingWait } = require('./pending-wait.js');
      this.waiting = new PendingWait(this.source, this.clock, this.log, this.config, this.options);
    }
    return this.waiting;
  }

  /** Loaded on the first direct call only: serving from the manifest loads none of it. */
  fallback() {
    if (this.direct === null) {
      const { Fallback } = require('./fallback.js');
      const fetcher = this.options.fetcher ?? new (require('./sdk-fetcher.js').SdkFetcher)(this.options);
      this.direct = new Fallback(this.config, this.clock, this.log, fetcher);
    }
    return this.direct;
  }
}

function text(name, value, instead) {
  if (value.kind !== 'text') {
    throw new SecretsPrefetchError(name, 'WRONG_TYPE', `the secret is binary, not a string; use ${instead}`);
  }
  return value.text;
}

module.exports = { SecretsClient };
