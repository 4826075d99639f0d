/**
 * The guest's `AWS` (aws-sdk v2), loaded lazily on first use (loading costs 260–480 ms).
 * Guests get per-instance facades: service constructors whose operation methods take
 * plain params and return `{promise(), send(cb)}`, results deep-copied to plain data.
 * The SDK never sees host credentials (no environment, empty provider chain) and its
 * HTTP goes through the sandbox network: mock rules, offline switch and capture apply.
 */
import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { GuestLibrary } from './guest-library';
import { currentInvocation, isLive } from './invocation';
import { NetworkFailure, sendRequest } from './network';
import { toGuestData } from './guest-data';
import { createGuestSet } from './dynamodb-set';
import { toSdkParams } from './sdk-params';

type Sdk = Record<string, unknown> & {
  config: { credentials: unknown; credentialProvider: unknown; update(options: object): void };
  CredentialProviderChain: new (providers: unknown[]) => unknown;
  NodeHttpClient: { prototype: { handleRequest: unknown } };
  Credentials: new (options: object) => unknown;
};
type SdkRequest = { promise(): Promise<unknown>; send(cb: (err: unknown, data: unknown) => void): void };
type SdkClient = Record<string, (...args: unknown[]) => SdkRequest> & { api?: { operations: Record<string, unknown> } };

let sdk: Sdk | null = null;
let serviceNames: string[] | null = null;

/** Service class names (S3, DynamoDB, …) without loading the SDK. */
function listServices(): string[] {
  if (!serviceNames) {
    const metadata = JSON.parse(readFileSync(require.resolve('aws-sdk/apis/metadata.json'), 'utf8')) as Record<string, { name: string }>;
    serviceNames = Object.values(metadata).map((entry) => entry.name);
  }
  return serviceNames;
}

