// SPDX-License-Identifier: Apache-2.0
// Type-checked by types.test.js (tsc, module node16): what an ES module handler written in TypeScript sees.
import { get, getBinary, getField, getJson, SecretsPrefetchError, type SecretsPrefetchReason } from 'secrets-prefetch';

const apiKey: string = await get('api-key');
const key: Buffer = await getBinary('signing-key');
const password: string = await getField('db', 'password');
const db = (await getJson('db')) as { username: string };

export async function handler(): Promise<string> {
  try {
    return apiKey + key.length + password + db.username;
  } catch (e) {
    if (e instanceof SecretsPrefetchError) {
      const reason: SecretsPrefetchReason = e.reason;
      return `${e.secretName} ${reason}`;
    }
    throw e;
  }
}

// @ts-expect-error a number is no secret name
await get(5);
// @ts-expect-error getField needs the field
await getField('db');

// The test support, as an ES module test written in TypeScript uses it.
import { withFakeSecrets, failing, UndeclaredSecretError } from 'secrets-prefetch/testing';

const answered: number = await withFakeSecrets({ 'api-key': 'test-key', key: Buffer.from([1]), db: { port: 1 },
  flags: failing('ACCESS_DENIED') }, async () => (await get('api-key')).length);
const undeclared: boolean = new Error() instanceof UndeclaredSecretError;
// @ts-expect-error WRONG_TYPE comes from the value, not from Secrets Manager
failing('WRONG_TYPE');
export const testingUsed = [answered, undeclared];
