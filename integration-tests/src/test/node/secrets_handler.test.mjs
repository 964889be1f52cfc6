// SPDX-License-Identifier: Apache-2.0
// The example Node.js function's unit tests, written as a user of secrets-prefetch writes them: fake secrets for
// the test, served to the handler through secrets-prefetch with no AWS, no layer and no emulator. Run by
// ScriptExampleFunctionsTest (mvn verify) next to a copy of the handler, with secrets-prefetch in node_modules (a
// link to client-node), as in a function's project: node --test secrets_handler.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { withFakeSecrets, failing } from 'secrets-prefetch/testing';

const HANDLER = new URL('./secrets_handler.mjs', import.meta.url);
const DB = '{"username":"app","password":"example-db-password-spv-Js4m"}';
const API_KEY = 'example-api-key-spv-Js1k';
const SECRETS = { 'prod/db': DB, 'api-key': API_KEY, 'retired-key': failing('NOT_FOUND') };

// The handler module imported afresh, as Lambda imports it once per execution environment: its top level (its
// init) runs now, with this test's fakes and SECRET_IDS.
let imports = 0;
async function loadFunction(secretIds) {
  process.env.SECRET_IDS = secretIds;
  HANDLER.searchParams.set('test', String(++imports));
  return import(HANDLER.href);
}

const sha256 = (value) => createHash('sha256').update(value, 'utf8').digest('hex');

test('init reads every secret it is configured for', () => withFakeSecrets(SECRETS, async () => {
  const { handler } = await loadFunction('prod/db, api-key');
  const answer = await handler({});
  assert.deepEqual(answer.init, { 'prod/db': sha256(DB), 'api-key': sha256(API_KEY) });
  assert.deepEqual(answer.request, {});
}));

test('an event asks for more secrets', () => withFakeSecrets(SECRETS, async () => {
  const { handler } = await loadFunction('');
  assert.deepEqual((await handler({ get: ['api-key'] })).request, { 'api-key': sha256(API_KEY) });
}));

test('a secret Secrets Manager cannot find fails the invocation naming it', () => withFakeSecrets(SECRETS, async () => {
  const { handler } = await loadFunction('api-key');
  await assert.rejects(handler({ get: ['retired-key'] }), (e) => {
    assert.equal(e.name, 'SecretsPrefetchError');
    assert.equal(e.secretName, 'retired-key');
    assert.equal(e.reason, 'NOT_FOUND');
    return true;
  });
}));
