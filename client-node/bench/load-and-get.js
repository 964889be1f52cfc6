'use strict';

// Cold-start cost of the Node.js client: loading `secrets-prefetch` + the first get from a ready manifest, in
// fresh node processes, run side by side with a bare `node -e ''` so that the result is a difference and a
// ratio rather than an absolute number on a noisy machine. Both entry points: require (CommonJS) and import
// (ES module, against a bare `node --input-type=module -e ''`).
//
//   node bench/load-and-get.js [ROUNDS]        (or: npm run bench -- ROUNDS)

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const ROUNDS = Number(process.argv[2] ?? 40);
const PACKAGE = path.resolve(__dirname, '..');
const CJS = JSON.stringify(path.join(PACKAGE, 'index.js'));
const ESM = JSON.stringify(pathToFileURL(path.join(PACKAGE, 'index.mjs')).href);

// Each script prints, from inside the process, the milliseconds of loading + first get, and how many modules
// of the AWS SDK or of the client's fallback it loaded (require.cache: CommonJS only).
const VARIANTS = {
  "node -e ''": { args: ['-e', ''] },
  'require + get': { args: ['-e', `const t0 = performance.now(); require(${CJS}).get('db').then(() => {
    const loaded = Object.keys(require.cache);
    console.log(performance.now() - t0, loaded.filter((f) => /@aws-sdk|fallback|sdk-fetcher/.test(f)).length,
      loaded.length); });`] },
  "node --input-type=module -e ''": { args: ['--input-type=module', '-e', ''] },
  'import + get': { args: ['--input-type=module', '-e', `const t0 = performance.now();
    const { get } = await import(${ESM}); await get('db'); console.log(performance.now() - t0, 0, 0);`] },
};
const BASELINE = { 'require + get': "node -e ''", 'import + get': "node --input-type=module -e ''" };

function manifestDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prefetch-bench-'));
  const secrets = {};
  for (const name of ['db', 'api-key', 'signing-key']) {
    secrets[name] = { secretId: `prod/${name}`,
      arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/${name}-AbCdEf`,
      versionId: '11111111-1111-4111-8111-111111111111', versionStages: ['AWSCURRENT'], fetchedAtEpochMs: 1,
      secretString: `{"password":"bench-value-${name}"}` };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ formatVersion: 1, generation: 1,
    state: 'ready', writtenAtEpochMs: 1, writer: 'bench/0', secrets }));
  return dir;
}

function run(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  }
  return [wall, ...result.stdout.trim().split(/\s+/).filter(Boolean).map(Number)];
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.9))];

const dir = manifestDir();
const env = { PATH: process.env.PATH, SECRETS_PREFETCH_DIR: dir, SECRETS_PREFETCH_LOG_LEVEL: 'warn' };
const results = Object.fromEntries(Object.keys(VARIANTS).map((name) => [name, []]));
for (let i = 0; i < 3; i++) {
  Object.values(VARIANTS).forEach((v) => run(v.args, env)); // warm the page cache
}
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? Object.entries(VARIANTS) : Object.entries(VARIANTS).reverse();
  for (const [name, variant] of order) {
    results[name].push(run(variant.args, env));
  }
}
fs.rmSync(dir, { recursive: true, force: true });

console.log(`node ${process.version} (${process.platform}-${process.arch}), ${ROUNDS} rounds, variants interleaved, `
  + `order alternating, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`${'variant'.padEnd(31)} ${'wall median'.padStart(11)} ${'wall p90'.padStart(9)} ${'vs its bare node'.padStart(20)}`
  + ` ${'inside: load + get'.padStart(24)}`);
for (const [name, runs] of Object.entries(results)) {
  const wall = median(runs.map((r) => r[0]));
  const bare = BASELINE[name] === undefined ? wall : median(results[BASELINE[name]].map((r) => r[0]));
  const inside = runs[0].length > 1 ? runs.map((r) => r[1]) : null;
  console.log(`${name.padEnd(31)} ${wall.toFixed(1).padStart(8)} ms ${p90(runs.map((r) => r[0])).toFixed(1).padStart(6)} ms`
    + ` ${`${(wall - bare >= 0 ? '+' : '') + (wall - bare).toFixed(1)} ms (x${(wall / bare).toFixed(2)})`.padStart(20)}`
    + ` ${inside ? `${median(inside).toFixed(2)} (min ${Math.min(...inside).toFixed(2)}) ms`.padStart(24) : '-'.padStart(24)}`);
}
const cjs = results['require + get'];
console.log(`AWS SDK / fallback modules loaded by require + get: ${Math.max(...cjs.map((r) => r[2]))}; `
  + `modules loaded in all: ${Math.max(...cjs.map((r) => r[3]))}`);