function loadSdk(library: GuestLibrary): Sdk {
  if (sdk) return sdk;
  // The SDK prints a maintenance notice to the host's stderr on load (noise in `--json` output).
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('aws-sdk') as Sdk;
  loaded.config.credentials = null;
  loaded.config.credentialProvider = new loaded.CredentialProviderChain([]);
  loaded.NodeHttpClient.prototype.handleRequest = function handleRequest(
    httpRequest: { method: string; path: string; headers: Record<string, string>; body?: string | Buffer; endpoint: { protocol: string; hostname: string; port: number } },
    _httpOptions: unknown,
    callback: (response: PassThrough) => void,
    errCallback: (err: Error) => void,
  ) {
    const stream = Object.assign(new EventEmitter(), { didCallback: false, abort: () => undefined, setTimeout: () => undefined });
    (httpRequest as unknown as { stream: unknown }).stream = stream;
    const invocation = currentInvocation();
    if (!isLive(invocation)) return stream;
    const { protocol, hostname, port } = httpRequest.endpoint;
    const defaultPort = (protocol === 'https:' && port === 443) || (protocol === 'http:' && port === 80);
    // an IPv6 endpoint's hostname comes without its brackets (url.parse)
    const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
    const url = `${protocol}//${host}${defaultPort ? '' : `:${port}`}${httpRequest.path}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(httpRequest.headers)) headers[name.toLowerCase()] = String(value);
    const body = httpRequest.body === undefined || httpRequest.body === '' ? null : Buffer.from(httpRequest.body);
    sendRequest(invocation, { method: httpRequest.method, url, headers, body, redirect: 'manual', follow: 0, timeoutMs: 0, compress: false, maxBodyBytes: 0 }).then(
      (response) => {
        const record: Record<string, string> = {};
        for (const [name, value] of response.headers) record[name] = name in record ? `${record[name]}, ${value}` : value;
        const httpResp = Object.assign(new PassThrough(), { statusCode: response.status, headers: record, statusMessage: response.statusText });
        callback(httpResp);
        httpResp.emit('headers', response.status, record, response.statusText);
        httpResp.end(response.body);
      },
      (err: unknown) => {
        const error = err instanceof NetworkFailure ? Object.assign(new Error(err.message), { code: err.code ?? 'NetworkingError' }) : (err as Error);
        errCallback(error);
      },
    );
    return stream;
  };
  sdk = loaded;
  void library;
  return loaded;
}

const CONFIG_STRINGS = ['region', 'endpoint', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'apiVersion', 'signatureVersion'];
const CONFIG_FLAGS = ['s3ForcePathStyle', 'sslEnabled', 'correctClockSkew', 'computeChecksums', 'convertResponseTypes', 's3BucketEndpoint', 'useAccelerateEndpoint', 'dynamoDbCrc32', 'convertEmptyValues', 'wrapNumbers'];

/** Copies the SDK options functions may set; drops anything else (loggers, agents, providers). */
function sanitiseConfig(source: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!source || typeof source !== 'object') return out;
  const input = source as Record<string, unknown>;
  for (const key of CONFIG_STRINGS) if (input[key] !== undefined && input[key] !== null) out[key] = String(input[key]);
  for (const key of CONFIG_FLAGS) if (input[key] !== undefined) out[key] = Boolean(input[key]);
  if (input.maxRetries !== undefined) out.maxRetries = Number(input.maxRetries);
  if (input.params && typeof input.params === 'object') out.params = toSdkParams(input.params);
  const credentials = input.credentials as Record<string, unknown> | undefined;
  if (credentials && typeof credentials === 'object') {
    out.accessKeyId = String(credentials.accessKeyId ?? '');
    out.secretAccessKey = String(credentials.secretAccessKey ?? '');
    if (credentials.sessionToken) out.sessionToken = String(credentials.sessionToken);
  }
  const httpOptions = input.httpOptions as Record<string, unknown> | undefined;
  if (httpOptions && typeof httpOptions === 'object') {
    out.httpOptions = {};
    if (httpOptions.timeout !== undefined) (out.httpOptions as Record<string, number>).timeout = Number(httpOptions.timeout);
    if (httpOptions.connectTimeout !== undefined) (out.httpOptions as Record<string, number>).connectTimeout = Number(httpOptions.connectTimeout);
  }
  return out;
}

function guestError(err: unknown): Error {
  const source = (err ?? {}) as Record<string, unknown>;
  const error = new Error(String(source.message ?? err));
  const code = source.code !== undefined ? String(source.code) : undefined;
  if (code) {
    error.name = code;
    (error as Error & { code?: string }).code = code;
  }
  for (const key of ['statusCode', 'retryable', 'requestId', 'region', 'hostname', 'retryDelay']) {
    const value = source[key];
    if (value !== undefined && (typeof value !== 'object' || value === null)) (error as unknown as Record<string, unknown>)[key] = value;
  }
  return error;
}

/** A request facade: `promise()` and `send(cb)`, like AWS.Request, over plain data. */
function requestFacade(start: () => SdkRequest): object {
  let request: SdkRequest | null = null;
  // Params the SDK cannot take (a cycle) are reported the way its own validation errors
  // are, through the promise or the callback, never thrown from promise() or send().
  const get = (): { request: SdkRequest } | { error: unknown } => {
    try {
      return { request: (request ??= start()) };
    } catch (error) {
      return { error };
    }
  };
  return harden({
    promise: () => {
      const started = get();
      if ('error' in started) return Promise.reject(started.error);
      return started.request.promise().then((data) => toGuestData(data), (err: unknown) => Promise.reject(guestError(err)));
    },
    send: (callback?: unknown) => {
      const started = get();
      if ('error' in started) {
        if (typeof callback === 'function') (callback as (e: unknown, d: unknown) => void)(started.error, null);
        return;
      }
      started.request.send((err, data) => {
        if (typeof callback !== 'function') return;
        const invocation = currentInvocation();
        if (!isLive(invocation)) return;
        try {
          (callback as (e: unknown, d: unknown) => void)(err ? guestError(err) : null, err ? null : toGuestData(data));
        } catch (thrown) {
          invocation.fail(thrown);
        }
      });
    },
  });
}

function callOperation(client: SdkClient, operation: string, params: unknown, callback: unknown): object {
  const facade = requestFacade(() => (client[operation]).call(client, toSdkParams(params)));
  if (typeof callback === 'function') (facade as { send(cb: unknown): void }).send(callback);
  return facade;
}

const DOCUMENT_CLIENT_OPERATIONS = ['get', 'put', 'update', 'delete', 'query', 'scan', 'batchGet', 'batchWrite', 'transactGet', 'transactWrite'];

export function createAwsFacade(library: GuestLibrary): object {
  const sharedConfig: Record<string, unknown> = {};
  const config = {
    update(options: unknown): void {
      Object.assign(sharedConfig, sanitiseConfig(options));
    },
  };
  const effectiveConfig = (own: unknown) => ({ ...sanitiseConfig(config), ...sharedConfig, ...sanitiseConfig(own) });

  const serviceClass = (name: string) => {
    const Service = function (this: Record<string, unknown>, options?: unknown) {
      if (!new.target) throw new TypeError(`AWS.${name} must be called with new`);
      const Sdk = loadSdk(library);
      const HostService = Sdk[name] as new (options: object) => SdkClient;
      if (typeof HostService !== 'function') throw new TypeError(`AWS.${name} is not available`);
      const client = new HostService(effectiveConfig(options));
      for (const operation of Object.keys(client.api?.operations ?? {})) {
        this[operation] = (params?: unknown, callback?: unknown) => callOperation(client, operation, params, callback);
      }
      if (typeof client.getSignedUrl === 'function') {
        this.getSignedUrl = (operation: unknown, params: unknown, callback?: unknown) => {
          const url = (client.getSignedUrl as unknown as (o: string, p: unknown) => string).call(client, String(operation), toSdkParams(params));
          if (typeof callback === 'function') (callback as (e: null, u: string) => void)(null, url);
          return url;
        };
        this.getSignedUrlPromise = async (operation: unknown, params: unknown) =>
          (client.getSignedUrl as unknown as (o: string, p: unknown) => string).call(client, String(operation), toSdkParams(params));
      }
    } as unknown as new (options?: unknown) => object;
    Object.defineProperty(Service, 'name', { value: name });
    return Service;
  };

  const aws: Record<string, unknown> = {
    config,
    Credentials: function Credentials(this: Record<string, unknown>, accessKeyId: unknown, secretAccessKey?: unknown, sessionToken?: unknown) {
      const source = accessKeyId && typeof accessKeyId === 'object' ? (accessKeyId as Record<string, unknown>) : { accessKeyId, secretAccessKey, sessionToken };
      this.accessKeyId = String(source.accessKeyId ?? '');
      this.secretAccessKey = String(source.secretAccessKey ?? '');
      if (source.sessionToken) this.sessionToken = String(source.sessionToken);
    },
  };
  const cache = new Map<string, unknown>();
  for (const name of listServices()) {
    Object.defineProperty(aws, name, {
      enumerable: true,
      configurable: true,
      get() {
        let value = cache.get(name);
        if (!value) {
          value = serviceClass(name);
          if (name === 'DynamoDB') {
            const DocumentClient = function (this: Record<string, unknown>, options?: unknown) {
              const Sdk = loadSdk(library);
              const HostDocumentClient = (Sdk.DynamoDB as { DocumentClient: new (o: object) => SdkClient }).DocumentClient;
              const client = new HostDocumentClient(effectiveConfig(options));
              for (const operation of DOCUMENT_CLIENT_OPERATIONS) {
                this[operation] = (params?: unknown, callback?: unknown) => callOperation(client, operation, params, callback);
              }
              this.createSet = (list: unknown, options?: unknown) => createGuestSet(list, options);
            };
            (value as Record<string, unknown>).DocumentClient = DocumentClient;
          }
          cache.set(name, value);
        }
        return value;
      },
    });
  }
  return aws;
}
