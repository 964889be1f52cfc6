// SPDX-License-Identifier: Apache-2.0
'use strict';

const { pathToFileURL } = require('node:url');
const { CallFailure, describe } = require('./fallback.js');

const SDK = '@aws-sdk/client-secrets-manager';
const SSM_SDK = '@aws-sdk/client-ssm';
/** What each service needs of its SDK package: the client class and the one command. */
const SERVICES = {
  secretsManager: { label: 'Secrets Manager', client: 'SecretsManagerClient', command: 'GetSecretValueCommand' },
  ssm: { label: 'SSM', client: 'SSMClient', command: 'GetParameterCommand' },
};
/** One direct call, the SDK's retries included; past it the call fails with TIMEOUT. */
const CALL_TIMEOUT_MS = 10_000;

/** Error codes meaning "these credentials may not do this", whichever part of the chain refused. */
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException',
  'InvalidSignatureException', 'IncompleteSignature', 'ExpiredTokenException', 'InvalidClientTokenId',
  'MissingAuthenticationTokenException', 'MissingAuthenticationToken']);
const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'Throttling']);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

/**
 * GetSecretValue and SSM's GetParameter through the AWS SDK for JavaScript v3, which the Lambda Node.js runtimes
 * ship. Each service's SDK package is loaded on the first call that needs it, never before: reading the manifest
 * loads none of it, and a function that reads only secrets never loads @aws-sdk/client-ssm. It is found the
 * way `require` finds packages, NODE_PATH included, then loaded with import(): the Lambda runtimes keep it in
 * /var/runtime/node_modules, which only NODE_PATH leads to from a layer's /opt/nodejs/node_modules, and Node's
 * own import() never searches NODE_PATH (only the Lambda runtimes' hook does). One client per service and region;
 * the SDK's default credential chain, retries and endpoint settings (AWS_ENDPOINT_URL_SECRETS_MANAGER,
 * AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL) apply.
 */
class SdkFetcher {
  /**
   * @param {{callTimeoutMs?: number, sdk?: string, ssmSdk?: string}} [options] for tests
   */
  constructor(options = {}) {
    this.callTimeoutMs = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
    this.specifiers = { secretsManager: options.sdk ?? SDK, ssm: options.ssmSdk ?? SSM_SDK };
    this.sdks = new Map();
    this.clients = new Map();
  }

