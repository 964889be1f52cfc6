// SPDX-License-Identifier: Apache-2.0
'use strict';

// Direct calls, for real: the AWS SDK (a dev dependency) against moto, behind a recording proxy that also
// answers some calls with the faults Secrets Manager can give.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Harness, ready, entry } = require('./support/harness');
const { secretsManager, freePort } = require('./support/moto');
const { FakeNetwork } = require('./support/fake-network');
const { assertSameValue, assertNoValue, caught } = require('./support/values');
const { SecretsPrefetchError } = require('../lib/errors');
const { TTL_MS } = require('../lib/fallback');

let unique = 0;
/** A secret name of its own for each use: moto keeps its secrets for the whole test process. */
function fresh(label) {
  unique++;
  return `fallback-${label}-${process.pid}-${unique}`;
}

/** Sets environment variables for one test, restoring them after it (undefined unsets). */
function withEnv(t, values) {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  const apply = (vars) => {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(values);
  t.after(() => apply(saved));
}

test('without a manifest a secret comes from Secrets Manager, then from memory for 300 s', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const name = fresh('absent');
  await secrets.create(name, { string: 'fallback-value-spv-Fb01' });
  const harness = new Harness(t);
  const client = harness.client();

  assertSameValue(await client.get(name), 'fallback-value-spv-Fb01', name);
  harness.clock.advance(TTL_MS - 1);
  assertSameValue(await client.get(name), 'fallback-value-spv-Fb01', name);
  assert.equal(network.gets(name).length, 1, 'one call within 300 s');
  assert.equal(network.gets(name)[0].region, 'us-east-1');

  await secrets.put(name, { string: 'fallback-rotated-spv-Fb02' });
  harness.clock.advance(1);
  assertSameValue(await client.get(name), 'fallback-rotated-spv-Fb02', `${name} after 300 s`);
  assert.equal(network.gets(name).length, 2, 'a new call after 300 s');
  assert.match(harness.out.lines('info')[0], /^\[secrets-prefetch\] INFO secret "fallback-absent-[0-9-]+": no usable manifest; calling Secrets Manager GetSecretValue for fallback-absent-[0-9-]+ in us-east-1$/);
});

test('a failed direct call is not kept: the next call tries again', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const name = fresh('later');
  const client = new Harness(t).client();
  const error = await caught(() => client.get(name), SecretsPrefetchError);
  assert.equal(error.reason, 'NOT_FOUND');
  assert.equal(error.secretName, name);
  assert.match(error.message, /^secret "fallback-later-[0-9-]+": Secrets Manager has no secret fallback-later-[0-9-]+ in us-east-1 \(ResourceNotFoundException\)/);

  await secrets.create(name, { string: 'fallback-created-spv-Fb03' });
  assertSameValue(await client.get(name), 'fallback-created-spv-Fb03', name);
  assert.equal(network.gets(name).length, 2);
});

test('a name the manifest does not have is asked for by that name; manifest values make no call', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const name = fresh('unlisted');
  await secrets.create(name, { string: 'fallback-unlisted-spv-Fb04' });
  const harness = new Harness(t);
  harness.write(ready(4, { db: entry('prod/db', 'fixture-manifest-spv-Fb05') }));
  const client = harness.client();
  assertSameValue(await client.get('db'), 'fixture-manifest-spv-Fb05', 'db');
  assertSameValue(await client.get(name), 'fallback-unlisted-spv-Fb04', name);
  assert.deepEqual(network.gets().map((c) => c.secretId), [name]);
  assert.match(harness.out.text, /: not in manifest generation 4; calling Secrets Manager/);
});

test('an error entry is fetched by its secret id, with the version or stage it pinned', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const id = fresh('pinned');
  await secrets.create(id, { string: 'fallback-old-spv-Fb06' });
  const versionId = await secrets.put(id, { string: 'fallback-new-spv-Fb07' });
  const harness = new Harness(t);
  harness.write(ready(2, {
    old: entry(id, { error: { code: 'Timeout', message: 'no answer' }, requestedVersionStage: 'AWSPREVIOUS' }),
    current: entry(id, { error: { code: 'ThrottlingException' }, requestedVersionId: versionId }),
    plain: entry(id, { error: { code: 'ClientError' } }),
  }));
  const client = harness.client();
  assertSameValue(await client.get('old'), 'fallback-old-spv-Fb06', 'old');
  assertSameValue(await client.get('current'), 'fallback-new-spv-Fb07', 'current');
  assertSameValue(await client.get('plain'), 'fallback-new-spv-Fb07', 'plain');
  assertSameValue(await client.get(id), 'fallback-new-spv-Fb07', id);
  assert.deepEqual(network.gets().map((c) => [c.secretId, c.versionId, c.versionStage]), [
    [id, undefined, 'AWSPREVIOUS'], [id, versionId, undefined], [id, undefined, undefined]]);
  assert.match(harness.out.text, /secret "old": manifest generation 2 has error Timeout for it; calling Secrets Manager GetSecretValue for fallback-pinned-[0-9-]+ stage AWSPREVIOUS in us-east-1/);
});

