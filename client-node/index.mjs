// SPDX-License-Identifier: Apache-2.0
// The ES module entry point loads the CommonJS one, so that `import` and `require` in one process share one
// client (one manifest cache, one fallback cache), never two. Through createRequire rather than `import`: Node
// then need not translate the CommonJS module for the ES module loader (about 3 ms less CPU on a first import).
import { createRequire } from 'node:module';

const client = createRequire(import.meta.url)('./index.js');

export const { get, getBinary, getField, getJson, SecretsPrefetchError } = client;
