/*
 * Typings for Segment destination functions, as fnstudio's runtime provides them.
 *
 * This is a *script* declaration file (no top-level import/export) so that everything
 * here is global, exactly like the runtime's globals. Monaco loads it for IntelliSense and
 * tests type-check sample functions against it. The set of global *values* declared here
 * must equal runtime/globals-list.ts's SEGMENT_GLOBALS (a test enforces it): types may be
 * added freely, values only together with the runtime.
 *
 * Handler signatures: Segment calls top-level functions by name. Type them with JSDoc:
 *
 *   /** @param {SegmentTrackEvent} event @param {FunctionSettings} settings *\/
 *   async function onTrack(event, settings) { … }
 */

// ───────────────────────────── Segment events ─────────────────────────────

type SegmentEventType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias' | 'delete';

interface SegmentLibrary {
  name: string;
  version: string;
}

interface SegmentContext {
  active?: boolean;
  app?: { name?: string; version?: string; build?: string; namespace?: string };
  campaign?: { name?: string; source?: string; medium?: string; term?: string; content?: string };
  device?: { id?: string; advertisingId?: string; manufacturer?: string; model?: string; name?: string; type?: string };
  ip?: string;
  library?: SegmentLibrary;
  locale?: string;
  location?: { city?: string; country?: string; latitude?: number; longitude?: number; region?: string; speed?: number };
  network?: { bluetooth?: boolean; carrier?: string; cellular?: boolean; wifi?: boolean };
  os?: { name?: string; version?: string };
  page?: { path?: string; referrer?: string; search?: string; title?: string; url?: string };
  referrer?: { id?: string; type?: string };
  screen?: { width?: number; height?: number; density?: number };
  groupId?: string;
  timezone?: string;
  userAgent?: string;
  traits?: SegmentTraits;
  [key: string]: any;
}

/** Reserved identify traits; any other key is allowed. */
interface SegmentTraits {
  address?: { city?: string; country?: string; postalCode?: string; state?: string; street?: string };
  age?: number;
  avatar?: string;
  birthday?: string;
  createdAt?: string;
  description?: string;
  email?: string;
  firstName?: string;
  gender?: string;
  id?: string;
  lastName?: string;
  name?: string;
  phone?: string;
  title?: string;
  username?: string;
  website?: string;
  [key: string]: any;
}

/** Fields every Segment event may carry. One of userId / anonymousId is present. */
interface SegmentEventBase {
  type: SegmentEventType;
  messageId: string;
  userId?: string | null;
  anonymousId?: string | null;
  context?: SegmentContext;
  integrations?: { All?: boolean; [destination: string]: any };
  timestamp?: string;
  sentAt?: string;
  receivedAt?: string;
  originalTimestamp?: string;
  channel?: string;
  version?: string | number;
  [key: string]: any;
}

interface SegmentTrackEvent extends SegmentEventBase {
  type: 'track';
  /** The action, e.g. "Course Clicked". */
  event: string;
  properties: { [key: string]: any };
}

interface SegmentIdentifyEvent extends SegmentEventBase {
  type: 'identify';
  traits: SegmentTraits;
}

interface SegmentPageEvent extends SegmentEventBase {
  type: 'page';
  name?: string;
  category?: string;
  properties: { path?: string; referrer?: string; search?: string; title?: string; url?: string; [key: string]: any };
}

interface SegmentScreenEvent extends SegmentEventBase {
  type: 'screen';
  name?: string;
  category?: string;
  properties: { [key: string]: any };
}

interface SegmentGroupEvent extends SegmentEventBase {
  type: 'group';
  groupId: string;
  traits: { name?: string; industry?: string; employees?: number; [key: string]: any };
}

interface SegmentAliasEvent extends SegmentEventBase {
  type: 'alias';
  previousId: string;
  userId: string;
}

interface SegmentDeleteEvent extends SegmentEventBase {
  type: 'delete';
  userId: string;
}

type SegmentEvent =
  | SegmentTrackEvent
  | SegmentIdentifyEvent
  | SegmentPageEvent
  | SegmentScreenEvent
  | SegmentGroupEvent
  | SegmentAliasEvent
  | SegmentDeleteEvent;

/** The function's settings as entered on the destination's settings page (by setting name). */
interface FunctionSettings {
  [name: string]: any;
}

/** What onBatch may return, one entry per input event by position. */
interface SegmentBatchItemResult {
  status: number;
  /** Lower-case, as Segment spells it. */
  errormessage?: string;
}

