// The ES module entry point re-exports the CommonJS one, so that `import` and `require` in one process share
// one client (one manifest cache, one fallback cache), never two.
import client from './index.js';

export const { get, getBinary, getField, getJson, SecretsPrefetchError } = client;
