/**
 * Messages between a host (client.ts) and the runtime process (entry.ts, server.ts), the
 * same in every host: Electron's utilityProcess and a Node child process alike. Both
 * directions are validated on receipt: the runtime process runs user code, so the host
 * treats what it sends as untrusted.
 */
import { CheckedInput, encodeInput, packTexts, utf8Text, type InvokeRequest } from '../../../runtime/api';
import { OUTCOME_CATEGORIES, type Outcome, type OutcomeCategory } from '../../contract/outcome';

/** A request without its input: what consecutive invocations of a bulk usually share. */
export type RequestConfig = Omit<InvokeRequest, 'input'>;

/** An input that failed the host's checks (encodeInput), sent as given: the runtime reports it. */
type InvalidInput = { index: number; input: unknown };
type Cancel = { type: 'cancel'; id: number };
/** Start the sandbox workers now so the first run does not pay for them. */
type Prestart = { type: 'prestart'; id: number; memoryMb?: number };

/** Host → runtime process. */
export type ToRuntimeMessage =
  | { type: 'invoke'; id: number; request: InvokeRequest }
  /**
   * Many invocations travelling together (invokeMany); their outcomes stream back. Each
   * configuration (code, settings, mock rules, limits) travels once: invocation i runs
   * `{ ...configs[configOf[i]], input }`. Its input is the JSON text the host checked
   * (encodeInput): the next `lengths[i]` bytes of `inputs`, every checked input's text in
   * UTF-8 in one buffer (bytes outside the JavaScript heap: the runtime process holds
   * thousands of events in flight, which its garbage collector would otherwise copy again
   * and again). A length of -1 marks an input that failed the checks: it travels as given
   * in `invalid`, and the runtime reports the problem as that invocation's outcome.
   */
  | { type: 'invokeMany'; id: number; configs: RequestConfig[]; configOf: number[]; inputs: Uint8Array; lengths: number[]; invalid: InvalidInput[] }
  | Cancel
  | Prestart;

/** A message to the runtime process once decoded: a bulk's requests rebuilt, sharing their configuration objects. */
export type DecodedToRuntime =
  | { type: 'invoke'; id: number; request: InvokeRequest }
  | { type: 'invokeMany'; id: number; requests: InvokeRequest[] }
  | Cancel
  | Prestart;

/** Runtime process → host. */
export type FromRuntimeMessage =
  | { type: 'outcome'; id: number; outcome: Outcome }
  /**
   * Outcomes of an invokeMany call as they finish: the i-th outcome's JSON text in UTF-8
   * (as the sandbox wrote it) is the next `lengths[i]` bytes of `text`, and belongs to
   * `requests[indexes[i]]`. The call is complete when every index has had its outcome.
   */
  | { type: 'outcomes'; id: number; indexes: number[]; text: Uint8Array; lengths: number[] }
  /**
   * The process should be replaced (a worker thread it could not stop is still burning a
   * core): send it nothing more, and stop it once what it already has is answered.
   */
  | { type: 'retire'; reason: string }
  | { type: 'prestarted'; id: number; startupMs: number[] }
  | { type: 'failed'; id: number; error: { name: string; message: string } };

/** A message from the runtime process once decoded: a bulk's outcomes parsed and checked. */
export type DecodedFromRuntime =
  | Exclude<FromRuntimeMessage, { type: 'outcomes' }>
  | { type: 'outcomes'; id: number; indexes: number[]; outcomes: Outcome[] };

export class RuntimeProtocolError extends Error {
  override readonly name = 'RuntimeProtocolError';
}

export function encodeInvoke(id: number, request: InvokeRequest): ToRuntimeMessage {
  // A checked input's class does not survive the channel's cloning: it travels as its event.
  if (request.input instanceof CheckedInput) return { type: 'invoke', id, request: { ...request, input: JSON.parse(textOf(request.input)) } };
  return { type: 'invoke', id, request };
}

function textOf(input: CheckedInput): string {
  return typeof input.json === 'string' ? input.json : utf8Text(input.json);
}

