// SPDX-License-Identifier: Apache-2.0
/// <reference types="node" />
import { AssertionError } from 'node:assert';

/** The reasons a secret can be declared failing with: those that come from Secrets Manager, not from the value. */
export type FailingReason = 'NOT_FOUND' | 'ACCESS_DENIED' | 'THROTTLED' | 'TIMEOUT' | 'DECRYPTION_FAILURE' | 'OTHER';

/** A secret declared failing; see failing(). */
export interface Failing {
  readonly reason: FailingReason;
}

/** The code under test asked for a secret the test did not declare. No call to Secrets Manager was made. */
export declare class UndeclaredSecretError extends AssertionError {
  private constructor(message: string);
  readonly name: 'UndeclaredSecretError';
}

/**
 * A secret that fails as if Secrets Manager had refused it: every call for it rejects with a SecretsPrefetchError
 * of that reason.
 * @example withFakeSecrets({ flags: failing('ACCESS_DENIED') }, async () => { ... })
 */
export declare function failing(reason: FailingReason): Failing;

/**
 * Runs `fn` with `secrets` served to secrets-prefetch, in its async context, and resolves to what it returns. A
 * value is a string (a string secret), a Buffer or Uint8Array (binary), failing(reason), or anything else
 * JSON.stringify writes (a JSON secret). An undeclared name rejects with an UndeclaredSecretError, and so does
 * withFakeSecrets at the end if one was asked for.
 * @example test('answers 200', () => withFakeSecrets({ 'api-key': 'test-key' }, async () => { ... }));
 */
export declare function withFakeSecrets<T>(secrets: Readonly<Record<string, unknown>>,
  fn: () => T | Promise<T>): Promise<T>;
