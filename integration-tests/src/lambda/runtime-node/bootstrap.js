// SPDX-License-Identifier: Apache-2.0
'use strict';

// A small Lambda runtime for Node.js: the Runtime API loop that Lambda's managed Node.js runtime runs, enough to
// run a handler the way it would, with Node's built-ins only. The handler is "file.function": an export of
// $LAMBDA_TASK_ROOT/file.mjs (an ES module, whose top-level await is part of the init) or file.js (CommonJS),
// called as function(event, context) and awaited.
//
// Lambda's runtime finds a layer's packages through NODE_PATH (/opt/nodejs/node_modules, ...) for require and
// for import; Node's own import never searches NODE_PATH, so this loop adds a resolve hook that does, after
// Node's resolution, as the managed runtime does.

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { register } = require('node:module');
const { pathToFileURL } = require('node:url');

const API_PREFIX = '/2018-06-01/runtime';

const NODE_PATH_HOOK = `
import { pathToFileURL } from 'node:url';
let dirs = [];
export function initialize(data) { dirs = data.dirs; }
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || /^([./]|[a-z][a-z0-9+.-]*:)/i.test(specifier)) throw e;
    for (const dir of dirs) {
      try {
        return await nextResolve(specifier, { ...context, parentURL: pathToFileURL(dir + '/index.mjs').href });
      } catch {
        // not in this directory: the next one
      }
    }
    throw e;
  }
}`;

/** The Runtime API over one kept-alive loopback connection. */
class Client {
  constructor(hostAndPort) {
    const [host, port] = hostAndPort.split(':');
    this.host = host;
    this.port = Number(port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  nextInvocation() {
    return this.request('GET', `${API_PREFIX}/invocation/next`, undefined, {}).then((response) => {
      if (response.status !== 200) {
        throw new Error(`GET invocation/next answered ${response.status}: ${response.body}`);
      }
      return response;
    });
  }

  respond(requestId, body) {
    return this.post(`${API_PREFIX}/invocation/${requestId}/response`, body, {});
  }

  reportError(urlPath, errorType, document) {
    return this.post(urlPath, JSON.stringify(document), { 'Lambda-Runtime-Function-Error-Type': errorType });
  }

  async post(urlPath, body, headers) {
    const response = await this.request('POST', urlPath, body, { 'Content-Type': 'application/json', ...headers });
    if (response.status !== 202) {
      console.error(`POST ${urlPath} answered ${response.status}: ${response.body}`);
    }
  }

  request(method, urlPath, body, headers) {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: this.host, port: this.port, method, path: urlPath, headers,
        agent: this.agent }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  }
}

function errorDocument(error, prefix) {
  const name = error?.constructor?.name ?? 'Error';
  return {
    errorMessage: error instanceof Error ? error.message : String(error),
    errorType: `${prefix}<${name}>`,
    stackTrace: error instanceof Error && error.stack ? error.stack.split('\n').slice(1).map((l) => l.trim()) : [],
  };
}

async function loadHandler(handler, taskRoot) {
  const dot = handler.lastIndexOf('.');
  if (dot < 1 || dot === handler.length - 1) {
    throw new Error(`handler ${JSON.stringify(handler)} must be file.function`);
  }
  const file = handler.slice(0, dot);
  const name = handler.slice(dot + 1);
  const esm = path.join(taskRoot, `${file}.mjs`);
  const module = fs.existsSync(esm)
    ? await import(pathToFileURL(esm).href)
    : require(path.join(taskRoot, `${file}.js`));
  if (typeof module[name] !== 'function') {
    throw new Error(`${file} exports no function ${name}`);
  }
  return module[name];
}

function context(headers) {
  const deadlineMs = Number(headers['lambda-runtime-deadline-ms'] ?? 0);
  return {
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => deadlineMs - Date.now(),
  };
}

async function run() {
  const dirs = (process.env.NODE_PATH ?? '').split(':').filter((dir) => dir !== '');
  register(`data:text/javascript,${encodeURIComponent(NODE_PATH_HOOK)}`, { data: { dirs } });
  const client = new Client(process.env.AWS_LAMBDA_RUNTIME_API);
  let handler;
  try {
    handler = await loadHandler(process.env._HANDLER, process.env.LAMBDA_TASK_ROOT);
  } catch (e) {
    const document = errorDocument(e, 'Init');
    console.error(`Init error: ${document.errorType}: ${document.errorMessage}`);
    await client.reportError(`${API_PREFIX}/init/error`, document.errorType, document);
    process.exit(1);
  }
  for (;;) {
    const invocation = await client.nextInvocation();
    const requestId = invocation.headers['lambda-runtime-aws-request-id'];
    try {
      const event = invocation.body === '' ? null : JSON.parse(invocation.body);
      const result = await handler(event, context(invocation.headers));
      await client.respond(requestId, JSON.stringify(result ?? null));
    } catch (e) {
      const document = errorDocument(e, 'Function');
      console.error(`Function error: ${document.errorType}: ${document.errorMessage}`);
      await client.reportError(`${API_PREFIX}/invocation/${requestId}/error`, document.errorType, document);
    }
  }
}

run().catch((e) => {
  console.error(`Runtime error: ${e?.stack ?? e}`);
  process.exit(1);
});
