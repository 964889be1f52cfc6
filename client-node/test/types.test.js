// SPDX-License-Identifier: Apache-2.0
'use strict';

// index.d.ts and index.d.mts as TypeScript (a dev dependency) sees them through package.json's exports, from an
// ES module and from a CommonJS file, with the strictest settings.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const PACKAGE = path.resolve(__dirname, '..');

test('the type declarations check for ES module and CommonJS callers', { timeout: 120_000 }, (t) => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prefetch-types-'));
  t.after(() => fs.rmSync(project, { recursive: true, force: true }));
  fs.mkdirSync(path.join(project, 'node_modules'));
  fs.symlinkSync(PACKAGE, path.join(project, 'node_modules', 'secrets-prefetch'));
  fs.symlinkSync(path.join(PACKAGE, 'node_modules', '@types'), path.join(project, 'node_modules', '@types'));
  for (const file of ['usage.mts', 'usage.cts']) {
    fs.copyFileSync(path.join(__dirname, 'types', file), path.join(project, file));
  }
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true,
      skipLibCheck: false, types: ['node'] },
    files: ['usage.mts', 'usage.cts'],
  }));
  const tsc = path.join(PACKAGE, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', cwd: project });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});