/** Consecutive requests whose configuration is the same objects share one entry of `configs`. */
export function encodeInvokeMany(id: number, requests: readonly InvokeRequest[]): ToRuntimeMessage {
  const configs: RequestConfig[] = [];
  const configOf = new Array<number>(requests.length);
  const texts = new Array<string | null>(requests.length);
  const invalid: InvalidInput[] = [];
  let last: InvokeRequest | null = null;
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i];
    if (!last || !sameConfig(last, request)) {
      const { input: _input, ...config } = request;
      configs.push(config);
      last = request;
    }
    configOf[i] = configs.length - 1;
    // A caller that checked its input (replay, with an event's own text) is taken at its word, as the runtime takes it.
    const checked = request.input instanceof CheckedInput ? { json: textOf(request.input) } : encodeInput(request.input);
    if ('json' in checked) texts[i] = checked.json;
    else {
      texts[i] = null;
      invalid.push({ index: i, input: request.input });
    }
  }
  const { bytes: inputs, lengths } = packTexts(texts);
  return { type: 'invokeMany', id, configs, configOf, inputs, lengths, invalid };
}

function sameConfig(a: InvokeRequest, b: InvokeRequest): boolean {
  return (
    a.functionId === b.functionId &&
    a.code === b.code &&
    a.filename === b.filename &&
    a.settings === b.settings &&
    sameNetwork(a.network, b.network) &&
    a.timeoutMs === b.timeoutMs &&
    a.memoryMb === b.memoryMb
  );
}

/**
 * Network options are compared by their fields, not their identity: callers commonly
 * build `{ mockRules, offline }` afresh for every request, and sending a configuration per
 * request would copy the code and the rules once per event, both ways.
 */
function sameNetwork(a: InvokeRequest['network'], b: InvokeRequest['network']): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  return a.mockRules === b.mockRules && a.offline === b.offline && a.strict === b.strict;
}

/** `outcomes[i]`: the JSON text in UTF-8 of the outcome of `requests[indexes[i]]`. */
export function encodeOutcomes(id: number, indexes: number[], outcomes: readonly Uint8Array[]): FromRuntimeMessage {
  const { bytes: text, lengths } = packTexts(outcomes);
  return { type: 'outcomes', id, indexes, text, lengths };
}

/**
 * Cuts `bytes` into pieces of the given lengths (-1: a piece that is not there, given as
 * null); fails naming `what` unless the lengths cover the bytes exactly. The pieces are
 * views: nothing is copied.
 */
function cut(text: unknown, lengths: unknown, count: number, what: string): Array<Uint8Array | null> {
  // Node's channel gives a Buffer back; Electron's gives a Uint8Array.
  if (!(text instanceof Uint8Array)) fail(`"${what}" must be bytes (a Uint8Array), got ${describe(text)}`);
  if (!Array.isArray(lengths) || lengths.length !== count) fail(`"lengths" must be an array of ${count} numbers`);
  const pieces = new Array<Uint8Array | null>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const length: unknown = lengths[i];
    if (length === -1) {
      pieces[i] = null;
      continue;
    }
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || at + length > text.length) {
      fail(`lengths[${i}] must be a length within "${what}" (${text.length} bytes), got ${describe(length)}`);
    }
    pieces[i] = text.subarray(at, at + length);
    at += length;
  }
  if (at !== text.length) fail(`"lengths" cover ${at} of the ${text.length} bytes of "${what}"`);
  return pieces;
}

export function encodeRetire(reason: string): FromRuntimeMessage {
  return { type: 'retire', reason };
}

export function encodeCancel(id: number): ToRuntimeMessage {
  return { type: 'cancel', id };
}

export function encodePrestart(id: number, memoryMb?: number): ToRuntimeMessage {
  return memoryMb === undefined ? { type: 'prestart', id } : { type: 'prestart', id, memoryMb };
}

export function encodePrestarted(id: number, startupMs: number[]): FromRuntimeMessage {
  return { type: 'prestarted', id, startupMs };
}

export function encodeOutcome(id: number, outcome: Outcome): FromRuntimeMessage {
  return { type: 'outcome', id, outcome };
}

