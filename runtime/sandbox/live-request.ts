/**
 * Sends a request to the real network under the network policy (address-policy.ts).
 * The policy holds for the address actually connected to: a name is resolved once, by
 * a lookup hook on the connection itself, and the connection goes to the address that
 * was judged (no second resolution a DNS-rebinding server could answer differently); an
 * IP literal is judged before the socket is created. Redirects are followed here, hop by
 * hop, so every hop is judged the same way (node-fetch v2's redirect rules otherwise).
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import nodeFetch from 'node-fetch';
import { judgeAddress, judgeLiteralHost, type Verdict } from './address-policy';

/** A request for the live network; network.ts's OutgoingRequest is this type. */
export interface LiveRequest {
  method: string;
  url: string;
  /** Lower-case names, final values (defaults already applied). */
  headers: Record<string, string>;
  /** Bytes, or text sent as UTF-8 (a string body is encoded only if it goes out for real). */
  body: Buffer | string | null;
  redirect: 'follow' | 'manual' | 'error';
  follow: number;
  timeoutMs: number;
  compress: boolean;
  maxBodyBytes: number;
}

export interface LiveResponse {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: Buffer;
  url: string;
  redirected: boolean;
}

/** A network-level failure (node-fetch's FetchError of type `system` and friends). */
export class NetworkFailure extends Error {
  constructor(message: string, readonly type: string, readonly code?: string) {
    super(message);
  }
}

/** A request the policy refused; `reason` says why (an address and its kind). */
export class PolicyRefusal extends Error {
  readonly code = 'EBLOCKED';
  constructor(readonly reason: string) {
    super(`blocked (network policy): ${reason}`);
  }
}

export type Resolver = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

export interface PolicyContext {
  strict: boolean;
  /** Warnings met so far (an allowed loopback or private address), in order. */
  warnings: string[];
  /** Resolves names; Node's dns.lookup unless a test substitutes its own. */
  resolve?: Resolver;
}

function noteWarning(context: PolicyContext, warning: string | null): void {
  if (warning !== null && !context.warnings.includes(warning)) context.warnings.push(warning);
}

const INVALID_URL = 'invalid';
// Handlers call the same few URLs event after event: a URL's verdict is a pure function
// of its text and the mode, so it is worked out once (a bounded memo, like fetch's URL parses).
const literalVerdicts = [new Map<string, Verdict | null | typeof INVALID_URL>(), new Map<string, Verdict | null | typeof INVALID_URL>()];

function literalVerdict(url: string, strict: boolean): Verdict | null | typeof INVALID_URL {
  const memo = literalVerdicts[strict ? 1 : 0];
  const known = memo.get(url);
  if (known !== undefined) return known;
  let verdict: Verdict | null | typeof INVALID_URL;
  try {
    verdict = judgeLiteralHost(new URL(url).hostname, strict);
  } catch {
    verdict = INVALID_URL;
  }
  if (memo.size >= 256) memo.clear();
  memo.set(url, verdict);
  return verdict;
}

/** Judges a URL's host when no resolution is needed; throws PolicyRefusal when refused. */
export function checkLiteralUrl(url: string, context: PolicyContext): void {
  const verdict = literalVerdict(url, context.strict);
  if (verdict === INVALID_URL) {
    // node-fetch would reject it too; refusing it here keeps a mock rule from answering
    // a request whose address cannot be judged
    throw new PolicyRefusal(`${url} is not a valid URL, so its address cannot be checked`);
  }
  if (verdict === null) return;
  if (verdict.blocked !== null) throw new PolicyRefusal(verdict.blocked);
  noteWarning(context, verdict.warning);
}

