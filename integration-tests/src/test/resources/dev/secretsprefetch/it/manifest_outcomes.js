// SPDX-License-Identifier: Apache-2.0
'use strict';

// For ManifestReadersAgreeTest: parses every file in a directory with the Node.js client's manifest reader and
// prints "<file> <outcome> <digest>" per file, where the digest is SHA-256 of what the reader concluded (never a
// value).
//
//   node manifest_outcomes.js CLIENT_NODE_DIR CASES_DIR

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { parseManifest, ManifestFormatError } = require(path.resolve(process.argv[2], 'lib/manifest.js'));

const hex = (text) => (text === undefined ? '-' : Buffer.from(text, 'utf8').toString('hex'));

function summary(manifest) {
  const parts = [String(manifest.generation), manifest.state, manifest.pending ? String(manifest.deadlineEpochMs) : '-'];
  for (const [name, entry] of manifest.secrets) {
    let value;
    if (entry.value.kind === 'error') value = `e:${hex(entry.value.code)}`;
    else if (entry.value.kind === 'binary') value = `b:${entry.value.bytes.toString('hex')}`;
    else value = `s:${hex(entry.value.text)}`;
    parts.push([hex(name), hex(entry.secretId), hex(entry.parameter), hex(entry.arn), hex(entry.requestedVersionId),
      hex(entry.requestedVersionStage), entry.pinned ? '1' : '0', value].join(','));
  }
  return crypto.createHash('sha256').update(parts.join('|'), 'utf8').digest('hex');
}

const cases = process.argv[3];
const lines = [];
for (const file of fs.readdirSync(cases).sort()) {
  const bytes = fs.readFileSync(path.join(cases, file));
  try {
    const manifest = parseManifest(bytes);
    lines.push(`${file} ${manifest.state} ${summary(manifest)}`);
  } catch (e) {
    if (!(e instanceof ManifestFormatError)) throw e;
    lines.push(`${file} ${e.unknownVersion ? 'unknown-version' : 'corrupt'} -`);
  }
}
process.stdout.write(lines.join('\n') + '\n');
