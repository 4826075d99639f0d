/**
 * A typed client for the Segment Public API's Functions endpoints.
 *
 * Built on Node's global fetch (undici): it ships with every Node this project supports
 * (>= 20.19), has AbortSignal timeouts, and adds no dependency. node-fetch 2 stays what it
 * is here for: the fetch that user code sees inside the sandbox, matching Segment's runtime.
 *
 * Failures become RemoteErrors a person can act on (see remote-error.ts). 429 waits as the
 * server says; 5xx and network failures are retried with jittered exponential backoff,
 * bounded; every wait is reported through `onWait` so a UI can show it.
 */
import { normalizeApiUrl } from './api-url';
import { RemoteError, ROLE_NEEDED, type RemoteErrorKind, type RemoteOperation } from './remote-error';
import type {
  CreateFunctionInput,
  ResourceType,
  UpdateFunctionInput,
  WireError,
  WireFunction,
  WireFunctionListItem,
  WirePagination,
  WireVersion,
} from './wire';

export type PaginationStyle = 'bracket' | 'dot';

export interface WaitNotice {
  operation: RemoteOperation;
  reason: 'rate-limited' | 'retry';
  /** How long the client waits before the next attempt. */
  waitMs: number;
  /** The attempt that failed (1-based). */
  attempt: number;
  /** What failed: an HTTP status, or null for a network failure or timeout. */
  status: number | null;
  /** Where the rate-limit wait came from, e.g. "Retry-After". */
  source?: string;
}

export interface FunctionsClientOptions {
  apiUrl: string;
  token: string;
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /** Attempts for 5xx / network failures / timeouts (idempotent calls); default 4. */
  maxAttempts?: number;
  /** Rate-limit waits before giving up; default 5. */
  maxRateLimitWaits?: number;
  /** A single rate-limit wait longer than this is not waited out; default 120 s. */
  maxWaitMs?: number;
  /** First backoff step; default 500 ms (doubling, full jitter, capped at 8 s). */
  backoffBaseMs?: number;
  /** The query style for pagination: the SDKs send `pagination[count]`, the docs show `pagination.count`. */
  paginationStyle?: PaginationStyle;
  /** Page size when listing; default 200. */
  pageSize?: number;
  onWait?: (notice: WaitNotice) => void;
  /** Injected in tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface FunctionsPage<T> {
  items: T[];
  /** Sum of the items over every page, or the server's totalEntries when it sends one. */
  total: number;
}

const MAX_PAGES = 1000;
const USER_AGENT = 'fnstudio (Segment Public API client)';

interface Attempt {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Array<[string, string]>;
  body?: unknown;
  /** Versions endpoints are alpha-only: ask for that media type. */
  alpha?: boolean;
}

export class FunctionsClient {
  readonly apiUrl: string;
  private readonly token: string;
  private readonly options: Required<Omit<FunctionsClientOptions, 'onWait' | 'apiUrl' | 'token'>> & Pick<FunctionsClientOptions, 'onWait'>;

