// SPDX-License-Identifier: Apache-2.0
'use strict';

const assert = require('node:assert/strict');

/** The suite's marker for fake secret values (docs/reliability.md, "Hygiene"); the hygiene scan looks for it. */
const MARKER = /spv-[A-Za-z0-9]{4,}/;

/** `value`, after checking it carries the marker, so that a leak of it would be found. */
function marked(value) {
  const text = Buffer.isBuffer(value) ? value.toString('latin1') : value;
  if (!MARKER.test(text)) {
    throw new Error('a fake secret value must carry the marker spv- + 4 letters or digits (docs/reliability.md, '
      + '"Hygiene"); this one does not (not shown)');
  }
  return value;
}

/** A failure that shows lengths and the first differing position, never either value. */
function assertSameValue(actual, expected, what) {
  const same = Buffer.isBuffer(expected) ? Buffer.isBuffer(actual) && actual.equals(expected) : actual === expected;
  if (same) {
    return;
  }
  const kind = (v) => (Buffer.isBuffer(v) ? `Buffer of ${v.length} bytes` : `${typeof v} of length ${v?.length}`);
  let at = 0;
  while (at < Math.min(actual?.length ?? 0, expected.length) && actual[at] === expected[at]) {
    at++;
  }
  assert.fail(`${what}: got a ${kind(actual)}, expected a ${kind(expected)}; they differ from position ${at} `
    + '(values not shown)');
}

/** Fails, without showing it, when `text` (a log, a message) holds a fake value. */
function assertNoValue(text, what) {
  if (MARKER.test(text)) {
    assert.fail(`${what} contains a fake secret value (not shown)`);
  }
}

/** The error `fn` throws (or the promise it returns rejects with), checked to be a `type`. */
async function caught(fn, type) {
  try {
    await fn();
  } catch (e) {
    if (type !== undefined && !(e instanceof type)) {
      assert.fail(`expected a ${type.name}, got ${e?.name}: ${e?.message}`);
    }
    return e;
  }
  return assert.fail(`expected a ${type?.name ?? 'failure'}, got none`);
}

module.exports = { MARKER, marked, assertSameValue, assertNoValue, caught };
