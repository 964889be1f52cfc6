// SPDX-License-Identifier: Apache-2.0
// Type-checked by types.test.js (tsc, module node16): what a CommonJS handler written in TypeScript sees.
import secrets = require('secrets-prefetch');

export async function handler(): Promise<number> {
  const value: string = await secrets.get('db');
  const reason: secrets.SecretsPrefetchReason = 'NOT_FOUND';
  // @ts-expect-error not a reason
  const wrong: secrets.SecretsPrefetchReason = 'MISSING';
  return value.length + reason.length + String(wrong).length;
}

// The test support, as a CommonJS test written in TypeScript uses it.
import testing = require('secrets-prefetch/testing');

export function check(): Promise<string> {
  return testing.withFakeSecrets({ db: testing.failing('NOT_FOUND') }, () => secrets.get('db'));
}
