/**
 * fetch, Headers, Request and Response as guest code sees them: node-fetch v2 semantics
 * (resolves on any HTTP status, rejects only on network failure, its default headers)
 * implemented over `sendRequest`. Guests only ever receive these hardened classes,
 * strings, plain objects and Buffers: never node-fetch objects or Node streams.
 */
import { URL, URLSearchParams } from 'node:url';
import { currentInvocation, isLive } from './invocation';
import { NetworkFailure, sendRequest, type IncomingResponse, type OutgoingRequest } from './network';
import { copyBytes } from './bytes';
import { formDataPayload, isFormDataFacade } from './form-data-facade';

// Header checks run for every header of every request: plain loops, since regular
// expressions lose V8's fast paths once lockdown freezes RegExp.prototype.
function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // RFC 7230 tchar: ALPHA DIGIT ! # $ % & ' * + - . ^ _ ` | ~
    const ok =
      (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
      c === 0x21 || (c >= 0x23 && c <= 0x27) || c === 0x2a || c === 0x2b || c === 0x2d || c === 0x2e ||
      c === 0x5e || c === 0x5f || c === 0x60 || c === 0x7c || c === 0x7e;
    if (!ok) return false;
  }
  return true;
}

/** Tab, printable ASCII and Latin-1 (0x80-0xff) are allowed; anything else is not. */
function hasInvalidValueChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 0x09 || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff))) return true;
  }
  return false;
}

function headerName(name: unknown): string {
  const text = `${name}`;
  if (!isToken(text)) throw new TypeError(`${text} is not a legal HTTP header name`);
  return text.toLowerCase();
}

function headerValue(value: unknown): string {
  const text = `${value}`.trim();
  if (hasInvalidValueChar(text)) throw new TypeError(`${text} is not a legal HTTP header value`);
  return text;
}

/** Host-side snapshot of headers (lower-case names, joined values). */
let headersToRecord: (headers: Headers) => Record<string, string>;
let headersFromPairs: (pairs: Array<[string, string]>) => Headers;
/** The request as it goes on the wire, with node-fetch's default headers. */
let requestToOutgoing: (request: Request) => OutgoingRequest;

export class Headers {
  readonly #map = new Map<string, string[]>();