const systemResolver: Resolver = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/** A `lookup` for sockets: resolves once, refuses when any answer is refused, else connects to what it judged. */
export function policyLookup(context: PolicyContext): LookupFunction {
  const resolve = context.resolve ?? systemResolver;
  return ((hostname: string, options: dns.LookupOptions | number | undefined, callback: (...args: unknown[]) => void) => {
    const opts: dns.LookupOptions = typeof options === 'number' ? { family: options } : { ...(options ?? {}) };
    resolve(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err);
      if (addresses.length === 0) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
      const warnings: string[] = [];
      for (const { address } of addresses) {
        const verdict = judgeAddress(address, hostname, context.strict);
        if (verdict.blocked !== null) return callback(new PolicyRefusal(verdict.blocked));
        if (verdict.warning !== null) warnings.push(verdict.warning);
      }
      for (const warning of warnings) noteWarning(context, warning);
      if (opts.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  }) as LookupFunction;
}

type ConnectionCallback = (err: Error | null, socket?: Socket) => void;

/**
 * Judges a literal host again where the socket is made (a second line behind the check
 * on the URL) and hands names to the policy lookup.
 */
function guardConnection<T extends http.Agent>(agent: T, context: PolicyContext): T {
  const create = (agent as unknown as { createConnection: (options: Record<string, unknown>, callback?: ConnectionCallback) => Socket | undefined }).createConnection;
  const lookup = policyLookup(context);
  (agent as unknown as { createConnection: unknown }).createConnection = function createConnection(options: Record<string, unknown>, callback?: ConnectionCallback) {
    const host = String(options.host ?? options.hostname ?? 'localhost');
    if (isIP(host)) {
      const verdict = judgeAddress(host, host, context.strict);
      if (verdict.blocked !== null) {
        const refusal = new PolicyRefusal(verdict.blocked);
        if (callback) {
          callback(refusal);
          return undefined;
        }
        throw refusal;
      }
      noteWarning(context, verdict.warning);
    }
    return create.call(this, { ...options, lookup }, callback);
  };
  return agent;
}

function agentFor(protocol: string, context: PolicyContext): http.Agent {
  // One agent per hop: its lookup reports to this request's context. Requests close
  // their connection anyway (node-fetch's default `connection: close`).
  return protocol === 'https:' ? guardConnection(new https.Agent(), context) : guardConnection(new http.Agent(), context);
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** node-fetch v2's rule for keeping credentials across a redirect (its argument order kept). */
function sameSite(currentUrl: string, nextUrl: string): boolean {
  const next = new URL(nextUrl);
  const current = new URL(currentUrl);
  if (next.protocol !== current.protocol) return false;
  const orig = next.hostname;
  const dest = current.hostname;
  return orig === dest || (orig[orig.length - dest.length - 1] === '.' && orig.endsWith(dest));
}

function failure(err: unknown): NetworkFailure {
  const e = err as { message?: string; type?: string; code?: string };
  return new NetworkFailure(String(e.message ?? err), e.type ?? 'system', e.code);
}

/** Sends `request`, following redirects as node-fetch v2 would, every hop under the policy. */
export async function sendLive(request: LiveRequest, context: PolicyContext): Promise<LiveResponse> {
  let url = request.url;
  let method = request.method;
  let body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  const headers = { ...request.headers };
  for (let redirects = 0; ; redirects++) {
    try {
      checkLiteralUrl(url, context);
    } catch (err) {
      if (err instanceof PolicyRefusal) throw new NetworkFailure(`request to ${url} failed, reason: ${err.message}`, 'system', err.code);
      throw err;
    }
    let response;
    try {
      response = await nodeFetch(url, {
        method,
        headers,
        body: body ?? undefined,
        redirect: 'manual',
        timeout: request.timeoutMs,
        compress: request.compress,
        size: request.maxBodyBytes,
        agent: (parsed: URL) => agentFor(parsed.protocol, context),
      });
    } catch (err) {
      throw failure(err);
    }
    const location = response.headers.get('location');
    let next: string | null = null;
    if (request.redirect !== 'manual' && REDIRECT_STATUSES.has(response.status)) {
      const discard = () => (response.body as unknown as Readable).destroy();
      if (location !== null) {
        try {
          next = new URL(location, url).href;
        } catch {
          discard();
          throw new NetworkFailure(`uri requested responds with an invalid redirect URL: ${location}`, 'invalid-redirect');
        }
      }
      // node-fetch refuses any redirect status in 'error' mode, with or without a Location
      if (request.redirect === 'error') {
        discard();
        throw new NetworkFailure(`uri requested responds with a redirect, redirect mode is set to error: ${url}`, 'no-redirect');
      }
      if (next !== null) discard();
    }
    if (next !== null) {
      if (redirects >= request.follow) throw new NetworkFailure(`maximum redirect reached at: ${url}`, 'max-redirect');
      if (!sameSite(url, next)) for (const name of ['authorization', 'www-authenticate', 'cookie', 'cookie2']) delete headers[name];
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = null;
        delete headers['content-length'];
      }
      url = next;
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await response.buffer();
    } catch (err) {
      throw failure(err);
    }
    const pairs: Array<[string, string]> = [];
    const raw = response.headers.raw();
    for (const name of Object.keys(raw)) for (const value of raw[name]) pairs.push([name.toLowerCase(), value]);
    return { status: response.status, statusText: response.statusText, headers: pairs, body: bytes, url, redirected: redirects > 0 };
  }
}
