// SPDX-License-Identifier: Apache-2.0
'use strict';

// secrets-prefetch/testing: what a test declares is what the client serves, nothing else is ever called, and
// nothing of it outlives withFakeSecrets.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { get, getBinary, getField, getJson, SecretsPrefetchError } = require('secrets-prefetch');
const { withFakeSecrets, failing, UndeclaredSecretError } = require('secrets-prefetch/testing');
const { assertSameValue, assertNoValue, caught } = require('./support/values');

const API_KEY = 'fixture-testing-api-key-spv-Nk3y';
const PASSWORD = 'fixture-testing-password-spv-Np4s';
const KEY = Buffer.from('spv-NodeBin\u0000\u00ff', 'latin1');
const SECRETS = {
  'api-key': API_KEY,
  'signing-key': KEY,
  db: { username: 'app', password: PASSWORD, port: 5432 },
  flags: failing('ACCESS_DENIED'),
};
const PACKAGE = path.resolve(__dirname, '..');

test('every kind of declared secret is served through the package', () => withFakeSecrets(SECRETS, async () => {
  assertSameValue(await get('api-key'), API_KEY, 'api-key');
  assertSameValue(await getBinary('signing-key'), KEY, 'signing-key');
  assertSameValue(await getField('db', 'password'), PASSWORD, 'db.password');
  assert.equal(await getField('db', 'port'), '5432');
  assert.equal((await getJson('db')).username, 'app');
}));

for (const reason of ['NOT_FOUND', 'ACCESS_DENIED', 'THROTTLED', 'TIMEOUT', 'DECRYPTION_FAILURE', 'OTHER']) {
  test(`a secret declared failing with ${reason} rejects with that reason through every function`, () =>
    withFakeSecrets({ db: failing(reason) }, async () => {
      for (const call of [() => get('db'), () => getBinary('db'), () => getField('db', 'x'), () => getJson('db')]) {
        const error = await caught(call, SecretsPrefetchError);
        assert.deepEqual([error.reason, error.secretName], [reason, 'db']);
        assert.match(error.message, /no call to Secrets Manager was made/);
      }
    }));
}

test('reasons that come from the value cannot be declared failing', () => {
  for (const reason of ['INVALID_JSON', 'NO_SUCH_FIELD', 'WRONG_TYPE', 'MISSING']) {
    assert.throws(() => failing(reason), { name: 'TypeError', message: /come from the value|one of NOT_FOUND/ });
  }
});

test('an undeclared name rejects naming it and what was declared, and withFakeSecrets rejects again', async () => {
  const atTheEnd = await caught(() => withFakeSecrets(SECRETS, async () => {
    const error = await caught(() => get('prod/db'), UndeclaredSecretError);
    assert.ok(error.message.startsWith('secret "prod/db" is not one of the fake secrets this test declared '
      + '("api-key", "signing-key", "db", "flags")'), error.message);
    assert.match(error.message, /No call to Secrets Manager was made/);
    assert.ok(error instanceof assert.AssertionError);
  }), UndeclaredSecretError);
  assert.match(atTheEnd.message, /did not declare: "prod\/db"/);
});

test('an undeclared name the handler swallowed still fails the test at the end', async () => {
  const careless = async () => get('feature-flags').catch(() => 'fallback');

  const error = await caught(() => withFakeSecrets(SECRETS, async () => {
    assert.equal(await careless(), 'fallback');
  }), UndeclaredSecretError);
  assert.match(error.message, /the code caught it/);
});

test('concurrent scopes in one process each see their own secrets, and code outside them sees none', async () => {
  const alpha = 'fixture-testing-alpha-spv-Alph';
  const beta = 'fixture-testing-beta-spv-B3ta';
  let release;
  const together = new Promise((resolve) => {
    release = resolve;
  });
  let arrived = 0;
  const meet = async () => {
    arrived += 1;
    if (arrived === 2) {
      release();
    }
    await together;
  };
  const read = (value) => withFakeSecrets({ db: value }, async () => {
    await meet();
    assertSameValue(await get('db'), value, 'db in its own scope');
    await new Promise((resolve) => setTimeout(resolve, 5));
    assertSameValue(await get('db'), value, 'db in its own scope, after the other read');
  });

  await Promise.all([read(alpha), read(beta)]);
});

test('the returned value is fn\'s, and a non-function fn is refused', async () => {
  assert.equal(await withFakeSecrets({}, () => 42), 42);
  await assert.rejects(withFakeSecrets({}), { name: 'TypeError', message: /fn must be a function/ });
});

test('inside a Lambda function fake secrets are refused', async (t) => {
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'orders';
  t.after(() => delete process.env.AWS_LAMBDA_FUNCTION_NAME);
  await assert.rejects(withFakeSecrets(SECRETS, () => {}),
    { message: /refuse to run inside a Lambda function \(AWS_LAMBDA_FUNCTION_NAME is set\)/ });
});