  /**
   * @param {import('./fallback').Request} request
   * @param {string | undefined} region undefined: the SDK's own region chain
   * @returns {Promise<import('./manifest').Value>}
   * @throws {CallFailure}
   */
  async fetch(request, region) {
    const service = request.parameter === true ? 'ssm' : 'secretsManager';
    const sdk = await this.load(service);
    const key = `${service} ${region ?? ''}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      client = new sdk[SERVICES[service].client](region === undefined ? {} : { region });
      this.clients.set(key, client);
    }
    let input;
    if (service === 'ssm') {
      input = { Name: request.secretId, WithDecryption: true };
    } else {
      input = { SecretId: request.secretId };
      if (request.versionId !== undefined) input.VersionId = request.versionId;
      if (request.versionStage !== undefined) input.VersionStage = request.versionStage;
    }
    const signal = AbortSignal.timeout(this.callTimeoutMs);
    let response;
    try {
      response = await client.send(new sdk[SERVICES[service].command](input), { abortSignal: signal });
    } catch (e) {
      throw failure(e, signal.aborted, request, `${describe(request)} in ${region ?? "the AWS SDK's default region"}`,
        this.callTimeoutMs);
    }
    if (service === 'ssm') {
      if (typeof response.Parameter?.Value === 'string') {
        return { kind: 'text', text: response.Parameter.Value };
      }
      throw new CallFailure('OTHER', `SSM returned no value for ${describe(request)}`);
    }
    if (typeof response.SecretString === 'string') {
      return { kind: 'text', text: response.SecretString };
    }
    if (response.SecretBinary instanceof Uint8Array) {
      return { kind: 'binary', bytes: Buffer.from(response.SecretBinary) };
    }
    throw new CallFailure('OTHER', `Secrets Manager returned no value for ${describe(request)}`);
  }

  load(service) {
    let sdk = this.sdks.get(service);
    if (sdk === undefined) {
      sdk = loadSdk(this.specifiers[service], SERVICES[service]);
      this.sdks.set(service, sdk);
    }
    return sdk;
  }
}

async function loadSdk(specifier, service) {
  let resolved;
  try {
    resolved = require.resolve(specifier);
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') {
      throw e;
    }
    throw new CallFailure('OTHER', `needs a direct ${service.label} call, but the AWS SDK (${specifier}) cannot be `
      + `found. The Lambda Node.js runtimes include it; elsewhere add it to the function: npm install ${specifier}`);
  }
  const module = await import(pathToFileURL(resolved).href);
  const sdk = typeof module[service.command] === 'function' ? module : module.default;
  if (typeof sdk?.[service.client] !== 'function' || typeof sdk[service.command] !== 'function') {
    throw new CallFailure('OTHER', `needs a direct ${service.label} call, but ${specifier} at ${resolved} has no `
      + `${service.client} or ${service.command}; install a version 3 release`);
  }
  return sdk;
}

/**
 * The reason for an SDK failure. Only the error's name or code and the HTTP status are used: the SDK's
 * messages can quote what the service or a proxy answered, so they are never passed on.
 */
function failure(e, aborted, request, what, timeoutMs) {
  const code = String(e?.name ?? 'Error');
  const status = e?.$metadata?.httpStatusCode;
  const parameter = request.parameter === true;
  const service = parameter ? 'SSM' : 'Secrets Manager';
  if (aborted) {
    return new CallFailure('TIMEOUT', `no answer from ${service} within ${timeoutMs} ms for ${what}`);
  }
  if (code === 'ResourceNotFoundException') {
    return new CallFailure('NOT_FOUND', `Secrets Manager has no secret ${what} (${code}); check the name, the ARN `
      + 'or the region');
  }
  if (code === 'ParameterNotFound' || code === 'ParameterVersionNotFound') {
    return new CallFailure('NOT_FOUND', `SSM Parameter Store has no ${what} (${code}); check the name, the ARN, `
      + 'the version or label, or the region');
  }
  if (code === 'DecryptionFailure') {
    return new CallFailure('DECRYPTION_FAILURE', `Secrets Manager cannot decrypt ${what} (${code}); check the `
      + "secret's KMS key and that the function's role has kms:Decrypt on it");
  }
  if (THROTTLED.has(code) || status === 429 || e?.$retryable?.throttling === true) {
    return new CallFailure('THROTTLED', `${service} throttled the call for ${what} (${code}) after the SDK's `
      + 'retries; call less often or raise the quota');
  }
  if (ACCESS_DENIED.has(code)) {
    return new CallFailure('ACCESS_DENIED', `access denied to ${what} (${code}); the function's role needs `
      + (parameter ? 'ssm:GetParameter on the parameter, and kms:Decrypt on the key of a SecureString if that is a '
        + 'customer-managed key'
        : 'secretsmanager:GetSecretValue on the secret, and kms:Decrypt on its key if that is a customer-managed key'));
  }
  if (code === 'TimeoutError' || e?.code === 'ETIMEDOUT') {
    return new CallFailure('TIMEOUT', `no answer from ${service} in time for ${what} (${code})`);
  }
  if (typeof status === 'number') {
    return new CallFailure('OTHER', `${service} refused the call for ${what} (${code}, HTTP ${status})`);
  }
  if (code === 'CredentialsProviderError') {
    return new CallFailure('OTHER', `the AWS SDK found no credentials to call ${service} for ${what}; Lambda `
      + 'sets them from the function\'s role (elsewhere: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile)');
  }
  if (e?.message === 'Region is missing') {
    return new CallFailure('OTHER', `no region to call ${service} in for ${what}; set AWS_REGION (Lambda sets `
      + 'it) or AWS_DEFAULT_REGION, or ask for it by its ARN');
  }
  if (NETWORK.has(e?.code)) {
    return new CallFailure('OTHER', `cannot reach ${service} for ${what} (${e.code})`);
  }
  return new CallFailure('OTHER', `the call to ${service} for ${what} failed (${code}${
    typeof e?.code === 'string' ? ` ${e.code}` : ''})`);
}

module.exports = { SdkFetcher, CALL_TIMEOUT_MS, SDK, SSM_SDK };
