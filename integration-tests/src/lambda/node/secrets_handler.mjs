// SPDX-License-Identifier: Apache-2.0
// A function that needs secrets at start-up and per request. get reads them from the layer's manifest when the
// extension runs (waiting while it is still fetching), and calls Secrets Manager itself through the AWS SDK for
// JavaScript v3 when it does not.
//
// Init (top-level await) fetches every id in SECRET_IDS; an event {"get": ["id", ...]} fetches more. The answer
// holds SHA-256 fingerprints, never values, and where the client was loaded from (the layer's or the function's
// own copy).

import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get } from 'secrets-prefetch';

async function fingerprints(ids) {
  const answer = {};
  for (const id of ids) {
    answer[id] = createHash('sha256').update(await get(id), 'utf8').digest('hex');
  }
  return answer;
}

const atInit = await fingerprints((process.env.SECRET_IDS ?? '').split(',').map((id) => id.trim())
  .filter((id) => id !== ''));
const client = dirname(fileURLToPath(import.meta.resolve('secrets-prefetch')));

export const handler = async (event) => {
  const requested = Array.isArray(event?.get) ? event.get : [];
  return { init: atInit, request: await fingerprints(requested), client };
};
