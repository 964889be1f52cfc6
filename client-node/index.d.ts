// SPDX-License-Identifier: Apache-2.0
/// <reference types="node" />

/** What kind of failure it was (the same names in every secrets-prefetch client). */
export type SecretsPrefetchReason =
  | 'NOT_FOUND'
  | 'ACCESS_DENIED'
  | 'THROTTLED'
  | 'TIMEOUT'
  | 'DECRYPTION_FAILURE'
  | 'INVALID_JSON'
  | 'NO_SUCH_FIELD'
  | 'WRONG_TYPE'
  | 'OTHER';

/**
 * A secret could not be returned. The message names the secret and the cause and never contains a value.
 *
 * @example
 * try {
 *   flags = await get('feature-flags-token');
 * } catch (e) {
 *   if (!(e instanceof SecretsPrefetchError && e.reason === 'NOT_FOUND')) throw e;
 * }
 */
export declare class SecretsPrefetchError extends Error {
  private constructor(secretName: string, reason: SecretsPrefetchReason, message: string);
  readonly name: 'SecretsPrefetchError';
  /** The name the caller asked for. */
  readonly secretName: string;
  /** What kind of failure it was. */
  readonly reason: SecretsPrefetchReason;
}

/**
 * The value of a string secret: from the extension's manifest, else from Secrets Manager (cached 300 s).
 * @param name the name configured for the extension, or a secret id or ARN
 * @example const apiKey = await get('api-key');
 */
export declare function get(name: string): Promise<string>;

/**
 * The bytes of a binary secret, in a new Buffer the caller may change.
 * @example const signingKey = await getBinary('signing-key');
 */
export declare function getBinary(name: string): Promise<Buffer>;

/**
 * One top-level field of a JSON secret: a string field decoded; a number, boolean, object or array as its JSON
 * text exactly as written. Rejects with NO_SUCH_FIELD when the field is missing or null.
 * @example const password = await getField('db', 'password');
 */
export declare function getField(name: string, field: string): Promise<string>;

/**
 * A strict JSON secret, parsed (a new value on each call).
 * @example const db = (await getJson('db')) as { username: string; password: string };
 */
export declare function getJson(name: string): Promise<unknown>;