/** Only name and message cross: a stack from the runtime process is of no use here. */
export function encodeFailure(id: number, error: unknown): FromRuntimeMessage {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return { type: 'failed', id, error: { name, message } };
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(problem: string): never {
  throw new RuntimeProtocolError(`runtime message: ${problem}`);
}

function messageId(msg: Obj): number {
  const id = msg.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    fail(`"id" must be a non-negative integer, got ${describe(id)}`);
  }
  return id;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects are handled above: this is a primitive's or a function's own text
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function positiveOptional(obj: Obj, key: string, prefix = 'request.'): void {
  const v = obj[key];
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) {
    fail(`${prefix}${key} must be a positive number when given, got ${describe(v)}`);
  }
}

function decodeRequest(value: unknown): InvokeRequest {
  if (!isObject(value)) fail(`"request" must be an object, got ${describe(value)}`);
  const config = decodeConfig(value);
  if (!('input' in value) || value.input === undefined) fail('request.input is missing');
  return config as InvokeRequest;
}

function decodeConfig(value: unknown): RequestConfig {
  if (!isObject(value)) fail(`"request" must be an object, got ${describe(value)}`);
  for (const key of ['functionId', 'code', 'filename'] as const) {
    if (typeof value[key] !== 'string') fail(`request.${key} must be a string, got ${describe(value[key])}`);
  }
  if (!isObject(value.settings)) fail(`request.settings must be an object, got ${describe(value.settings)}`);
  if (value.network !== undefined) {
    const n = value.network;
    if (!isObject(n) || !Array.isArray(n.mockRules) || typeof n.offline !== 'boolean') {
      fail('request.network must be { mockRules: array, offline: boolean } when given');
    }
  }
  positiveOptional(value, 'timeoutMs');
  positiveOptional(value, 'memoryMb');
  return value as unknown as RequestConfig;
}

/** One literal shape for every request (spreading a deserialized object is several times slower). */
function withInput(config: RequestConfig, input: unknown): InvokeRequest {
  const request: InvokeRequest = { functionId: config.functionId, code: config.code, filename: config.filename, input, settings: config.settings };
  if (config.network !== undefined) request.network = config.network;
  if (config.timeoutMs !== undefined) request.timeoutMs = config.timeoutMs;
  if (config.memoryMb !== undefined) request.memoryMb = config.memoryMb;
  return request;
}

export function decodeToRuntime(raw: unknown): DecodedToRuntime {
  if (!isObject(raw)) fail(`expected an object, got ${describe(raw)}`);
  switch (raw.type) {
    case 'invoke':
      return { type: 'invoke', id: messageId(raw), request: decodeRequest(raw.request) };
    case 'invokeMany': {
      const id = messageId(raw);
      const { configs, configOf, invalid } = raw;
      if (!Array.isArray(configs) || !Array.isArray(configOf) || !Array.isArray(invalid)) fail('"configs", "configOf" and "invalid" must be arrays');
      const decoded = configs.map((config: unknown, index) => {
        try {
          return decodeConfig(config);
        } catch (err) {
          return fail(`configs[${index}]: ${(err as Error).message.replace(/^runtime message: /, '')}`);
        }
      });
      const texts = cut(raw.inputs, raw.lengths, configOf.length, 'inputs');
      const given = new Map<number, unknown>();
      for (const entry of invalid as unknown[]) {
        if (!isObject(entry) || typeof entry.index !== 'number' || texts[entry.index] !== null || given.has(entry.index)) {
          fail('each of "invalid" must be { index, input } for an invocation whose length is -1, once');
        }
        given.set(entry.index, entry.input);
      }
      const requests = new Array<InvokeRequest>(configOf.length);
      for (let index = 0; index < configOf.length; index++) {
        const config = decoded[configOf[index] as number];
        if (typeof configOf[index] !== 'number' || config === undefined) fail(`configOf[${index}] must be an index into configs, got ${describe(configOf[index])}`);
        const text = texts[index];
        // The configuration's objects stay shared: the runtime batches invocations that share them.
        if (text !== null) requests[index] = withInput(config, new CheckedInput(text));
        // An input that failed the host's checks travels as given; the runtime gives it its
        // Message Rejected outcome (a missing one included), as it would in-process.
        else if (given.has(index)) requests[index] = withInput(config, given.get(index));
        else fail(`invocation ${index} has no input: its length is -1 and "invalid" does not give it`);
      }
      return { type: 'invokeMany', id, requests };
    }
    case 'cancel':
      return { type: 'cancel', id: messageId(raw) };
    case 'prestart': {
      const id = messageId(raw);
      positiveOptional(raw, 'memoryMb', 'prestart.');
      return raw.memoryMb === undefined ? { type: 'prestart', id } : { type: 'prestart', id, memoryMb: raw.memoryMb as number };
    }
    default:
      return fail(`unknown message type ${describe(raw.type)} (expected "invoke", "invokeMany", "cancel" or "prestart")`);
  }
}

