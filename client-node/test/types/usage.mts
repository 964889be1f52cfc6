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