type OnTrackHandler = (event: SegmentTrackEvent, settings: FunctionSettings) => Promise<unknown>;
type OnIdentifyHandler = (event: SegmentIdentifyEvent, settings: FunctionSettings) => Promise<unknown>;
type OnPageHandler = (event: SegmentPageEvent, settings: FunctionSettings) => Promise<unknown>;
type OnScreenHandler = (event: SegmentScreenEvent, settings: FunctionSettings) => Promise<unknown>;
type OnGroupHandler = (event: SegmentGroupEvent, settings: FunctionSettings) => Promise<unknown>;
type OnAliasHandler = (event: SegmentAliasEvent, settings: FunctionSettings) => Promise<unknown>;
type OnDeleteHandler = (event: SegmentDeleteEvent, settings: FunctionSettings) => Promise<unknown>;
type OnBatchHandler = (
  events: SegmentEvent[],
  settings: FunctionSettings,
) => Promise<SegmentBatchItemResult[] | void>;

// ───────────────────────────── Segment error classes ─────────────────────────────

/** Thrown (or implied by a missing handler) for event types the function does not handle → "Unsupported Event Type". */
declare class EventNotSupported extends Error {
  constructor(message?: string);
  readonly name: 'EventNotSupported';
}
/** The event is missing something the function needs → "Message Rejected", not retried. */
declare class InvalidEventPayload extends Error {
  constructor(message?: string);
  readonly name: 'InvalidEventPayload';
}
/** The event fails a check of the function → "Message Rejected", not retried. */
declare class ValidationError extends Error {
  constructor(message?: string);
  readonly name: 'ValidationError';
}
/** A temporary problem (e.g. the API answered 5xx/429) → "Retry": Segment retries the event. */
declare class RetryError extends Error {
  constructor(message?: string);
  readonly name: 'RetryError';
}
/** Insert functions only: drop the event → "Dropped". */
declare class DropEvent extends Error {
  constructor(message?: string);
  readonly name: 'DropEvent';
}

// ───────────────────────────── cache ─────────────────────────────

interface SegmentCache {
  /**
   * Returns the cached value for `key`, or calls `loader`, caches its result for `ttlMs`
   * milliseconds and returns it. The cache lives per warm instance and may be emptied at any time.
   */
  load<T>(key: string, ttlMs: number, loader: () => Promise<T> | T): Promise<T>;
  delete(key: string): void;
}
declare const cache: SegmentCache;

// ───────────────────────────── console & timers ─────────────────────────────

interface Console {
  log(...data: any[]): void;
  info(...data: any[]): void;
  warn(...data: any[]): void;
  error(...data: any[]): void;
  debug(...data: any[]): void;
  trace(...data: any[]): void;
}
declare let console: Console;

interface TimerHandle {
  ref(): TimerHandle;
  unref(): TimerHandle;
  hasRef(): boolean;
}
declare function setTimeout<A extends any[]>(callback: (...args: A) => void, ms?: number, ...args: A): TimerHandle;
declare function clearTimeout(handle: TimerHandle | undefined | null): void;
declare function setInterval<A extends any[]>(callback: (...args: A) => void, ms?: number, ...args: A): TimerHandle;
declare function clearInterval(handle: TimerHandle | undefined | null): void;

// ───────────────────────────── base64 ─────────────────────────────

/** Decodes base64 to a binary string. */
declare function atob(data: string): string;
/** Encodes a binary string as base64. */
declare function btoa(data: string): string;

// ───────────────────────────── URL ─────────────────────────────

