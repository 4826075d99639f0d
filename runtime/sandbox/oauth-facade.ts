/**
 * The guest's `OAuth` (the oauth npm package: OAuth 1.0a and OAuth2). Signing is the
 * package's own code; its requests are routed through the sandbox network (mock rules,
 * offline switch, capture) instead of Node's http, and callbacks receive only strings
 * and plain `{statusCode, headers}` objects, never Node streams.
 */
import { EventEmitter } from 'node:events';
import https from 'node:https';
import { OAuth as HostOAuth, OAuth2 as HostOAuth2 } from 'oauth';
import type { GuestLibrary } from './guest-library';
import { currentInvocation, isLive } from './invocation';
import { NetworkFailure, sendRequest } from './network';
import { toPlainData } from './plain-data';

type Callback = (...args: unknown[]) => unknown;

function text(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) out[key] = String((value as Record<string, unknown>)[key]);
  return out;
}

function callbackOf(value: unknown, method: string): Callback {
  if (typeof value !== 'function') throw new TypeError(`OAuth.${method}: a callback function is required (functions cannot use raw request objects)`);
  return value as Callback;
}

/** The oauth package passes url.parse's hostname: an IPv6 literal needs its brackets back. */
function urlHost(hostname: string): string {
  return hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
}

interface HostResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Runs one request through the sandbox network for an oauth client. */
function perform(library: GuestLibrary, method: string, url: string, headers: Record<string, string>, body: string | Buffer | null): Promise<HostResult> {
  const invocation = currentInvocation();
  if (!isLive(invocation)) return new Promise(() => {});
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = String(value);
  const bytes = body === null || body === '' ? null : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return sendRequest(invocation, {
    method,
    url,
    headers: lower,
    body: bytes,
    redirect: 'manual',
    follow: 0,
    timeoutMs: 0,
    compress: false,
    maxBodyBytes: 0,
  }).then(
    (response) => {
      const record: Record<string, string> = {};
      for (const [name, value] of response.headers) record[name] = name in record ? `${record[name]}, ${value}` : value;
      return { statusCode: response.status, headers: record, body: response.body.toString('utf8') };
    },
    (err: unknown) => {
      if (err instanceof NetworkFailure) throw library.makeFetchError(err.message, err.type, err.code);
      throw err;
    },
  );
}

/** Calls a guest callback; a throw ends the invocation like an uncaught exception. */
function callGuest(callback: Callback, args: unknown[]): void {
  const invocation = currentInvocation();
  if (!isLive(invocation)) return;
  try {
    callback(...args);
  } catch (err) {
    invocation.fail(err);
  }
}

/** Wraps the host callback so guests get plain values. */
function guestCallback(callback: Callback): Callback {
  return (err: unknown, ...rest: unknown[]) => {
    const args = rest.map((value) => {
      if (value && typeof value === 'object' && 'statusCode' in value && 'headers' in value) {
        const response = value as { statusCode: number; headers: Record<string, string> };
        return { statusCode: response.statusCode, headers: { ...response.headers } };
      }
      return value && typeof value === 'object' ? toPlainData(value) : value;
    });
    const error = err instanceof Error || err === null || err === undefined ? err ?? null : toPlainData(err);
    callGuest(callback, [error, ...args]);
  };
}

/** A ClientRequest look-alike handed to the oauth package in place of Node's. */
class RoutedClientRequest extends EventEmitter {
  private readonly chunks: Buffer[] = [];
  constructor(
    private readonly library: GuestLibrary,
    private readonly method: string,
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {
    super();
  }
  write(chunk: string | Buffer): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8'));
  }
  end(): void {
    perform(this.library, this.method, this.url, this.headers, this.chunks.length ? Buffer.concat(this.chunks) : null).then(
      (result) => {
        const response = Object.assign(new EventEmitter(), {
          statusCode: result.statusCode,
          headers: result.headers,
          setEncoding: () => undefined,
        });
        this.emit('response', response);
        response.emit('data', result.body);
        response.emit('end');
      },
      (err: unknown) => this.emit('error', err),
    );
  }
}

