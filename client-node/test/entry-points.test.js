// SPDX-License-Identifier: Apache-2.0
'use strict';

// The package as users get it: the files npm would publish, loaded with `import` and `require`, in the layouts
// of a Lambda layer (/opt/nodejs/node_modules, found through NODE_PATH) and of a vendored dependency.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');
const { ready, entry } = require('./support/harness');
const { motoServer, MotoSecrets, REGION } = require('./support/moto');
const { assertNoValue } = require('./support/values');

const PACKAGE = path.resolve(__dirname, '..');
let root;
let files;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prefetch-entry-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: PACKAGE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  files = packed[0].files.map((f) => f.path);
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

/** The published files of the package, installed as DIR/secrets-prefetch. */
function install(dir) {
  for (const file of files) {
    const target = path.join(dir, 'secrets-prefetch', file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(PACKAGE, file), target);
  }
  return dir;
}

/** A secrets directory holding a ready manifest. */
function secretsDir(name, secrets) {
  const dir = fs.mkdtempSync(path.join(root, `${name}-`));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(ready(1, secrets)));
  return dir;
}

/** Runs node with `args` in `cwd`, with only the environment given (plus PATH); output checked for values. */
function node(args, { cwd, env }) {
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  assertNoValue(run.stdout + run.stderr, 'the output of the child process');
  assert.equal(run.status, 0, `exit ${run.status}: ${run.stderr}`);
  return run.stdout;
}

test('the published package holds the entry points, the test support, their types and lib/, nothing else', () => {
  assert.deepEqual(files.filter((f) => !f.startsWith('lib/')).sort(),
    ['index.d.mts', 'index.d.ts', 'index.js', 'index.mjs', 'package.json', 'testing.d.mts', 'testing.d.ts',
      'testing.js', 'testing.mjs']);
  assert.ok(files.includes('lib/client.js'));
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('bench/') || f.startsWith('script/')));
});

test('an ES module handler imports it by name and awaits a secret at top level', () => {
  const task = fs.mkdtempSync(path.join(root, 'esm-task-'));
  install(path.join(task, 'node_modules'));
  fs.writeFileSync(path.join(task, 'index.mjs'), `
    import { get, getBinary, getField, getJson, SecretsPrefetchError } from 'secrets-prefetch';
    const apiKey = await get('api-key');
    export const handler = async () => ({ apiKey: apiKey.length, port: await getField('db', 'port'),
      user: (await getJson('db')).user, key: (await getBinary('key')).length,
      error: await get('key').catch((e) => e instanceof SecretsPrefetchError && e.reason) });
    console.log(JSON.stringify(await handler()));`);
  const dir = secretsDir('esm', {
    'api-key': entry('prod/api-key', 'fixture-esm-spv-Ep01'),
    db: entry('prod/db', '{"user":"app","password":"fixture-esm-spv-Ep02","port":5432}'),
    key: entry('prod/key', { secretBinary: Buffer.from('spv-Ep03bin').toString('base64') }),
  });
  const out = node(['index.mjs'], { cwd: task, env: { SECRETS_PREFETCH_DIR: dir } });
  assert.deepEqual(JSON.parse(out), { apiKey: 20, port: '5432', user: 'app', key: 11, error: 'WRONG_TYPE' });
});

test('a CommonJS handler requires it from a layer through NODE_PATH, as in the Lambda runtimes', () => {
  const opt = install(path.join(root, 'opt-cjs', 'nodejs', 'node_modules'));
  const task = fs.mkdtempSync(path.join(root, 'cjs-task-'));
  fs.writeFileSync(path.join(task, 'index.js'), `
    const { get, SecretsPrefetchError } = require('secrets-prefetch');
    exports.handler = async () => ({ value: (await get('db')).length, isClass: typeof SecretsPrefetchError });
    exports.handler().then((r) => console.log(JSON.stringify(r)));`);
  const dir = secretsDir('cjs', { db: entry('prod/db', 'fixture-cjs-spv-Ep04') });
  const out = node(['index.js'], { cwd: task, env: { SECRETS_PREFETCH_DIR: dir, NODE_PATH: opt } });
  assert.deepEqual(JSON.parse(out), { value: 20, isClass: 'function' });
});

test('import and require in one process share one client', () => {
  const task = fs.mkdtempSync(path.join(root, 'dual-'));
  install(path.join(task, 'node_modules'));
  fs.writeFileSync(path.join(task, 'index.mjs'), `
    import { createRequire } from 'node:module';
    import * as esm from 'secrets-prefetch';
    const cjs = createRequire(import.meta.url)('secrets-prefetch');
    console.log(JSON.stringify([esm.get === cjs.get, esm.SecretsPrefetchError === cjs.SecretsPrefetchError,
      Object.keys(esm).sort()]));`);
  const out = node(['index.mjs'], { cwd: task, env: {} });
  assert.deepEqual(JSON.parse(out), [true, true, ['SecretsPrefetchError', 'get', 'getBinary', 'getField', 'getJson']]);
});