function decodeOutcome(value: unknown): Outcome {
  if (!isObject(value)) fail(`"outcome" must be an object, got ${describe(value)}`);
  if (!OUTCOME_CATEGORIES.includes(value.outcome as OutcomeCategory)) {
    fail(`outcome.outcome must be one of ${OUTCOME_CATEGORIES.join(', ')}, got ${describe(value.outcome)}`);
  }
  if (typeof value.retryable !== 'boolean') fail('outcome.retryable must be a boolean');
  if (value.error !== null && !isObject(value.error)) fail('outcome.error must be an object or null');
  if (!Array.isArray(value.logs)) fail('outcome.logs must be an array');
  if (!Array.isArray(value.requests)) fail('outcome.requests must be an array');
  if (typeof value.durationMs !== 'number') fail('outcome.durationMs must be a number');
  return value as unknown as Outcome;
}

export function decodeFromRuntime(raw: unknown): DecodedFromRuntime {
  if (!isObject(raw)) fail(`expected an object, got ${describe(raw)}`);
  switch (raw.type) {
    case 'outcome':
      return { type: 'outcome', id: messageId(raw), outcome: decodeOutcome(raw.outcome) };
    case 'outcomes': {
      const id = messageId(raw);
      const { indexes } = raw;
      if (!Array.isArray(indexes)) fail('"indexes" must be an array');
      for (const index of indexes) {
        if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) fail(`"indexes" must hold non-negative integers, got ${describe(index)}`);
      }
      return {
        type: 'outcomes',
        id,
        indexes: indexes as number[],
        outcomes: cut(raw.text, raw.lengths, indexes.length, 'text').map((utf8, i) => {
          if (utf8 === null) fail(`lengths[${i}] must be an outcome's length, got -1`);
          let parsed: unknown;
          try {
            parsed = JSON.parse(utf8Text(utf8));
          } catch (err) {
            return fail(`outcomes[${i}] is not JSON: ${(err as Error).message}`);
          }
          return decodeOutcome(parsed);
        }),
      };
    }
    case 'retire':
      if (typeof raw.reason !== 'string') fail('"reason" must be a string');
      return { type: 'retire', reason: raw.reason.slice(0, 1000) };
    case 'prestarted': {
      const id = messageId(raw);
      const ms = raw.startupMs;
      if (!Array.isArray(ms) || !ms.every((n) => typeof n === 'number' && Number.isFinite(n))) {
        fail('"startupMs" must be an array of numbers');
      }
      return { type: 'prestarted', id, startupMs: ms as number[] };
    }
    case 'failed': {
      const id = messageId(raw);
      const e = raw.error;
      if (!isObject(e) || typeof e.name !== 'string' || typeof e.message !== 'string') {
        fail('"error" must be { name: string, message: string }');
      }
      return { type: 'failed', id, error: { name: e.name, message: e.message } };
    }
    default:
      return fail(`unknown message type ${describe(raw.type)} (expected "outcome", "outcomes", "retire", "prestarted" or "failed")`);
  }
}

/** Best-effort id of a message that failed to decode, so its caller can be answered. */
export function salvageId(raw: unknown): number | null {
  if (!isObject(raw)) return null;
  const id = raw.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
