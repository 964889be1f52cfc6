// SPDX-License-Identifier: Apache-2.0
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { marked } = require('./values');

const REGION = 'us-east-1';
const START_TIMEOUT_MS = 60_000;

/**
 * A real Secrets Manager emulator for tests: `python3 -m moto.server` on a free loopback port, one per test
 * process (started on first use, stopped at exit), behind a recording proxy (FakeNetwork) that counts the
 * calls and can answer some of them with faults. Without moto the tests fail naming what to install.
 */
let shared = null;

async function motoServer() {
  shared ??= start();
  return shared;
}

async function start() {
  const python = process.env.PYTHON ?? 'python3';
  const check = spawnSync(python, ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (check.error || check.status !== 0) {
    throw new Error(`moto (the Secrets Manager emulator these tests run against) is not installed for ${python}; `
      + 'install it with: pip install "moto[server]"');
  }
  const port = await freePort();
  const logs = process.env.SECRETS_PREFETCH_TEST_LOGS ?? os.tmpdir();
  fs.mkdirSync(logs, { recursive: true });
  const log = fs.openSync(path.join(logs, `moto-node-${port}.log`), 'w');
  const env = { ...process.env };
  delete env.INITIAL_NO_AUTH_ACTION_COUNT; // set, moto would check signatures
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)],
    { stdio: ['ignore', log, log], env });
  fs.closeSync(log);
  process.on('exit', () => child.kill('SIGTERM'));
  child.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  await awaitListening(port, child);
  return { endpoint, port, child };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function awaitListening(port, child) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto exited with ${child.exitCode} before listening (its log is in target/test-logs)`);
    }
    if (await answers(port)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto did not listen on port ${port} within ${START_TIMEOUT_MS} ms`);
}

function answers(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/moto-api/' }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('error', () => resolve(false));
  });
}

/** Creates secrets in moto through the AWS SDK (a dev dependency) and returns their ARNs. */
class MotoSecrets {
  constructor(endpoint) {
    this.endpoint = endpoint;
    this.clients = new Map();
    this.sdk = require('@aws-sdk/client-secrets-manager');
  }

  client(region) {
    if (!this.clients.has(region)) {
      this.clients.set(region, new this.sdk.SecretsManagerClient({ region, endpoint: this.endpoint,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }));
    }
    return this.clients.get(region);
  }

  /** Creates `name` with a string (marked) or binary (marked) value; returns its ARN. */
  async create(name, { string, binary, region = REGION } = {}) {
    const input = { Name: name };
    if (string !== undefined) input.SecretString = marked(string);
    if (binary !== undefined) input.SecretBinary = marked(binary);
    const answer = await this.client(region).send(new this.sdk.CreateSecretCommand(input));
    return answer.ARN;
  }

  /** Puts (or overwrites) the SSM parameter `name` with a marked value; returns its new Version. */
  async putParameter(name, value, { type = 'SecureString', region = REGION } = {}) {
    const ssm = require('@aws-sdk/client-ssm');
    const key = `ssm ${region}`;
    if (!this.clients.has(key)) {
      this.clients.set(key, new ssm.SSMClient({ region, endpoint: this.endpoint,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }));
    }
    const answer = await this.clients.get(key).send(new ssm.PutParameterCommand({ Name: name, Value: marked(value),
      Type: type, Overwrite: true }));
    return answer.Version;
  }

  /** A new current value for `secretId` (the old one becomes AWSPREVIOUS); returns its VersionId. */
  async put(secretId, { string, binary, region = REGION } = {}) {
    const input = { SecretId: secretId };
    if (string !== undefined) input.SecretString = marked(string);
    if (binary !== undefined) input.SecretBinary = marked(binary);
    const answer = await this.client(region).send(new this.sdk.PutSecretValueCommand(input));
    return answer.VersionId;
  }
}

module.exports = { motoServer, MotoSecrets, freePort, REGION };

/**
 * Secrets Manager and SSM for one test: moto behind a FakeNetwork of its own, and the environment the AWS SDK reads
 * (test credentials, region, AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL_SSM) pointing at it. Clients built after this call
 * reach it; the proxy is closed when the test ends.
 */
async function secretsManager(t) {
  const { FakeNetwork } = require('./fake-network');
  const moto = await motoServer();
  const network = await new FakeNetwork(moto.port).start();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: network.endpoint,
    AWS_ENDPOINT_URL_SSM: network.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  t.after(() => network.close());
  return { network, secrets: new MotoSecrets(moto.endpoint), moto };
}

module.exports.secretsManager = secretsManager;