test('declarations no manifest can carry are refused naming the secret, never the value', async () => {
  const notJson = await caught(() => withFakeSecrets({ db: () => PASSWORD }, () => {}), TypeError);
  assert.match(notJson.message, /fake secret "db": a function is neither/);
  await assert.rejects(withFakeSecrets({ 'api-key': 'spv-Surr0gate\ud800' }, () => {}), /half of a surrogate pair/);
  await assert.rejects(withFakeSecrets({ ' ': API_KEY }, () => {}), /must not be empty or blank/);
  assertNoValue(notJson.message, 'the message');
});

test('the ES module entry point is the same test support', async () => {
  const esm = await import('secrets-prefetch/testing');
  assert.equal(esm.withFakeSecrets, withFakeSecrets);
  assert.equal(esm.UndeclaredSecretError, UndeclaredSecretError);
});

const PROBE = `
const fs = require('node:fs');
const os = require('node:os');
const { get } = require('secrets-prefetch');
const { withFakeSecrets, failing } = require('secrets-prefetch/testing');
const report = (...words) => console.log(words.join(' '));
(async () => {
  await withFakeSecrets({ 'api-key': process.argv[1], flags: failing('THROTTLED') }, async () => {
    report('fake', (await get('api-key')) === process.argv[1]);
    await get('prod/direct').catch((e) => report('undeclared', e.name));
    await get('flags').catch((e) => report('failing', e.reason));
    const [dir] = fs.readdirSync(os.tmpdir());
    const mode = (p) => (fs.statSync(p).mode & 0o777).toString(8);
    report('manifest', mode(os.tmpdir() + '/' + dir), mode(os.tmpdir() + '/' + dir + '/manifest.json'));
    report('loaded', Object.keys(require.cache).filter((f) => /@aws-sdk|sdk-fetcher/.test(f)).length);
  }).catch((e) => report('scope', e.name));
  report('left', fs.readdirSync(os.tmpdir()).length);
  report('real', (await get('api-key')) === process.argv[2]);
  await get('prod/direct').catch((e) => report('real direct call', e.reason));
})();
`;

test('in a fresh process nothing that could call AWS is loaded in the scope, and the client is real after it',
  async (t) => {
    let requests = 0;
    const secretsManager = http.createServer((request, response) => {
      requests += 1;
      request.resume();
      response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not here' }));
    });
    await new Promise((resolve) => secretsManager.listen(0, '127.0.0.1', resolve));
    t.after(() => secretsManager.close());
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prefetch-testing-probe-'));
    t.after(() => fs.rmSync(work, { recursive: true, force: true }));
    const tmp = path.join(work, 'tmp');
    const real = path.join(work, 'secrets');
    fs.mkdirSync(tmp);
    fs.mkdirSync(real, { mode: 0o700 });
    const realValue = 'fixture-testing-real-spv-R3al';
    fs.writeFileSync(path.join(real, 'manifest.json'), JSON.stringify({ formatVersion: 1, generation: 1,
      state: 'ready', writtenAtEpochMs: 1, writer: 'node-tests/0',
      secrets: { 'api-key': { secretId: 'prod/api-key', fetchedAtEpochMs: 1, secretString: realValue } } }),
    { mode: 0o600 });

    // Asynchronously: the fake Secrets Manager answers from this process's event loop.
    const { stdout: out } = await promisify(execFile)(process.execPath, ['-e', PROBE, 'fixture-testing-fake-spv-F4ke', realValue], {
      cwd: PACKAGE, encoding: 'utf8', timeout: 60_000,
      env: { PATH: process.env.PATH, TMPDIR: tmp, SECRETS_PREFETCH_DIR: real, AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${secretsManager.address().port}`,
        AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_MAX_ATTEMPTS: '1',
        AWS_EC2_METADATA_DISABLED: 'true', NODE_PATH: path.join(PACKAGE, 'node_modules') },
    });

    assert.deepEqual(out.split('\n').filter((line) => line !== '' && !line.startsWith('[secrets-prefetch]')), [
      'fake true', 'undeclared UndeclaredSecretError', 'failing THROTTLED', 'manifest 700 600', 'loaded 0',
      'scope UndeclaredSecretError', 'left 0', 'real true', 'real direct call NOT_FOUND']);
    assert.equal(requests, 1, 'only the real direct call, after the scope, reached Secrets Manager');
  });

test('an SSM parameter is faked by the name the handler asks for', () => {
  const arn = 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/hosts';
  const gone = 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/gone';
  return withFakeSecrets({ '/prod/db/url': 'fake-url-spv-Tn1a', [arn]: 'a,b,spv-Tn2b', [gone]: failing('NOT_FOUND') },
    async () => {
      assertSameValue(await get('/prod/db/url'), 'fake-url-spv-Tn1a', 'a parameter by its name');
      assertSameValue(await get(arn), 'a,b,spv-Tn2b', 'a parameter by its ARN');
      assert.equal((await caught(() => get(gone), SecretsPrefetchError)).reason, 'NOT_FOUND');
    });
});