declare class URLSearchParams implements Iterable<[string, string]> {
  constructor(init?: string | URLSearchParams | Record<string, string> | Iterable<[string, string]>);
  readonly size: number;
  append(name: string, value: string): void;
  delete(name: string, value?: string): void;
  entries(): IterableIterator<[string, string]>;
  forEach(callback: (value: string, name: string, params: URLSearchParams) => void): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  keys(): IterableIterator<string>;
  set(name: string, value: string): void;
  sort(): void;
  toString(): string;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

declare class URL {
  constructor(input: string, base?: string | URL);
  static canParse(input: string, base?: string): boolean;
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  readonly searchParams: URLSearchParams;
  username: string;
  toString(): string;
  toJSON(): string;
}

// ───────────────────────────── Buffer ─────────────────────────────

type BufferEncoding = 'ascii' | 'utf8' | 'utf-8' | 'utf16le' | 'ucs2' | 'ucs-2' | 'base64' | 'base64url' | 'latin1' | 'binary' | 'hex';

interface Buffer extends Uint8Array<ArrayBuffer> {
  toString(encoding?: BufferEncoding, start?: number, end?: number): string;
  toJSON(): { type: 'Buffer'; data: number[] };
  equals(other: Uint8Array): boolean;
  compare(target: Uint8Array): -1 | 0 | 1;
  write(text: string, offset?: number, encoding?: BufferEncoding): number;
  slice(start?: number, end?: number): Buffer;
  subarray(start?: number, end?: number): Buffer;
  readUInt8(offset?: number): number;
  readUInt16BE(offset?: number): number;
  readUInt32BE(offset?: number): number;
  readInt32BE(offset?: number): number;
  writeUInt8(value: number, offset?: number): number;
  writeUInt32BE(value: number, offset?: number): number;
  includes(value: string | number | Uint8Array, byteOffset?: number, encoding?: BufferEncoding): boolean;
  indexOf(value: string | number | Uint8Array, byteOffset?: number, encoding?: BufferEncoding): number;
}

interface BufferConstructor {
  from(data: string, encoding?: BufferEncoding): Buffer;
  from(data: ArrayBuffer | SharedArrayBuffer, byteOffset?: number, length?: number): Buffer;
  from(data: Uint8Array | ReadonlyArray<number>): Buffer;
  alloc(size: number, fill?: string | number | Uint8Array, encoding?: BufferEncoding): Buffer;
  allocUnsafe(size: number): Buffer;
  byteLength(value: string | ArrayBuffer | Uint8Array, encoding?: BufferEncoding): number;
  concat(list: ReadonlyArray<Uint8Array>, totalLength?: number): Buffer;
  compare(a: Uint8Array, b: Uint8Array): -1 | 0 | 1;
  isBuffer(value: any): value is Buffer;
  isEncoding(encoding: string): encoding is BufferEncoding;
  readonly prototype: Buffer;
}
declare const Buffer: BufferConstructor;

// ───────────────────────────── fetch (node-fetch v2 semantics) ─────────────────────────────

type HeadersInit = Headers | Record<string, string> | Array<[string, string]>;
type BodyInit = string | Buffer | ArrayBuffer | URLSearchParams | FormData;

declare class Headers implements Iterable<[string, string]> {
  constructor(init?: HeadersInit);
  append(name: string, value: string): void;
  delete(name: string): void;
  entries(): IterableIterator<[string, string]>;
  forEach(callback: (value: string, name: string, headers: Headers) => void): void;
  get(name: string): string | null;
  has(name: string): boolean;
  keys(): IterableIterator<string>;
  /** node-fetch extension: all values of every header, by lower-case name. */
  raw(): Record<string, string[]>;
  set(name: string, value: string): void;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

interface Body {
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** node-fetch extension. */
  buffer(): Promise<Buffer>;
  json(): Promise<any>;
  text(): Promise<string>;
}

interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
  redirect?: 'follow' | 'manual' | 'error';
  /** node-fetch: maximum redirects to follow (default 20). */
  follow?: number;
  /** node-fetch: request timeout in ms (0 = none). */
  timeout?: number;
  /** node-fetch: support gzip/deflate (default true). */
  compress?: boolean;
  /** node-fetch: maximum response body size in bytes (0 = none). */
  size?: number;
  signal?: unknown;
}

declare class Request implements Body {
  constructor(input: string | URL | Request, init?: RequestInit);
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly redirect: 'follow' | 'manual' | 'error';
  readonly bodyUsed: boolean;
  clone(): Request;
  arrayBuffer(): Promise<ArrayBuffer>;
  buffer(): Promise<Buffer>;
  json(): Promise<any>;
  text(): Promise<string>;
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

declare class Response implements Body {
  constructor(body?: BodyInit | null, init?: ResponseInit);
  /** True for status 200–299. Note: fetch resolves for every status; check `ok` yourself. */
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
  readonly redirected: boolean;
  readonly bodyUsed: boolean;
  clone(): Response;
  arrayBuffer(): Promise<ArrayBuffer>;
  buffer(): Promise<Buffer>;
  json(): Promise<any>;
  text(): Promise<string>;
}

/**
 * node-fetch v2: resolves for every HTTP status (check `response.ok`), rejects only when the
 * request fails at the network level.
 */
declare function fetch(url: string | URL | Request, init?: RequestInit): Promise<Response>;

// ───────────────────────────── FormData (form-data) ─────────────────────────────

interface FormDataAppendOptions {
  filename?: string;
  contentType?: string;
  knownLength?: number;
  header?: string | Record<string, string | string[]>;
}

declare class FormData {
  constructor();
  append(key: string, value: string | number | boolean | Buffer, options?: FormDataAppendOptions | string): void;
  getHeaders(userHeaders?: Record<string, string>): Record<string, string>;
  getBoundary(): string;
  setBoundary(boundary: string): void;
  getBuffer(): Buffer;
  getLengthSync(): number;
  hasKnownLength(): boolean;
  toString(): string;
}

// ───────────────────────────── xml ─────────────────────────────

interface XmlOptions {
  /** Indentation string, or true for four spaces. */
  indent?: string | boolean;
  /** Add an XML declaration; true or `{ standalone, encoding }`. */
  declaration?: boolean | { standalone?: string; encoding?: string };
  stream?: false;
}
type XmlObject = { [tag: string]: XmlObject | XmlObject[] | string | number | boolean } | XmlObject[] | string;

/** The `xml` package (1.0.1): turns objects into XML text. */
declare function xml(value?: XmlObject | XmlObject[], options?: XmlOptions | string | boolean): string;

// ───────────────────────────── OAuth (oauth) ─────────────────────────────

type OAuthCallback = (err: { statusCode: number; data?: any } | null, result?: string | Buffer, response?: any) => void;

interface OAuthNamespace {
  /** OAuth 1.0a client. */
  OAuth: new (
    requestUrl: string,
    accessUrl: string,
    consumerKey: string,
    consumerSecret: string,
    version: string,
    authorizeCallback: string | null,
    signatureMethod: string,
    nonceSize?: number,
    customHeaders?: Record<string, string>,
  ) => OAuth1Client;
  /** OAuth 2 client. */
  OAuth2: new (
    clientId: string,
    clientSecret: string,
    baseSite: string,
    authorizePath?: string,
    accessTokenPath?: string,
    customHeaders?: Record<string, string>,
  ) => OAuth2Client;
}

interface OAuth1Client {
  get(url: string, token: string, tokenSecret: string, callback: OAuthCallback): void;
  post(url: string, token: string, tokenSecret: string, body: any, contentType: string, callback: OAuthCallback): void;
  put(url: string, token: string, tokenSecret: string, body: any, contentType: string, callback: OAuthCallback): void;
  delete(url: string, token: string, tokenSecret: string, callback: OAuthCallback): void;
  getOAuthRequestToken(callback: (err: any, token: string, tokenSecret: string, results: any) => void): void;
  getOAuthAccessToken(token: string, tokenSecret: string, verifier: string, callback: (err: any, token: string, tokenSecret: string, results: any) => void): void;
  authHeader(url: string, token: string, tokenSecret: string, method?: string): string;
}

interface OAuth2Client {
  getOAuthAccessToken(code: string, params: Record<string, any>, callback: (err: any, accessToken: string, refreshToken: string, results: any) => void): void;
  getAuthorizeUrl(params?: Record<string, any>): string;
  get(url: string, accessToken: string, callback: OAuthCallback): void;
  useAuthorizationHeaderforGET(use: boolean): void;
  setAuthMethod(method: string): void;
  setAccessTokenName(name: string): void;
}

declare const OAuth: OAuthNamespace;

// ───────────────────────────── crypto (Node's module, the parts functions use) ─────────────────────────────

type BinaryToTextEncoding = 'base64' | 'base64url' | 'hex' | 'binary' | 'latin1';
type CryptoData = string | Buffer | Uint8Array;

interface CryptoHash {
  update(data: CryptoData, inputEncoding?: BufferEncoding): CryptoHash;
  digest(): Buffer;
  digest(encoding: BinaryToTextEncoding): string;
  copy(): CryptoHash;
}
interface CryptoHmac {
  update(data: CryptoData, inputEncoding?: BufferEncoding): CryptoHmac;
  digest(): Buffer;
  digest(encoding: BinaryToTextEncoding): string;
}
interface CryptoCipher {
  update(data: CryptoData, inputEncoding?: BufferEncoding): Buffer;
  update(data: CryptoData, inputEncoding: BufferEncoding | undefined, outputEncoding: BinaryToTextEncoding | 'utf8'): string;
  final(): Buffer;
  final(outputEncoding: BinaryToTextEncoding | 'utf8'): string;
  setAutoPadding(autoPadding?: boolean): CryptoCipher;
  getAuthTag(): Buffer;
  setAuthTag(tag: Uint8Array): CryptoCipher;
  setAAD(data: Uint8Array): CryptoCipher;
}

interface SegmentCrypto {
  createHash(algorithm: string): CryptoHash;
  createHmac(algorithm: string, key: CryptoData): CryptoHmac;
  createCipheriv(algorithm: string, key: CryptoData, iv: CryptoData | null): CryptoCipher;
  createDecipheriv(algorithm: string, key: CryptoData, iv: CryptoData | null): CryptoCipher;
  randomBytes(size: number): Buffer;
  randomUUID(): string;
  randomInt(max: number): number;
  randomInt(min: number, max: number): number;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
  getHashes(): string[];
  pbkdf2Sync(password: CryptoData, salt: CryptoData, iterations: number, keylen: number, digest: string): Buffer;
  webcrypto?: any;
}
declare const crypto: SegmentCrypto;

// ───────────────────────────── AWS (aws-sdk v2) ─────────────────────────────

interface AWSRequest<T> {
  promise(): Promise<T>;
  send(callback?: (err: any, data: T) => void): void;
}
interface AWSClientConfig {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  credentials?: AWSCredentials;
  endpoint?: string;
  apiVersion?: string;
  maxRetries?: number;
  httpOptions?: { timeout?: number; connectTimeout?: number };
  [option: string]: any;
}
interface AWSCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
/** Every service operation takes params and returns a request whose `.promise()` resolves with the result. */
type AWSOperation = (params?: Record<string, any>, callback?: (err: any, data: any) => void) => AWSRequest<any>;
interface AWSService {
  config: AWSClientConfig;
  // An operation, or any other property of the SDK's service object.
  [operation: string]: any;
}
type AWSServiceConstructor<S = AWSService> = new (options?: AWSClientConfig) => S;

interface AWSS3 extends AWSService {
  putObject: AWSOperation;
  getObject: AWSOperation;
  deleteObject: AWSOperation;
  listObjectsV2: AWSOperation;
  headObject: AWSOperation;
  upload(params: Record<string, any>): AWSRequest<any>;
  getSignedUrl(operation: string, params: Record<string, any>): string;
}
interface AWSLambda extends AWSService { invoke: AWSOperation }
interface AWSSQS extends AWSService { sendMessage: AWSOperation; sendMessageBatch: AWSOperation; receiveMessage: AWSOperation }
interface AWSSNS extends AWSService { publish: AWSOperation }
interface AWSKinesis extends AWSService { putRecord: AWSOperation; putRecords: AWSOperation }
interface AWSFirehose extends AWSService { putRecord: AWSOperation; putRecordBatch: AWSOperation }
interface AWSDynamoDBDocumentClient {
  get: AWSOperation; put: AWSOperation; update: AWSOperation; delete: AWSOperation; query: AWSOperation; scan: AWSOperation; batchWrite: AWSOperation;
}
interface AWSDynamoDBConstructor extends AWSServiceConstructor {
  DocumentClient: new (options?: AWSClientConfig) => AWSDynamoDBDocumentClient;
}
interface AWSSTS extends AWSService { assumeRole: AWSOperation; getCallerIdentity: AWSOperation }

interface AWSNamespace {
  config: AWSClientConfig & { update(options: AWSClientConfig): void };
  Credentials: new (accessKeyId: string, secretAccessKey: string, sessionToken?: string) => AWSCredentials;
  S3: AWSServiceConstructor<AWSS3>;
  Lambda: AWSServiceConstructor<AWSLambda>;
  SQS: AWSServiceConstructor<AWSSQS>;
  SNS: AWSServiceConstructor<AWSSNS>;
  Kinesis: AWSServiceConstructor<AWSKinesis>;
  Firehose: AWSServiceConstructor<AWSFirehose>;
  DynamoDB: AWSDynamoDBConstructor;
  STS: AWSServiceConstructor<AWSSTS>;
  [service: string]: any;
}
/** aws-sdk v2. No credentials come from the environment: pass them from settings. */
declare const AWS: AWSNamespace;

// ───────────────────────────── lodash 4.17 (`_`) ─────────────────────────────

type LodashIteratee<T, R> = ((value: T, index: number, collection: T[]) => R) | string | [string, any] | Partial<T>;
type LodashObjectIteratee<T, R> = ((value: T[keyof T], key: string, object: T) => R) | string;
type LodashPath = string | number | ReadonlyArray<string | number>;

interface LodashChain<T> {
  value(): T;
  [method: string]: any;
}

interface LodashDebounced<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F> | undefined;
  cancel(): void;
  flush(): ReturnType<F> | undefined;
}

interface LoDashStatic {
  <T>(value: T): LodashChain<T>;
  readonly VERSION: string;
  // Array
  chunk<T>(array: readonly T[] | null | undefined, size?: number): T[][];
  compact<T>(array: readonly (T | null | undefined | false | '' | 0)[] | null | undefined): T[];
  concat<T>(array: T | readonly T[], ...values: Array<T | readonly T[]>): T[];
  difference<T>(array: readonly T[] | null | undefined, ...values: Array<readonly T[]>): T[];
  differenceBy<T>(array: readonly T[] | null | undefined, values: readonly T[], iteratee?: LodashIteratee<T, unknown>): T[];
  drop<T>(array: readonly T[] | null | undefined, n?: number): T[];
  dropRight<T>(array: readonly T[] | null | undefined, n?: number): T[];
  findIndex<T>(array: readonly T[] | null | undefined, predicate?: LodashIteratee<T, unknown>, fromIndex?: number): number;
  findLastIndex<T>(array: readonly T[] | null | undefined, predicate?: LodashIteratee<T, unknown>, fromIndex?: number): number;
  first<T>(array: readonly T[] | null | undefined): T | undefined;
  flatten<T>(array: ReadonlyArray<T | readonly T[]> | null | undefined): T[];
  flattenDeep<T>(array: readonly any[] | null | undefined): T[];
  fromPairs<T>(pairs: ReadonlyArray<[string, T]> | null | undefined): Record<string, T>;
  head<T>(array: readonly T[] | null | undefined): T | undefined;
  indexOf<T>(array: readonly T[] | null | undefined, value: T, fromIndex?: number): number;
  initial<T>(array: readonly T[] | null | undefined): T[];
  intersection<T>(...arrays: Array<readonly T[]>): T[];
  join(array: readonly any[] | null | undefined, separator?: string): string;
  last<T>(array: readonly T[] | null | undefined): T | undefined;
  nth<T>(array: readonly T[] | null | undefined, n?: number): T | undefined;
  pull<T>(array: T[], ...values: T[]): T[];
  remove<T>(array: T[], predicate?: LodashIteratee<T, unknown>): T[];
  reverse<T>(array: T[]): T[];
  slice<T>(array: readonly T[] | null | undefined, start?: number, end?: number): T[];
  sortedUniq<T>(array: readonly T[] | null | undefined): T[];
  tail<T>(array: readonly T[] | null | undefined): T[];
  take<T>(array: readonly T[] | null | undefined, n?: number): T[];
  takeRight<T>(array: readonly T[] | null | undefined, n?: number): T[];
  union<T>(...arrays: Array<readonly T[] | null | undefined>): T[];
  uniq<T>(array: readonly T[] | null | undefined): T[];
  uniqBy<T>(array: readonly T[] | null | undefined, iteratee: LodashIteratee<T, unknown>): T[];
  unzip<T>(array: readonly T[][] | null | undefined): T[][];
  without<T>(array: readonly T[] | null | undefined, ...values: T[]): T[];
  xor<T>(...arrays: Array<readonly T[]>): T[];
  zip<T>(...arrays: Array<readonly T[]>): Array<Array<T | undefined>>;
  zipObject<T>(props: readonly LodashPath[], values?: readonly T[]): Record<string, T>;
  // Collection
  countBy<T>(collection: readonly T[] | null | undefined, iteratee?: LodashIteratee<T, unknown>): Record<string, number>;
  each<T>(collection: readonly T[] | null | undefined, iteratee?: (value: T, index: number, collection: T[]) => unknown): T[];
  every<T>(collection: readonly T[] | null | undefined, predicate?: LodashIteratee<T, unknown>): boolean;
  filter<T>(collection: readonly T[] | null | undefined, predicate?: LodashIteratee<T, unknown>): T[];
  filter<T extends object>(collection: T | null | undefined, predicate?: LodashObjectIteratee<T, unknown>): Array<T[keyof T]>;
  find<T>(collection: readonly T[] | null | undefined, predicate?: LodashIteratee<T, unknown>, fromIndex?: number): T | undefined;
  findLast<T>(collection: readonly T[] | null | undefined, predicate?: LodashIteratee<T, unknown>, fromIndex?: number): T | undefined;
  flatMap<T, R>(collection: readonly T[] | null | undefined, iteratee?: (value: T, index: number, collection: T[]) => R | readonly R[]): R[];
  forEach<T>(collection: readonly T[] | null | undefined, iteratee?: (value: T, index: number, collection: T[]) => unknown): T[];
  forEach<T extends object>(collection: T | null | undefined, iteratee?: (value: T[keyof T], key: string, collection: T) => unknown): T;
  groupBy<T>(collection: readonly T[] | null | undefined, iteratee?: LodashIteratee<T, unknown>): Record<string, T[]>;
  includes<T>(collection: readonly T[] | Record<string, T> | string | null | undefined, target: T, fromIndex?: number): boolean;
  keyBy<T>(collection: readonly T[] | null | undefined, iteratee?: LodashIteratee<T, unknown>): Record<string, T>;
  map<T, R>(collection: readonly T[] | null | undefined, iteratee: (value: T, index: number, collection: T[]) => R): R[];
  map<T, K extends keyof T>(collection: readonly T[] | null | undefined, iteratee: K): Array<T[K]>;
  map<T extends object, R>(collection: T | null | undefined, iteratee: (value: T[keyof T], key: string, collection: T) => R): R[];
  orderBy<T>(collection: readonly T[] | null | undefined, iteratees?: LodashIteratee<T, unknown> | Array<LodashIteratee<T, unknown>>, orders?: Array<'asc' | 'desc'> | 'asc' | 'desc'): T[];
  partition<T>(collection: readonly T[] | null | undefined, predicate?: LodashIteratee<T, unknown>): [T[], T[]];
  reduce<T, R>(collection: readonly T[] | null | undefined, iteratee: (acc: R, value: T, index: number, collection: T[]) => R, accumulator: R): R;
  reduce<T extends object, R>(collection: T | null | undefined, iteratee: (acc: R, value: T[keyof T], key: string, collection: T) => R, accumulator: R): R;
  reject<T>(collection: readonly T[] | null | undefined, predicate?: LodashIteratee<T, unknown>): T[];
  sample<T>(collection: readonly T[] | null | undefined): T | undefined;
  shuffle<T>(collection: readonly T[] | null | undefined): T[];
  size(collection: object | string | null | undefined): number;
  some<T>(collection: readonly T[] | null | undefined, predicate?: LodashIteratee<T, unknown>): boolean;
  sortBy<T>(collection: readonly T[] | null | undefined, ...iteratees: Array<LodashIteratee<T, unknown> | Array<LodashIteratee<T, unknown>>>): T[];
  // Function
  debounce<F extends (...args: any[]) => any>(func: F, wait?: number, options?: { leading?: boolean; maxWait?: number; trailing?: boolean }): LodashDebounced<F>;
  memoize<F extends (...args: any[]) => any>(func: F, resolver?: (...args: Parameters<F>) => unknown): F & { cache: Map<unknown, unknown> };
  once<F extends (...args: any[]) => any>(func: F): F;
  throttle<F extends (...args: any[]) => any>(func: F, wait?: number, options?: { leading?: boolean; trailing?: boolean }): LodashDebounced<F>;
  // Lang
  castArray<T>(value?: T | readonly T[]): T[];
  clone<T>(value: T): T;
  cloneDeep<T>(value: T): T;
  isArray(value?: any): value is any[];
  isBoolean(value?: any): value is boolean;
  isDate(value?: any): value is Date;
  isEmpty(value?: any): boolean;
  isEqual(value: any, other: any): boolean;
  isError(value: any): value is Error;
  isFinite(value?: any): boolean;
  isFunction(value: any): value is (...args: any[]) => any;
  isInteger(value?: any): boolean;
  isNaN(value?: any): boolean;
  isNil(value: any): value is null | undefined;
  isNull(value: any): value is null;
  isNumber(value?: any): value is number;
  isObject(value?: any): value is object;
  isPlainObject(value?: any): boolean;
  isString(value?: any): value is string;
  isUndefined(value: any): value is undefined;
  toArray<T>(value: Record<string, T> | readonly T[] | null | undefined): T[];
  toInteger(value: any): number;
  toNumber(value: any): number;
  toString(value: any): string;
  // Math
  max<T>(collection: readonly T[] | null | undefined): T | undefined;
  maxBy<T>(collection: readonly T[] | null | undefined, iteratee?: LodashIteratee<T, unknown>): T | undefined;
  mean(collection: readonly number[] | null | undefined): number;
  min<T>(collection: readonly T[] | null | undefined): T | undefined;
  minBy<T>(collection: readonly T[] | null | undefined, iteratee?: LodashIteratee<T, unknown>): T | undefined;
  round(n: number, precision?: number): number;
  sum(collection: readonly number[] | null | undefined): number;
  sumBy<T>(collection: readonly T[] | null | undefined, iteratee?: ((value: T) => number) | string): number;
  // Number
  clamp(number: number, lower: number, upper: number): number;
  inRange(number: number, start: number, end?: number): boolean;
  random(lower?: number, upper?: number, floating?: boolean): number;
  // Object
  assign<T extends object>(target: T, ...sources: any[]): T & Record<string, any>;
  defaults<T extends object>(object: T, ...sources: any[]): T & Record<string, any>;
  defaultsDeep<T extends object>(object: T, ...sources: any[]): T & Record<string, any>;
  entries<T>(object: Record<string, T> | null | undefined): Array<[string, T]>;
  findKey<T extends object>(object: T | null | undefined, predicate?: LodashObjectIteratee<T, unknown>): string | undefined;
  get(object: any, path: LodashPath, defaultValue?: any): any;
  has(object: any, path: LodashPath): boolean;
  invert(object: object): Record<string, string>;
  keys(object?: any): string[];
  mapKeys<T extends object>(object: T | null | undefined, iteratee?: (value: T[keyof T], key: string, object: T) => string): Record<string, T[keyof T]>;
  mapValues<T extends object, R>(object: T | null | undefined, iteratee: (value: T[keyof T], key: string, object: T) => R): Record<string, R>;
  merge<T extends object>(object: T, ...sources: any[]): T & Record<string, any>;
  omit<T extends object>(object: T | null | undefined, ...paths: Array<LodashPath | LodashPath[]>): Partial<T>;
  omitBy<T extends object>(object: T | null | undefined, predicate?: LodashObjectIteratee<T, unknown>): Partial<T>;
  pick<T extends object, K extends keyof T>(object: T | null | undefined, ...paths: Array<K | readonly K[]>): Pick<T, K>;
  pick<T extends object>(object: T | null | undefined, ...paths: Array<LodashPath | LodashPath[]>): Partial<T>;
  pickBy<T extends object>(object: T | null | undefined, predicate?: LodashObjectIteratee<T, unknown>): Partial<T>;
  set<T extends object>(object: T, path: LodashPath, value: any): T;
  toPairs<T>(object: Record<string, T> | null | undefined): Array<[string, T]>;
  unset(object: any, path: LodashPath): boolean;
  update(object: object, path: LodashPath, updater: (value: any) => any): any;
  values<T>(object: Record<string, T> | readonly T[] | null | undefined): T[];
  // String
  camelCase(text?: string): string;
  capitalize(text?: string): string;
  endsWith(text?: string, target?: string, position?: number): boolean;
  escape(text?: string): string;
  escapeRegExp(text?: string): string;
  kebabCase(text?: string): string;
  lowerCase(text?: string): string;
  lowerFirst(text?: string): string;
  pad(text?: string, length?: number, chars?: string): string;
  padEnd(text?: string, length?: number, chars?: string): string;
  padStart(text?: string, length?: number, chars?: string): string;
  repeat(text?: string, n?: number): string;
  replace(text: string, pattern: string | RegExp, replacement: string | ((substring: string, ...args: any[]) => string)): string;
  snakeCase(text?: string): string;
  split(text: string | null | undefined, separator?: string | RegExp, limit?: number): string[];
  startCase(text?: string): string;
  startsWith(text?: string, target?: string, position?: number): boolean;
  template(text?: string, options?: { variable?: string; interpolate?: RegExp; escape?: RegExp; evaluate?: RegExp }): (data?: object) => string;
  toLower(text?: string): string;
  toUpper(text?: string): string;
  trim(text?: string, chars?: string): string;
  trimEnd(text?: string, chars?: string): string;
  trimStart(text?: string, chars?: string): string;
  truncate(text?: string, options?: { length?: number; omission?: string; separator?: string | RegExp }): string;
  unescape(text?: string): string;
  upperCase(text?: string): string;
  upperFirst(text?: string): string;
  words(text?: string, pattern?: string | RegExp): string[];
  // Util
  chain<T>(value: T): LodashChain<T>;
  constant<T>(value: T): () => T;
  identity<T>(value: T): T;
  noop(...args: any[]): void;
  range(start: number, end?: number, step?: number): number[];
  times<R>(n: number, iteratee: (index: number) => R): R[];
  uniqueId(prefix?: string): string;
}

/** lodash 4.17. */
declare const _: LoDashStatic;