export function createOAuthFacade(library: GuestLibrary): object {
  class OAuth {
    readonly #client: HostOAuth;
    constructor(requestUrl: unknown, accessUrl: unknown, consumerKey: unknown, consumerSecret: unknown, version: unknown, authorizeCallback: unknown, signatureMethod: unknown, nonceSize?: unknown, customHeaders?: unknown) {
      const client = new HostOAuth(
        text(requestUrl) as string,
        text(accessUrl) as string,
        text(consumerKey) as string,
        text(consumerSecret) as string,
        text(version) ?? '1.0',
        (text(authorizeCallback) ?? null),
        text(signatureMethod) ?? 'HMAC-SHA1',
        nonceSize === undefined ? undefined : Number(nonceSize),
        stringRecord(customHeaders),
      );
      (client as unknown as { _createClient: unknown })._createClient = (port: string | undefined, hostname: string, method: string, path: string, headers: Record<string, string>, ssl?: boolean) =>
        new RoutedClientRequest(library, method, `${ssl ? 'https' : 'http'}://${urlHost(hostname)}${port ? `:${port}` : ''}${path}`, headers);
      this.#client = client;
    }
    get(url: unknown, token: unknown, secret: unknown, callback: unknown): void {
      this.#client.get(String(url), text(token) as string, text(secret) as string, guestCallback(callbackOf(callback, 'get')));
    }
    delete(url: unknown, token: unknown, secret: unknown, callback: unknown): void {
      this.#client.delete(String(url), text(token) as string, text(secret) as string, guestCallback(callbackOf(callback, 'delete')));
    }
    post(url: unknown, token: unknown, secret: unknown, body: unknown, contentType: unknown, callback: unknown): void {
      const payload = typeof body === 'string' || body == null ? body : toPlainData(body);
      this.#client.post(String(url), text(token) as string, text(secret) as string, payload, text(contentType), guestCallback(callbackOf(callback, 'post')));
    }
    put(url: unknown, token: unknown, secret: unknown, body: unknown, contentType: unknown, callback: unknown): void {
      const payload = typeof body === 'string' || body == null ? body : toPlainData(body);
      this.#client.put(String(url), text(token) as string, text(secret) as string, payload, text(contentType), guestCallback(callbackOf(callback, 'put')));
    }
    getProtectedResource(url: unknown, method: unknown, token: unknown, secret: unknown, callback: unknown): void {
      this.#client.getProtectedResource(String(url), String(method), text(token) as string, text(secret) as string, guestCallback(callbackOf(callback, 'getProtectedResource')));
    }
    getOAuthRequestToken(extraParams: unknown, callback?: unknown): void {
      if (typeof extraParams === 'function') {
        this.#client.getOAuthRequestToken(guestCallback(extraParams as Callback));
        return;
      }
      this.#client.getOAuthRequestToken((stringRecord(extraParams) ?? {}), guestCallback(callbackOf(callback, 'getOAuthRequestToken')));
    }
    getOAuthAccessToken(token: unknown, secret: unknown, verifier: unknown, callback?: unknown): void {
      if (typeof verifier === 'function') {
        this.#client.getOAuthAccessToken(String(token), String(secret), guestCallback(verifier as Callback));
        return;
      }
      this.#client.getOAuthAccessToken(String(token), String(secret), String(verifier), guestCallback(callbackOf(callback, 'getOAuthAccessToken')));
    }
    signUrl(url: unknown, token?: unknown, secret?: unknown, method?: unknown): string {
      return this.#client.signUrl(String(url), text(token) as string, text(secret) as string, text(method));
    }
    authHeader(url: unknown, token: unknown, secret: unknown, method?: unknown): string {
      return this.#client.authHeader(String(url), String(token), String(secret), text(method));
    }
    setClientOptions(options: unknown): void {
      const plain = toPlainData(options) as Record<string, unknown> | null;
      if (plain && typeof plain === 'object') this.#client.setClientOptions(plain as never);
    }
  }

  class OAuth2 {
    readonly #client: HostOAuth2;
    constructor(clientId: unknown, clientSecret: unknown, baseSite: unknown, authorizePath?: unknown, accessTokenPath?: unknown, customHeaders?: unknown) {
      const client = new HostOAuth2(String(clientId), String(clientSecret), String(baseSite), text(authorizePath), text(accessTokenPath), stringRecord(customHeaders));
      (client as unknown as { _executeRequest: unknown })._executeRequest = (
        httpLibrary: unknown,
        options: { host: string; port?: string | number; path: string; method: string; headers: Record<string, string> },
        postBody: string | Buffer | null,
        callback: (err: unknown, result?: string, response?: unknown) => void,
      ) => {
        const protocol = httpLibrary === https ? 'https' : 'http';
        const port = options.port ? `:${options.port}` : '';
        perform(library, options.method, `${protocol}://${urlHost(options.host)}${port}${options.path}`, options.headers ?? {}, postBody ?? null).then(
          (result) => {
            if (!(result.statusCode >= 200 && result.statusCode <= 299) && result.statusCode !== 301 && result.statusCode !== 302) {
              callback({ statusCode: result.statusCode, data: result.body });
            } else {
              callback(null, result.body, { statusCode: result.statusCode, headers: result.headers });
            }
          },
          (err: unknown) => callback(err),
        );
      };
      this.#client = client;
    }
    getAuthorizeUrl(params?: unknown): string {
      return this.#client.getAuthorizeUrl(stringRecord(params));
    }
    getOAuthAccessToken(code: unknown, params: unknown, callback: unknown): void {
      this.#client.getOAuthAccessToken(String(code), (stringRecord(params) ?? {}) as never, guestCallback(callbackOf(callback, 'getOAuthAccessToken')) as never);
    }
    get(url: unknown, accessToken: unknown, callback: unknown): void {
      this.#client.get(String(url), String(accessToken), guestCallback(callbackOf(callback, 'get')) as never);
    }
    getProtectedResource(url: unknown, accessToken: unknown, callback: unknown): void {
      this.#client.getProtectedResource(String(url), String(accessToken), guestCallback(callbackOf(callback, 'getProtectedResource')) as never);
    }
    setAccessTokenName(name: unknown): void {
      this.#client.setAccessTokenName(String(name));
    }
    setAuthMethod(method: unknown): void {
      this.#client.setAuthMethod(String(method));
    }
    useAuthorizationHeaderforGET(use: unknown): void {
      this.#client.useAuthorizationHeaderforGET(Boolean(use));
    }
    buildAuthHeader(token: unknown): string {
      return this.#client.buildAuthHeader(String(token));
    }
  }

  return harden({ OAuth, OAuth2 });
}