test('binary secrets come back as a new Buffer each time; reading one as a string is WRONG_TYPE', async (t) => {
  const { secrets } = await secretsManager(t);
  const name = fresh('binary');
  const bytes = Buffer.concat([Buffer.from('spv-Bin7Qw'), Buffer.from([0, 1, 2, 0xfe, 0xff])]);
  await secrets.create(name, { binary: bytes });
  const text = fresh('text');
  await secrets.create(text, { string: 'fallback-text-spv-Fb08' });
  const client = new Harness(t).client();

  const first = await client.getBinary(name);
  assertSameValue(first, bytes, name);
  first.fill(0);
  assertSameValue(await client.getBinary(name), bytes, `${name} after the caller changed its copy`);
  for (const call of [() => client.get(name), () => client.getField(name, 'x'), () => client.getJson(name)]) {
    assert.equal((await caught(call, SecretsPrefetchError)).reason, 'WRONG_TYPE');
  }
  assert.equal((await caught(() => client.getBinary(text), SecretsPrefetchError)).reason, 'WRONG_TYPE');
});

test('a secret asked for by ARN is fetched in the ARN\'s region, others in AWS_REGION', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const name = fresh('eu');
  const arn = await secrets.create(name, { string: 'fallback-eu-spv-Fb09', region: 'eu-west-1' });
  assert.match(arn, /^arn:aws:secretsmanager:eu-west-1:/);
  const client = new Harness(t).client();
  assertSameValue(await client.get(arn), 'fallback-eu-spv-Fb09', arn);
  assert.equal(network.gets(arn)[0].region, 'eu-west-1');
  assert.equal((await caught(() => client.get(name), SecretsPrefetchError)).reason, 'NOT_FOUND',
    'by name it is looked for in us-east-1');
});

test('AWS_DEFAULT_REGION is used when AWS_REGION is not set', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const name = fresh('default-region');
  await secrets.create(name, { string: 'fallback-ap-spv-Fb10', region: 'ap-southeast-2' });
  const harness = new Harness(t, { env: { AWS_DEFAULT_REGION: 'ap-southeast-2' } });
  withEnv(t, { AWS_REGION: undefined });
  assertSameValue(await harness.client().get(name), 'fallback-ap-spv-Fb10', name);
  assert.equal(network.gets(name)[0].region, 'ap-southeast-2');
});

test('the AWS SDK itself honours AWS_ENDPOINT_URL_SECRETS_MANAGER: the client passes no endpoint', async (t) => {
  const { secrets, moto } = await secretsManager(t);
  const name = fresh('endpoint');
  await secrets.create(name, { string: 'fallback-endpoint-spv-Fb11' });
  const other = await new FakeNetwork(moto.port).start();
  t.after(() => other.close());
  withEnv(t, { AWS_ENDPOINT_URL_SECRETS_MANAGER: other.endpoint });
  assertSameValue(await new Harness(t).client().get(name), 'fallback-endpoint-spv-Fb11', name);
  assert.equal(other.gets(name).length, 1, 'the call went where the variable points');
  assert.doesNotMatch(fs.readFileSync(path.join(__dirname, '../lib/sdk-fetcher.js'), 'utf8'), /endpoint:/);
});

const FAULTS = [
  ['AccessDeniedException', 400, 'ACCESS_DENIED'],
  ['UnrecognizedClientException', 400, 'ACCESS_DENIED'],
  ['ExpiredTokenException', 400, 'ACCESS_DENIED'],
  ['ThrottlingException', 400, 'THROTTLED'],
  ['DecryptionFailure', 400, 'DECRYPTION_FAILURE'],
  ['InvalidRequestException', 400, 'OTHER'],
  ['InternalServiceError', 500, 'OTHER'],
];

for (const [code, status, reason] of FAULTS) {
  test(`Secrets Manager's ${code} is ${reason}, and its message is never passed on`, async (t) => {
    const { network } = await secretsManager(t);
    const name = fresh(code);
    network.fail(name, code, status, `the service quoted spv-Leak${code.length}x back`);
    const error = await caught(() => new Harness(t).client().get(name), SecretsPrefetchError);
    assert.equal(error.reason, reason, error.message);
    assert.equal(error.secretName, name);
    assert.ok(error.message.includes(`(${code}`), error.message);
    assertNoValue(error.message, 'the error message');
    assertNoValue(String(error.stack), 'the stack');
    assert.equal(error.cause, undefined, 'the SDK\'s error is not chained: its message quotes the answer');
  });
}

test('no answer within the call timeout is TIMEOUT', async (t) => {
  const { network } = await secretsManager(t);
  const name = fresh('hang');
  network.hang(name);
  const error = await caught(() => new Harness(t, { callTimeoutMs: 300 }).client().get(name), SecretsPrefetchError);
  assert.equal(error.reason, 'TIMEOUT', error.message);
  assert.match(error.message, /no answer from Secrets Manager within 300 ms/);
});