  constructor(options: FunctionsClientOptions) {
    this.apiUrl = normalizeApiUrl(options.apiUrl);
    if (typeof options.token !== 'string' || options.token.trim() === '') throw new TypeError('FunctionsClient: a Public API token is required');
    this.token = options.token.trim();
    this.options = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 4,
      maxRateLimitWaits: options.maxRateLimitWaits ?? 5,
      maxWaitMs: options.maxWaitMs ?? 120_000,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      paginationStyle: options.paginationStyle ?? 'bracket',
      pageSize: options.pageSize ?? 200,
      onWait: options.onWait,
      fetch: options.fetch ?? fetch,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
    };
  }

  /** Every function of a type, following `pagination.next` page by page. */
  async listFunctions(resourceType: ResourceType): Promise<FunctionsPage<WireFunctionListItem>> {
    return this.listAll('list functions', '/functions', 'functions', [['resourceType', resourceType]]);
  }

  /** One cheap call: the number of functions of a type (null when the server does not say). */
  async countFunctions(resourceType: ResourceType): Promise<number | null> {
    const data = await this.call('list functions', { method: 'GET', path: '/functions', query: [['resourceType', resourceType], ...this.pageQuery(1, null)] });
    const pagination = (data as { pagination?: WirePagination }).pagination;
    if (typeof pagination?.totalEntries === 'number') return pagination.totalEntries;
    const items = (data as { functions?: unknown }).functions;
    return Array.isArray(items) && !pagination?.next ? items.length : null;
  }

  async getFunction(id: string): Promise<WireFunction> {
    return this.fn('get function', await this.call('get function', { method: 'GET', path: `/functions/${enc(id)}` }));
  }

  async createFunction(input: CreateFunctionInput): Promise<WireFunction> {
    return this.fn('create function', await this.call('create function', { method: 'POST', path: '/functions', body: input }));
  }

  async updateFunction(id: string, patch: UpdateFunctionInput): Promise<WireFunction> {
    return this.fn('update function', await this.call('update function', { method: 'PATCH', path: `/functions/${enc(id)}`, body: patch }));
  }

  async deleteFunction(id: string): Promise<void> {
    await this.call('delete function', { method: 'DELETE', path: `/functions/${enc(id)}` });
  }

  /** POST /functions/{id}/deploy. The SDK documents it for source function instances (`sfn_…`) only. */
  async deployFunction(id: string): Promise<{ status: string }> {
    const data = await this.call('deploy function', { method: 'POST', path: `/functions/${enc(id)}/deploy` });
    const status = (data as { functionDeployment?: { status?: unknown } }).functionDeployment?.status;
    if (typeof status !== 'string') throw this.badResponse('deploy function', 'data.functionDeployment.status is missing');
    return { status };
  }

  async listVersions(id: string): Promise<FunctionsPage<WireVersion>> {
    return this.listAll('list versions', `/functions/${enc(id)}/versions`, 'versions', [], true);
  }

  async getVersion(id: string, versionId: string): Promise<WireVersion> {
    return this.version('get version', await this.call('get version', { method: 'GET', path: `/functions/${enc(id)}/versions/${enc(versionId)}`, alpha: true }));
  }

  /** Makes the version the latest one again (a new version with its code). */
  async restoreVersion(id: string, versionId: string): Promise<WireVersion> {
    return this.version('restore version', await this.call('restore version', { method: 'POST', path: `/functions/${enc(id)}/versions`, body: { versionId }, alpha: true }));
  }

  private async listAll<T>(operation: RemoteOperation, path: string, key: string, query: Array<[string, string]>, alpha = false): Promise<FunctionsPage<T>> {
    const items: T[] = [];
    let cursor: string | null = null;
    let total: number | null = null;
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const data = await this.call(operation, { method: 'GET', path, query: [...query, ...this.pageQuery(this.options.pageSize, cursor)], alpha });
      const list = (data as Record<string, unknown>)[key];
      if (!Array.isArray(list)) throw this.badResponse(operation, `data.${key} is not a list`);
      items.push(...(list as T[]));
      const pagination = (data as { pagination?: WirePagination }).pagination;
      if (typeof pagination?.totalEntries === 'number') total = pagination.totalEntries;
      const next = pagination?.next;
      if (typeof next !== 'string' || next === '') return { items, total: total ?? items.length };
      // A server that hands out the same cursor twice would keep us here forever.
      if (seen.has(next)) throw this.badResponse(operation, `pagination.next repeats cursor "${next}"`);
      seen.add(next);
      cursor = next;
    }
    throw this.badResponse(operation, `more than ${MAX_PAGES} pages`);
  }

  private pageQuery(count: number, cursor: string | null): Array<[string, string]> {
    const key = (name: string): string => (this.options.paginationStyle === 'dot' ? `pagination.${name}` : `pagination[${name}]`);
    return [[key('count'), String(count)], ...(cursor === null ? [] : [[key('cursor'), cursor] as [string, string]])];
  }

  private fn(operation: RemoteOperation, data: unknown): WireFunction {
    const fn = (data as { function?: unknown }).function;
    if (typeof fn !== 'object' || fn === null || typeof (fn as WireFunction).id !== 'string') throw this.badResponse(operation, 'data.function is missing');
    return fn;
  }

  private version(operation: RemoteOperation, data: unknown): WireVersion {
    const version = (data as { version?: unknown }).version;
    if (typeof version !== 'object' || version === null || typeof (version as WireVersion).id !== 'string') throw this.badResponse(operation, 'data.version is missing');
    return version as WireVersion;
  }

  private badResponse(operation: RemoteOperation, problem: string): RemoteError {
    return new RemoteError('bad-response', operation, `The Segment workspace at ${this.apiUrl} answered "${operation}" with an unexpected shape (${problem}); nothing was changed here`);
  }

  /** One call with its retries; resolves with the envelope's `data`. */
  private async call(operation: RemoteOperation, attempt: Attempt): Promise<unknown> {
    // Only calls that may safely happen twice are retried after a failure that may have reached the server.
    const idempotent = attempt.method !== 'POST';
    let failures = 0;
    let rateWaits = 0;
    for (;;) {
      let response: Response;
      try {
        response = await this.send(attempt);
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
        failures++;
        const refused = connectionRefused(err);
        if ((idempotent || refused) && failures < this.options.maxAttempts) {
          await this.wait({ operation, reason: 'retry', waitMs: this.backoff(failures), attempt: failures, status: null });
          continue;
        }
        throw timedOut
          ? new RemoteError('timeout', operation, `"${operation}" got no answer from the Segment workspace at ${this.apiUrl} within ${Math.round(this.options.timeoutMs / 1000)} s (${failures} attempt${failures === 1 ? '' : 's'}); nothing was changed here`)
          : new RemoteError('network', operation, `Could not reach the Segment workspace at ${this.apiUrl} for "${operation}": ${networkCause(err)} (${failures} attempt${failures === 1 ? '' : 's'}); nothing was changed here`);
      }
      const text = await response.text().catch(() => '');
      const body = parseJson(text);
      if (response.ok) {
        const data = (body as { data?: unknown } | null)?.data;
        if (typeof data !== 'object' || data === null) throw this.badResponse(operation, 'no "data" object');
        return data;
      }
      const error = firstError(body);
      if (response.status === 429) {
        const wait = rateLimitWait(response.headers, error, Date.now());
        rateWaits++;
        const waitMs = wait?.ms ?? this.backoff(rateWaits);
        if (rateWaits <= this.options.maxRateLimitWaits && waitMs <= this.options.maxWaitMs) {
          await this.wait({ operation, reason: 'rate-limited', waitMs, attempt: rateWaits, status: 429, source: wait?.source ?? 'backoff' });
          continue;
        }
        throw new RemoteError(
          'rate-limited',
          operation,
          `The Segment workspace is rate-limiting this token ("${operation}"): it asks to wait ${formatMs(waitMs)}${rateWaits > 1 ? ` after ${rateWaits - 1} wait${rateWaits === 2 ? '' : 's'} already` : ''}; try again later`,
          429,
          null,
          error?.message ?? null,
        );
      }
      const compileFailure = response.status === 500 && /^function invocation failed/i.test(error?.message ?? '');
      if (response.status >= 500 && !compileFailure) {
        failures++;
        if (idempotent && failures < this.options.maxAttempts) {
          await this.wait({ operation, reason: 'retry', waitMs: this.backoff(failures), attempt: failures, status: response.status });
          continue;
        }
      }
      throw this.httpError(operation, response.status, error, compileFailure, failures);
    }
  }

  private async send(attempt: Attempt): Promise<Response> {
    const url = new URL(this.apiUrl + attempt.path);
    for (const [k, v] of attempt.query ?? []) url.searchParams.append(k, v);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: attempt.alpha ? 'application/vnd.segment.v1alpha+json, application/json' : 'application/json',
      'user-agent': USER_AGENT,
    };
    let body: string | undefined;
    if (attempt.body !== undefined) {
      body = JSON.stringify(attempt.body);
      headers['content-type'] = attempt.alpha ? 'application/vnd.segment.v1alpha+json' : 'application/json';
    }
    return this.options.fetch(url, { method: attempt.method, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'error' });
  }

  private httpError(operation: RemoteOperation, status: number, error: WireError | null, compileFailure: boolean, failures: number): RemoteError {
    const said = error?.message ? `: ${error.message}` : '';
    const where = `the Segment workspace at ${this.apiUrl}`;
    let kind: RemoteErrorKind;
    let message: string;
    if (status === 401 || status === 403) {
      kind = 'unauthorized';
      message = `${capital(where)} refused the token for "${operation}" (${status}${said}). The token is invalid or expired, or its role lacks the permission: this needs ${ROLE_NEEDED[operation]}`;
    } else if (status === 404) {
      kind = 'not-found';
      message = `${capital(where)} has no such ${operation.includes('version') ? 'function or version' : 'function'} ("${operation}", 404${said})`;
    } else if (compileFailure) {
      kind = 'invalid';
      message = `${capital(where)} would not accept the code ("${operation}", ${status}${said}); fix the code and try again`;
    } else if (status === 400 || status === 422 || status === 413) {
      kind = 'invalid';
      const field = error?.field ? ` field "${error.field}"` : '';
      message = `${capital(where)} rejected${field || ' the request'} ("${operation}", ${status}${said})`;
    } else if (status === 409) {
      kind = 'conflict';
      message = `${capital(where)} reported a conflict ("${operation}", 409${said}); read the function again and retry`;
    } else if (status >= 500) {
      kind = 'server';
      message = `${capital(where)} failed with ${status} for "${operation}"${said}${failures > 1 ? ` (${failures} attempts)` : ''}; try again later`;
    } else {
      kind = 'server';
      message = `${capital(where)} answered ${status} for "${operation}"${said}`;
    }
    return new RemoteError(kind, operation, `${message}; nothing was changed here`, status, error?.field ?? null, error?.message ?? null);
  }

  private backoff(attempt: number): number {
    const cap = Math.min(8_000, this.options.backoffBaseMs * 2 ** (attempt - 1));
    // Full jitter, never zero: clients that failed together should not retry together.
    return Math.max(1, Math.round(cap / 2 + (this.options.random() * cap) / 2));
  }

  private async wait(notice: WaitNotice): Promise<void> {
    try {
      this.options.onWait?.(notice);
    } catch {
      // A UI callback that throws must not turn a wait into a failure.
    }
    await this.options.sleep(notice.waitMs);
  }
}