test('serving from the manifest loads no AWS SDK, fallback or pending-wait code', () => {
  const task = fs.mkdtempSync(path.join(root, 'lean-'));
  install(path.join(task, 'node_modules'));
  fs.writeFileSync(path.join(task, 'index.js'), `
    const { get } = require('secrets-prefetch');
    get('db').then(() => console.log(JSON.stringify(Object.keys(require.cache)
      .map((f) => f.replace(/^.*node_modules\\//, '')).sort())));`);
  const dir = secretsDir('lean', { db: entry('prod/db', 'fixture-lean-spv-Ep05') });
  const loaded = JSON.parse(node(['index.js'], { cwd: task, env: { SECRETS_PREFETCH_DIR: dir } }));
  assert.deepEqual(loaded.filter((f) => f.startsWith('secrets-prefetch/')), ['secrets-prefetch/index.js',
    'secrets-prefetch/lib/client.js', 'secrets-prefetch/lib/config.js', 'secrets-prefetch/lib/errors.js',
    'secrets-prefetch/lib/json.js', 'secrets-prefetch/lib/log.js', 'secrets-prefetch/lib/manifest-source.js',
    'secrets-prefetch/lib/manifest.js']);
  assert.deepEqual(loaded.filter((f) => !f.startsWith('secrets-prefetch/')), [path.join(task, 'index.js')]);
});

test('the fallback finds the AWS SDK through NODE_PATH, where the Lambda runtimes keep it', async () => {
  const moto = await motoServer();
  const id = `entry-node-path-${process.pid}`;
  await new MotoSecrets(moto.endpoint).create(id, { string: 'fallback-runtime-sdk-spv-Ep06' });
  const opt = install(path.join(root, 'opt-sdk', 'nodejs', 'node_modules'));
  // /var/runtime/node_modules of the runtimes: the dev dependencies, linked.
  const runtime = path.join(root, 'var-runtime');
  fs.mkdirSync(runtime);
  fs.symlinkSync(path.join(PACKAGE, 'node_modules'), path.join(runtime, 'node_modules'));
  const task = fs.mkdtempSync(path.join(root, 'sdk-task-'));
  fs.writeFileSync(path.join(task, 'index.js'), `
    require('secrets-prefetch').get(${JSON.stringify(id)}).then((v) => console.log(v.length));`);
  const out = node(['index.js'], { cwd: task, env: { NODE_PATH: `${opt}:${path.join(runtime, 'node_modules')}`,
    SECRETS_PREFETCH_DIR: path.join(root, 'no-manifest'), AWS_REGION: REGION, AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing', AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint, NODE_NO_WARNINGS: '1' } });
  assert.match(out, /^\[secrets-prefetch\] INFO secret "entry-node-path-\d+": no usable manifest; calling Secrets Manager GetSecretValue for entry-node-path-\d+ in us-east-1\n29\n$/);
});

test('without the AWS SDK a direct call fails naming the package to install', () => {
  const task = fs.mkdtempSync(path.join(root, 'no-sdk-'));
  install(path.join(task, 'node_modules'));
  fs.writeFileSync(path.join(task, 'index.js'), `
    require('secrets-prefetch').get('prod/db').catch((e) => console.log(JSON.stringify([e.name, e.reason, e.message])));`);
  const out = node(['index.js'], { cwd: task, env: { SECRETS_PREFETCH_DIR: path.join(root, 'none'),
    SECRETS_PREFETCH_LOG_LEVEL: 'warn', AWS_REGION: REGION } });
  assert.deepEqual(JSON.parse(out), ['SecretsPrefetchError', 'OTHER', 'secret "prod/db": needs a direct Secrets '
    + 'Manager call, but the AWS SDK (@aws-sdk/client-secrets-manager) cannot be found. The Lambda Node.js runtimes '
    + 'include it; elsewhere add it to the function: npm install @aws-sdk/client-secrets-manager']);
});

test('an invalid setting makes every call reject naming the variable', () => {
  const task = fs.mkdtempSync(path.join(root, 'misconfigured-'));
  install(path.join(task, 'node_modules'));
  fs.writeFileSync(path.join(task, 'index.js'), `
    const { get, getJson } = require('secrets-prefetch');
    (async () => {
      for (const call of [() => get('db'), () => getJson('db')]) {
        await call().then(() => console.log('resolved'), (e) => console.log(JSON.stringify([e.variable, e.message])));
      }
    })();`);
  const out = node(['index.js'], { cwd: task, env: { SECRETS_PREFETCH_WAIT_MS: 'ten' } }).trim().split('\n');
  assert.equal(out.length, 2);
  for (const line of out) {
    assert.deepEqual(JSON.parse(line), ['SECRETS_PREFETCH_WAIT_MS', 'secrets-prefetch is misconfigured: '
      + 'SECRETS_PREFETCH_WAIT_MS must be a whole number of milliseconds from 0 to 900000 (default 10000); it is "ten"']);
  }
});

test('log lines go to standard output, filtered by SECRETS_PREFETCH_LOG_LEVEL', () => {
  const task = fs.mkdtempSync(path.join(root, 'log-'));
  install(path.join(task, 'node_modules'));
  fs.writeFileSync(path.join(task, 'index.js'), `
    require('secrets-prefetch').get('db').then((v) => console.error(v.length));`);
  const dir = secretsDir('log', { db: entry('prod/db', 'fixture-log-spv-Ep07') });
  const run = (level) => node(['index.js'], { cwd: task, env: { SECRETS_PREFETCH_DIR: dir, SECRETS_PREFETCH_SPELLING: 'x',
    ...(level === undefined ? {} : { SECRETS_PREFETCH_LOG_LEVEL: level }) } });
  assert.equal(run(undefined), '[secrets-prefetch] WARN ignoring unknown environment variables '
    + 'SECRETS_PREFETCH_SPELLING; the client reads SECRETS_PREFETCH_DIR, SECRETS_PREFETCH_WAIT_MS and '
    + 'SECRETS_PREFETCH_LOG_LEVEL\n');
  assert.match(run('DEBUG'), /^\[secrets-prefetch\] WARN ignoring .*\n\[secrets-prefetch\] DEBUG read manifest generation 1 \(ready, 1 secrets\) from .*\n$/);
  assert.equal(run('error'), '');
  assert.equal(run('off'), '');
});