  constructor(init?: unknown) {
    if (init === undefined || init === null) return;
    if (init instanceof Headers) {
      for (const [name, values] of init.#map) this.#map.set(name, [...values]);
      return;
    }
    if (typeof init !== 'object') throw new TypeError('Provided initializer must be an object');
    const iterator = (init as { [Symbol.iterator]?: unknown })[Symbol.iterator];
    if (typeof iterator === 'function') {
      for (const pair of init as Iterable<unknown>) {
        if (typeof pair !== 'object' || pair === null || typeof (pair as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
          throw new TypeError('Each header pair must be iterable');
        }
        const items = Array.from(pair as Iterable<unknown>);
        if (items.length !== 2) throw new TypeError('Each header pair must be a name/value tuple');
        this.append(items[0], items[1]);
      }
      return;
    }
    for (const key of Object.keys(init)) this.append(key, (init as Record<string, unknown>)[key]);
  }

  append(name: unknown, value: unknown): void {
    const key = headerName(name);
    const text = headerValue(value);
    const values = this.#map.get(key);
    if (values) values.push(text);
    else this.#map.set(key, [text]);
  }

  set(name: unknown, value: unknown): void {
    this.#map.set(headerName(name), [headerValue(value)]);
  }

  get(name: unknown): string | null {
    const values = this.#map.get(headerName(name));
    return values ? values.join(', ') : null;
  }

  has(name: unknown): boolean {
    return this.#map.has(headerName(name));
  }

  delete(name: unknown): void {
    this.#map.delete(headerName(name));
  }

  forEach(callback: unknown, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeError('Headers.forEach: callback must be a function');
    for (const [name, value] of this.entries()) (callback as (...a: unknown[]) => void).call(thisArg, value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#map.keys()].sort()) yield [name, this.#map.get(name)!.join(', ')];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** node-fetch v2's `raw()`: every value per name. */
  raw(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [name, values] of this.#map) out[name] = [...values];
    return out;
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }

  // Host-only helpers reach the private state through module variables, so guests
  // see exactly node-fetch's API on the class.
  static {
    headersToRecord = (headers) => {
      const out: Record<string, string> = {};
      for (const [name, values] of headers.#map) out[name] = values.join(', ');
      return out;
    };
    headersFromPairs = (pairs) => {
      const headers = new Headers();
      for (const [name, value] of pairs) {
        const values = headers.#map.get(name);
        if (values) values.push(value);
        else headers.#map.set(name, [value]);
      }
      return headers;
    };
  }
}


interface ExtractedBody {
  /** Bytes, or text to send as UTF-8 (encoded only when it goes out for real). */
  bytes: Buffer | string | null;
  contentType: string | null;
}

function extractBody(body: unknown): ExtractedBody {
  if (body === undefined || body === null) return { bytes: null, contentType: null };
  if (typeof body === 'string') return { bytes: body, contentType: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) {
    return { bytes: body.toString(), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
  }
  const bytes = copyBytes(body);
  if (bytes) return { bytes, contentType: null };
  if (isFormDataFacade(body)) {
    const payload = formDataPayload(body);
    return { bytes: payload.bytes, contentType: payload.contentType };
  }
  // node-fetch v2 sends any other value as its string form.
  return { bytes: String(body), contentType: 'text/plain;charset=UTF-8' };
}

// Parsing is a pure function of the text; handlers call the same few URLs over and over.
const hrefs = new Map<string, string>();

function absoluteUrl(input: string): string {
  const known = hrefs.get(input);
  if (known !== undefined) return known;
  const href = parseAbsoluteUrl(input);
  if (hrefs.size >= 256) hrefs.clear();
  hrefs.set(input, href);
  return href;
}

function parseAbsoluteUrl(input: string): string {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new TypeError('Only absolute URLs are supported');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('Only HTTP(S) protocols are supported');
  return parsed.href;
}

/** As `/^(POST|PUT)$/i` (no non-ASCII character lower-cases to these letters). */
function isPostOrPut(method: string): boolean {
  const lower = method.toLowerCase();
  return lower === 'post' || lower === 'put';
}

const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function normaliseMethod(method: unknown): string {
  const text = `${method}`;
  const upper = text.toUpperCase();
  return STANDARD_METHODS.has(upper) ? upper : text;
}

function readInit(init: unknown): Record<string, unknown> {
  if (init === undefined || init === null) return {};
  if (typeof init !== 'object') throw new TypeError('fetch: the options argument must be an object');
  const source = init as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ['method', 'headers', 'body', 'redirect', 'follow', 'timeout', 'compress', 'size']) out[key] = source[key];
  return out;
}

export class Request {
  readonly #method: string;
  readonly #url: string;
  readonly #headers: Headers;
  readonly #body: Buffer | string | null;
  readonly #redirect: 'follow' | 'manual' | 'error';
  readonly #follow: number;
  readonly #timeout: number;
  readonly #compress: boolean;
  readonly #size: number;

  constructor(input: unknown, init?: unknown) {
    const options = readInit(init);
    const base = input instanceof Request ? input : null;
    this.#url = base ? base.#url : absoluteUrl(String(input));
    this.#method = normaliseMethod(options.method ?? (base ? base.#method : 'GET'));
    if (options.body !== undefined && options.body !== null && (this.#method === 'GET' || this.#method === 'HEAD')) {
      throw new TypeError('Request with GET/HEAD method cannot have body');
    }
    this.#headers = new Headers(options.headers !== undefined ? options.headers : base ? base.#headers : undefined);
    if (options.body !== undefined) {
      const extracted = extractBody(options.body);
      this.#body = extracted.bytes;
      if (extracted.contentType && !this.#headers.has('content-type')) this.#headers.set('content-type', extracted.contentType);
    } else {
      this.#body = base ? base.#body : null;
    }
    const redirect = options.redirect ?? (base ? base.#redirect : 'follow');
    if (redirect !== 'follow' && redirect !== 'manual' && redirect !== 'error') {
      throw new TypeError(`fetch: redirect must be "follow", "manual" or "error", got ${String(redirect)}`);
    }
    this.#redirect = redirect;
    this.#follow = options.follow !== undefined ? Number(options.follow) : base ? base.#follow : 20;
    this.#timeout = options.timeout !== undefined ? Number(options.timeout) : base ? base.#timeout : 0;
    this.#compress = options.compress !== undefined ? Boolean(options.compress) : base ? base.#compress : true;
    this.#size = options.size !== undefined ? Number(options.size) : base ? base.#size : 0;
  }

  get method(): string { return this.#method; }
  get url(): string { return this.#url; }
  get headers(): Headers { return this.#headers; }
  get redirect(): string { return this.#redirect; }
  get follow(): number { return this.#follow; }
  get timeout(): number { return this.#timeout; }
  get compress(): boolean { return this.#compress; }
  get size(): number { return this.#size; }
  get signal(): null { return null; }
  get [Symbol.toStringTag](): string { return 'Request'; }

  clone(): Request {
    return new Request(this);
  }

  async text(): Promise<string> {
    // A text body reads back as its UTF-8 bytes would (a lone surrogate as U+FFFD).
    const body = this.#body;
    return body === null ? '' : typeof body === 'string' ? Buffer.from(body, 'utf8').toString('utf8') : body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async buffer(): Promise<Buffer> {
    return this.#body ? Buffer.from(this.#body) : Buffer.alloc(0);
  }

  static {
    requestToOutgoing = (request) => {
      const headers = headersToRecord(request.#headers);
      if (!('accept' in headers)) headers['accept'] = '*/*';
      if (request.#body !== null) headers['content-length'] = String(typeof request.#body === 'string' ? Buffer.byteLength(request.#body, 'utf8') : request.#body.length);
      else if (isPostOrPut(request.#method)) headers['content-length'] = '0';
      if (!('user-agent' in headers)) headers['user-agent'] = 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)';
      if (request.#compress && !('accept-encoding' in headers)) headers['accept-encoding'] = 'gzip,deflate';
      if (!('connection' in headers)) headers['connection'] = 'close';
      return {
        method: request.#method,
        url: request.#url,
        headers,
        body: request.#body,
        redirect: request.#redirect,
        follow: Number.isFinite(request.#follow) ? request.#follow : 20,
        timeoutMs: Number.isFinite(request.#timeout) ? request.#timeout : 0,
        compress: request.#compress,
        maxBodyBytes: responseBodyCap(request.#size),
      };
    };
  }
}

/**
 * Response bodies fetch reads are capped by default (a body is held in memory whole); a
 * request's own `size` option can only lower the cap. Over it, fetch fails like
 * node-fetch's `size` limit ("content size at … over limit").
 */
const MAX_RESPONSE_BODY_BYTES = 32 * 1024 * 1024;

function responseBodyCap(size: number): number {
  return Number.isFinite(size) && size > 0 ? Math.min(size, MAX_RESPONSE_BODY_BYTES) : MAX_RESPONSE_BODY_BYTES;
}

export interface ResponseFactories {
  fetchError(message: string, type: string, code?: string): Error;
}

let factories: ResponseFactories | null = null;

// Host-only constructor path: guests cannot name this symbol.
const FROM_INCOMING = Symbol('fromIncoming');

export class Response {
  readonly #body: Buffer;
  readonly #status: number;
  readonly #statusText: string;
  readonly #headers: Headers;
  readonly #url: string;
  readonly #redirected: boolean;
  #used = false;

  constructor(body?: unknown, init?: unknown) {
    if (body === FROM_INCOMING) {
      const incoming = init as IncomingResponse;
      this.#body = incoming.body;
      this.#status = incoming.status;
      this.#statusText = incoming.statusText;
      this.#headers = headersFromPairs(incoming.headers);
      this.#url = incoming.url;
      this.#redirected = incoming.redirected;
      return;
    }
    const options = init && typeof init === 'object' ? (init as Record<string, unknown>) : {};
    const extracted = extractBody(body);
    this.#body = typeof extracted.bytes === 'string' ? Buffer.from(extracted.bytes, 'utf8') : extracted.bytes ?? Buffer.alloc(0);
    this.#status = options.status !== undefined ? Number(options.status) : 200;
    this.#statusText = options.statusText !== undefined ? String(options.statusText) : '';
    this.#headers = new Headers(options.headers);
    if (extracted.contentType && !this.#headers.has('content-type')) this.#headers.set('content-type', extracted.contentType);
    this.#url = options.url !== undefined ? String(options.url) : '';
    this.#redirected = false;
  }

  get status(): number { return this.#status; }
  get statusText(): string { return this.#statusText; }
  get ok(): boolean { return this.#status >= 200 && this.#status < 300; }
  get headers(): Headers { return this.#headers; }
  get url(): string { return this.#url; }
  get redirected(): boolean { return this.#redirected; }
  get bodyUsed(): boolean { return this.#used; }
  get type(): string { return 'default'; }
  get [Symbol.toStringTag](): string { return 'Response'; }

  #consume(): Buffer {
    if (this.#used) throw new TypeError(`body used already for: ${this.#url}`);
    this.#used = true;
    return this.#body;
  }

  async text(): Promise<string> {
    return this.#consume().toString('utf8');
  }

  async json(): Promise<unknown> {
    const text = this.#consume().toString('utf8');
    try {
      return JSON.parse(text);
    } catch (err) {
      const message = `invalid json response body at ${this.#url} reason: ${(err as Error).message}`;
      throw factories ? factories.fetchError(message, 'invalid-json') : new SyntaxError(message);
    }
  }

  async buffer(): Promise<Buffer> {
    return Buffer.from(this.#consume());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#consume();
    return new Uint8Array(bytes).buffer;
  }

  clone(): Response {
    if (this.#used) throw new Error('cannot clone body after it is used');
    return responseFromIncoming({
      status: this.#status,
      statusText: this.#statusText,
      headers: Object.entries(this.#headers.raw()).flatMap(([name, values]) => values.map((v): [string, string] => [name, v])),
      body: this.#body,
      url: this.#url,
      redirected: this.#redirected,
    });
  }
}

function responseFromIncoming(incoming: IncomingResponse): Response {
  return new Response(FROM_INCOMING, incoming);
}

export function installResponseFactories(value: ResponseFactories): void {
  factories = value;
}

/** node-fetch v2's fetch over the sandbox network. */
export async function fetch(input: unknown, init?: unknown): Promise<Response> {
  const request = new Request(input, init);
  const invocation = currentInvocation();
  if (!isLive(invocation)) return new Promise<never>(() => {});
  const outgoing = requestToOutgoing(request);
  try {
    const incoming = await sendRequest(invocation, outgoing);
    return responseFromIncoming(incoming);
  } catch (err) {
    if (err instanceof NetworkFailure) {
      const message = err.message.startsWith('request to ') || err.type !== 'system' ? err.message : `request to ${outgoing.url} failed, reason: ${err.message}`;
      throw factories ? factories.fetchError(message, err.type, err.code) : new TypeError(message);
    }
    throw err;
  }
}
