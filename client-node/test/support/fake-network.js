// SPDX-License-Identifier: Apache-2.0
'use strict';

const http = require('node:http');

/**
 * The network between the client and Secrets Manager (moto): an HTTP proxy that records every call (action,
 * secret id, version, stage, the region of its signature) and answers calls for chosen secret ids itself, with
 * an error as Secrets Manager would send it, or not at all. It never prints anything: requests and answers hold
 * test values.
 */
class FakeNetwork {
  constructor(upstreamPort) {
    this.upstreamPort = upstreamPort;
    this.calls = [];
    this.faults = new Map();
    this.hanging = new Set();
    this.server = http.createServer((request, response) => this.handle(request, response));
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.server.unref();
    this.endpoint = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  /** Calls for `secretId` get this error code and HTTP status, with a message holding `message`. */
  fail(secretId, code, status = 400, message = 'refused') {
    this.faults.set(secretId, { code, status, message });
  }

  /** Calls for `secretId` get no answer (until the client gives up). */
  hang(secretId) {
    this.hanging.add(secretId);
  }

  /** The GetSecretValue calls for `secretId` (all of them without an argument). */
  gets(secretId) {
    return this.calls.filter((c) => c.action === 'GetSecretValue' && (secretId === undefined || c.secretId === secretId));
  }

  /** The SSM GetParameter calls for the parameter `name` (all of them without an argument). */
  parameterGets(name) {
    return this.calls.filter((c) => c.action === 'GetParameter' && (name === undefined || c.secretId === name));
  }

  handle(request, response) {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = String(request.headers['x-amz-target'] ?? '').replace(/^(?:secretsmanager|AmazonSSM)\./, '');
      let input = {};
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        // not a JSON call: recorded without input
      }
      const scope = /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization ?? ''));
      // An SSM GetParameter's Name is recorded as its secretId: faults and hangs select either by it.
      const call = { action, secretId: input.SecretId ?? input.Name, versionId: input.VersionId,
        versionStage: input.VersionStage, withDecryption: input.WithDecryption, region: scope?.[1] };
      this.calls.push(call);
      if (this.hanging.has(call.secretId)) {
        request.socket.on('close', () => response.destroy());
        return;
      }
      const fault = this.faults.get(call.secretId);
      if (fault !== undefined) {
        response.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': fault.code });
        response.end(JSON.stringify({ __type: fault.code, message: fault.message }));
        return;
      }
      this.forward(request, body, response);
    });
  }

  forward(request, body, response) {
    const upstream = http.request({ host: '127.0.0.1', port: this.upstreamPort, method: request.method,
      path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    upstream.end(body);
  }

  close() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

module.exports = { FakeNetwork };
