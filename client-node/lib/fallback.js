'use strict';

const { SecretsPrefetchError, quote } = require('./errors.js');

/** How long a value fetched directly is served from memory. */
const TTL_MS = 300_000;

/**
 * A direct call's failure, without the secret's name: the calls for one request are shared by every caller
 * waiting for it, and each caller's error names what that caller asked for.
 */
class CallFailure extends Error {
  constructor(reason, message) {
    super(message);
    this.name = 'CallFailure';
    this.reason = reason;
  }
}

/**
 * Direct GetSecretValue calls for what the manifest cannot serve, with the values kept for TTL_MS so a
 * function without the extension does not call Secrets Manager on every invocation. Callers that miss the
 * same secret at the same time share one call; a failure is not kept, so the next call tries again.
 */
class Fallback {
  /**
   * @param {{region: string | undefined}} config
   * @param {{monotonicMs(): number}} clock
   * @param {import('./log').Log} log
   * @param {{fetch(request: Request, region: string | undefined): Promise<import('./manifest').Value>}} fetcher
   */
  constructor(config, clock, log, fetcher) {
    this.defaultRegion = config.region;
    this.clock = clock;
    this.log = log;
    this.fetcher = fetcher;
    this.values = new Map();
    this.calls = new Map();
  }

  /**
   * @typedef {{secretId: string, versionId?: string, versionStage?: string}} Request
   * @param {string} name what the caller asked for, for messages
   * @param {Request} request
   * @param {string} why why the manifest did not serve it, for the log
   * @returns {Promise<import('./manifest').Value>}
   */
  async get(name, request, why) {
    const region = arnRegion(request.secretId) ?? this.defaultRegion;
    const key = JSON.stringify([region ?? null, request.secretId, request.versionId ?? null,
      request.versionStage ?? null]);
    const kept = this.values.get(key);
    if (kept !== undefined) {
      if (this.clock.monotonicMs() < kept.expiresAt) {
        return kept.value;
      }
      this.values.delete(key);
    }
    let call = this.calls.get(key);
    if (call === undefined) {
      this.log.info(`secret ${quote(name)}: ${why}; calling Secrets Manager GetSecretValue for `
        + `${describe(request)} in ${region ?? "the AWS SDK's default region"}`);
      call = this.fetcher.fetch(request, region).then((value) => {
        this.values.set(key, { value, expiresAt: this.clock.monotonicMs() + TTL_MS });
        return value;
      }).finally(() => this.calls.delete(key));
      this.calls.set(key, call);
    }
    try {
      return await call;
    } catch (e) {
      if (e instanceof CallFailure) {
        throw new SecretsPrefetchError(name, e.reason, e.message);
      }
      throw e;
    }
  }
}

/** The region of an ARN id (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME), if it is one. */
function arnRegion(secretId) {
  const match = /^arn:[^:]+:secretsmanager:([^:]+):/.exec(secretId);
  return match === null ? undefined : match[1];
}

/** For messages: the id and any pinned version, never a value. */
function describe(request) {
  let text = request.secretId;
  if (request.versionId !== undefined) {
    text += ` version ${request.versionId}`;
  }
  if (request.versionStage !== undefined) {
    text += ` stage ${request.versionStage}`;
  }
  return text;
}

module.exports = { Fallback, CallFailure, TTL_MS, arnRegion, describe };