/** The wait a 429 asks for: the longest of Retry-After, X-RateLimit-Reset and data.msBeforeNext that are present. */
export function rateLimitWait(headers: Headers, error: WireError | null, nowMs: number): { ms: number; source: string } | null {
  const candidates: Array<{ ms: number; source: string }> = [];
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) candidates.push({ ms: seconds * 1000, source: 'Retry-After' });
    else if (!Number.isNaN(Date.parse(retryAfter))) candidates.push({ ms: Math.max(0, Date.parse(retryAfter) - nowMs), source: 'Retry-After' });
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset !== null) {
    const at = /^\d+$/.test(reset) ? Number(reset) * (Number(reset) < 1e11 ? 1000 : 1) : Date.parse(reset);
    if (Number.isFinite(at)) candidates.push({ ms: Math.max(0, at - nowMs), source: 'X-RateLimit-Reset' });
  }
  const ms = (error?.data as { msBeforeNext?: unknown } | undefined)?.msBeforeNext;
  if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) candidates.push({ ms, source: 'msBeforeNext' });
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (b.ms > a.ms ? b : a));
}

function firstError(body: unknown): WireError | null {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return null;
  const first = errors[0] as WireError;
  return typeof first === 'object' && first !== null ? first : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function connectionRefused(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNREFUSED';
}

function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET') return 'the connection was closed before an answer';
  return cause?.message ?? (err as Error).message ?? String(err);
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.ceil(ms / 1000)} s`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