test('an endpoint nobody listens on is OTHER, naming the network error', async (t) => {
  await secretsManager(t);
  withEnv(t, { AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${await freePort()}` });
  const error = await caught(() => new Harness(t).client().get(fresh('closed')), SecretsPrefetchError);
  assert.equal(error.reason, 'OTHER');
  assert.match(error.message, /\(ECONNREFUSED\)/);
});

test('without a region anywhere the error says where to set one', async (t) => {
  await secretsManager(t);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prefetch-home-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  withEnv(t, { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials') });
  const error = await caught(() => new Harness(t).client().get(fresh('nowhere')), SecretsPrefetchError);
  assert.equal(error.reason, 'OTHER');
  assert.match(error.message, /no region to call Secrets Manager in .*set AWS_REGION/);
});

test('without credentials the error says the SDK found none', async (t) => {
  await secretsManager(t);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prefetch-home-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  withEnv(t, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined, AWS_EC2_METADATA_DISABLED: 'true' });
  const error = await caught(() => new Harness(t).client().get(fresh('anonymous')), SecretsPrefetchError);
  assert.equal(error.reason, 'OTHER', error.message);
  assert.match(error.message, /found no credentials/);
});

/** A parameter entry the extension could not fetch: the client calls GetParameter for it. */
function failedParameter(parameter, fields = {}) {
  return { parameter, fetchedAtEpochMs: 1, error: { code: 'AccessDeniedException', message: 'denied' }, ...fields };
}

test('a parameter error entry gets the decrypted SecureString from SSM', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const name = `/${fresh('token')}`;
  await secrets.putParameter(name, 'fallback-token-spv-Sn01');
  const harness = new Harness(t);
  harness.write(ready(1, { token: failedParameter(name) }));

  assertSameValue(await harness.client().get('token'), 'fallback-token-spv-Sn01', 'token');
  const [call] = network.parameterGets(name);
  assert.deepEqual([call.withDecryption, call.region], [true, 'us-east-1']);
  assert.match(harness.out.lines('info')[0], /calling SSM GetParameter for parameter \/fallback-token-[0-9-]+ in us-east-1$/);
});

test('an SSM parameter ARN without an entry is fetched in the ARN\'s region', async (t) => {
  const { network, secrets } = await secretsManager(t);
  const name = `/${fresh('hosts')}`;
  await secrets.putParameter(name, 'a.internal,b.internal,spv-Sn02', { type: 'StringList', region: 'us-west-2' });
  const arn = `arn:aws:ssm:us-west-2:123456789012:parameter${name}`;
  const harness = new Harness(t);

  assertSameValue(await harness.client().get(arn), 'a.internal,b.internal,spv-Sn02', arn);
  assert.deepEqual(network.parameterGets(arn).map((c) => c.region), ['us-west-2']);
});

test('a missing parameter fails as NOT_FOUND naming the parameter', async (t) => {
  await secretsManager(t);
  const name = `/${fresh('gone')}`;
  const harness = new Harness(t);
  harness.write(ready(1, { gone: failedParameter(name) }));

  const error = await caught(() => harness.client().get('gone'), SecretsPrefetchError);
  assert.equal(error.reason, 'NOT_FOUND');
  assert.ok(error.message.includes(`SSM Parameter Store has no parameter ${name} in us-east-1 (ParameterNotFound)`),
    error.message);
});

test('a version selector gets that version, and a missing version is NOT_FOUND', async (t) => {
  const { secrets } = await secretsManager(t);
  const name = `/${fresh('url')}`;
  await secrets.putParameter(name, 'fallback-url-one-spv-Sn03', { type: 'String' });
  await secrets.putParameter(name, 'fallback-url-two-spv-Sn04', { type: 'String' });
  const harness = new Harness(t);
  harness.write(ready(1, { 'url-v1': failedParameter(`${name}:1`, { requestedVersion: 1 }), url: failedParameter(name),
    'url-v9': failedParameter(`${name}:9`, { requestedVersion: 9 }) }));
  const client = harness.client();

  assertSameValue(await client.get('url-v1'), 'fallback-url-one-spv-Sn03', 'version 1');
  assertSameValue(await client.get('url'), 'fallback-url-two-spv-Sn04', 'the current version');
  const error = await caught(() => client.get('url-v9'), SecretsPrefetchError);
  assert.equal(error.reason, 'NOT_FOUND', error.message);
});

test('without @aws-sdk/client-ssm a parameter fails naming the package to install', async (t) => {
  const harness = new Harness(t, { ssmSdk: '@aws-sdk/client-ssm-not-installed' });
  harness.write(ready(1, { url: failedParameter('/prod/url') }));

  const error = await caught(() => harness.client().get('url'), SecretsPrefetchError);
  assert.equal(error.reason, 'OTHER');
  assert.match(error.message, /needs a direct SSM call, but the AWS SDK \(@aws-sdk\/client-ssm-not-installed\) cannot be found.*npm install @aws-sdk\/client-ssm-not-installed/);
});
