// SPDX-License-Identifier: Apache-2.0
// The ES module entry point of the test support: the CommonJS one, so both share one set of scopes.
import { createRequire } from 'node:module';

const testing = createRequire(import.meta.url)('./testing.js');

export const { withFakeSecrets, failing, UndeclaredSecretError } = testing;
