// SPDX-License-Identifier: Apache-2.0
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
 * Direct GetSecretValue (and SSM GetParameter) calls for what the manifest cannot serve, with the values kept
 * for TTL_MS so a function without the extension does not call AWS on every invocation. Callers that miss the
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
   * A GetSecretValue for secretId (with the version or stage an entry pinned), or, when parameter is true, a
   * GetParameter whose Name is secretId (selector included: SSM reads it from the name).
   * @typedef {{secretId: string, versionId?: string, versionStage?: string, parameter?: boolean}} Request
   * @param {string} name what the caller asked for, for messages
   * @param {Request} request
   * @param {string} why why the manifest did not serve it, for the log
   * @returns {Promise<import('./manifest').Value>}
   */
  async get(name, request, why) {
    const region = arnRegion(request.secretId, request.parameter === true) ?? this.defaultRegion;
    const key = JSON.stringify([region ?? null, request.secretId, request.versionId ?? null,
      request.versionStage ?? null, request.parameter === true]);
    const kept = this.values.get(key);
    if (kept !== undefined) {
      if (this.clock.monotonicMs() < kept.expiresAt) {
        return kept.value;
      }
      this.values.delete(key);
    }
    let call = this.calls.get(key);
    if (call === undefined) {
      const operation = request.parameter === true ? 'SSM GetParameter' : 'Secrets Manager GetSecretValue';
      this.log.info(`secret ${quote(name)}: ${why}; calling ${operation} for `
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

/** The region of an ARN id (arn:PARTITION:secretsmanager:REGION:..., or an SSM parameter's), if it is one. */
function arnRegion(secretId, parameter = false) {
  const match = (parameter ? /^arn:[^:]+:ssm:([^:]+):/ : /^arn:[^:]+:secretsmanager:([^:]+):/).exec(secretId);
  return match === null ? undefined : match[1];
}

/**
 * What a name no manifest entry serves asks for: an SSM parameter ARN (arn:PARTITION:ssm:REGION:ACCOUNT:
 * parameter/...) is a GetParameter; anything else, a bare /a/b too (secret names may contain /), is a SecretId.
 * @returns {Request}
 */
function requestFor(name) {
  return /^arn:[^:]+:ssm:[^:]+:[^:]*:parameter\//.test(name) ? { secretId: name, parameter: true } : { secretId: name };
}

/** For messages: the id and any pinned version, never a value. */
function describe(request) {
  let text = request.parameter === true ? `parameter ${request.secretId}` : request.secretId;
  if (request.versionId !== undefined) {
    text += ` version ${request.versionId}`;
  }
  if (request.versionStage !== undefined) {
    text += ` stage ${request.versionStage}`;
  }
  return text;
}

module.exports = { Fallback, CallFailure, TTL_MS, arnRegion, describe, requestFor };
