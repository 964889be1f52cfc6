// SPDX-License-Identifier: Apache-2.0
'use strict';

// Cold-start cost of the Node.js client: loading `secrets-prefetch` + the first get from a ready manifest, in
// fresh node processes, run side by side with a bare node so that the result is a difference and a ratio
// rather than an absolute number on a noisy machine. Both entry points: require (CommonJS, against
// `node -e ''`) and import (ES module, against a process that imports an empty .mjs, as the Lambda runtime
// imports an ES module handler). Wall time is measured from outside; CPU time (user + system, all threads) from
// inside each process at exit, which contention from other processes inflates far less than wall time.
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
const EMPTY_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prefetch-bench-empty-'));
fs.writeFileSync(path.join(EMPTY_DIR, 'empty.mjs'), 'export {};\n');
const EMPTY = JSON.stringify(pathToFileURL(path.join(EMPTY_DIR, 'empty.mjs')).href);

// Every process prints at exit its CPU milliseconds, then (get variants) the wall and CPU milliseconds of
// load + first get measured inside, and how many modules of the AWS SDK or the fallback it loaded (CommonJS).
const AT_EXIT = "process.on('exit', () => { const u = process.resourceUsage(); "
  + "require('node:fs').writeSync(1, ((u.userCPUTime + u.systemCPUTime) / 1000) + ' ' + (globalThis.report ?? '') + '\\n'); });";
const INSIDE = "const w0 = process.hrtime.bigint(), c0 = process.cpuUsage();";
const REPORT = "const c = process.cpuUsage(c0); globalThis.report = (Number(process.hrtime.bigint() - w0) / 1e6) + ' ' + ((c.user + c.system) / 1000)";
const VARIANTS = {
  "node -e ''": { args: ['-e', AT_EXIT] },
  'require + get': { args: ['-e', `${AT_EXIT} ${INSIDE} require(${CJS}).get('db').then(() => { ${REPORT}
    + ' ' + Object.keys(require.cache).filter((f) => /@aws-sdk|fallback|sdk-fetcher/.test(f)).length; });`] },
  'import of an empty .mjs': { args: ['--input-type=module', '-e', `const fs = await import('node:fs');
    ${AT_EXIT.replace("require('node:fs')", 'fs')} await import(${EMPTY});`] },
  'import + get': { args: ['--input-type=module', '-e', `const fs = await import('node:fs');
    ${AT_EXIT.replace("require('node:fs')", 'fs')} ${INSIDE} const { get } = await import(${ESM}); await get('db');
    ${REPORT} + ' 0';`] },
};
const BASELINE = { 'require + get': "node -e ''", 'import + get': 'import of an empty .mjs' };

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

/** [wall ms, process CPU ms, inside wall ms, inside CPU ms, SDK modules] */
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
const fmt = (v) => v.toFixed(1).padStart(6);
const diff = (v, base) => `${(v - base >= 0 ? '+' : '') + (v - base).toFixed(1)} (x${(v / base).toFixed(2)})`.padStart(15);

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
fs.rmSync(EMPTY_DIR, { recursive: true, force: true });

console.log(`node ${process.version} (${process.platform}-${process.arch}), ${ROUNDS} rounds, variants interleaved, `
  + `order alternating, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; medians, ms`);
console.log(`${'variant'.padEnd(24)} ${'wall'.padStart(6)} ${'vs bare'.padStart(15)} ${'CPU'.padStart(6)} `
  + `${'vs bare'.padStart(15)}   inside: load + first get, wall (min) / CPU (min)`);
for (const [name, runs] of Object.entries(results)) {
  const base = results[BASELINE[name] ?? name];
  const col = (i, rows) => median(rows.map((r) => r[i]));
  const inside = runs[0].length > 2
    ? `${fmt(col(2, runs))} (${Math.min(...runs.map((r) => r[2])).toFixed(1)}) / ${col(3, runs).toFixed(1)} `
      + `(${Math.min(...runs.map((r) => r[3])).toFixed(1)})` : '';
  console.log(`${name.padEnd(24)} ${fmt(col(0, runs))} ${diff(col(0, runs), col(0, base))} ${fmt(col(1, runs))} `
    + `${diff(col(1, runs), col(1, base))}   ${inside}`);
}
console.log(`AWS SDK / fallback modules loaded by require + get: ${Math.max(...results['require + get'].map((r) => r[4]))}`);
