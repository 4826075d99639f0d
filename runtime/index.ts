/**
 * The runtime: `createRuntime()` gives a pool of hardened sandbox workers that run
 * destination functions and resolve with one Outcome per invocation.
 */
import type { Outcome } from '../common/outcome';
import type { NetworkOptions } from '../common/mock';
import type { InvokeRequest, Runtime, RuntimeOptions } from './api';
import { CheckedInput, encodeInput } from './input-check';
import { WorkerPool, cancelledError, hostOutcome, type PoolBulkItem } from './pool';
import { utf8Bytes, type JsonText } from './utf8-texts';
import type { InvocationShared } from './protocol';

export type { InvokeRequest, Runtime, RuntimeOptions } from './api';
export { SEGMENT_GLOBALS, FORBIDDEN_GLOBALS } from './globals-list';
export { matchMockRule, compileUrlPattern } from './mock-match';
export { MAX_EVENT_BYTES, checkInput } from './input-check';
export { categoryForErrorName, categoryForBatchStatus } from './categories';
/**
 * An Outcome for a run that never started (e.g. a host that finds a required setting
 * missing reports `outcomeWithoutRunning('Invalid Settings', 'InvalidSettings', '…')`).
 */
export { hostOutcome as outcomeWithoutRunning } from './pool';

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MEMORY_MB = 128;

function positive(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`runtime: ${what} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function checkRequest(request: InvokeRequest): void {
  if (typeof request !== 'object' || request === null) throw new TypeError('runtime: invoke needs a request object');
  if (typeof request.functionId !== 'string' || request.functionId === '') throw new TypeError('runtime: request.functionId must be a non-empty string');
  if (typeof request.code !== 'string') throw new TypeError('runtime: request.code must be a string');
  if (typeof request.filename !== 'string' || request.filename === '') throw new TypeError('runtime: request.filename must be a non-empty string');
}

/** Throws a TypeError naming what is wrong with a request's network options. */
function checkNetwork(network: NetworkOptions): void {
  if (typeof network !== 'object' || network === null || !Array.isArray(network.mockRules)) throw new TypeError('runtime: network.mockRules must be an array');
  if (network.strict !== undefined && typeof network.strict !== 'boolean') throw new TypeError('runtime: network.strict must be a boolean when given');
}

function networkOf(network: NetworkOptions | undefined): NetworkOptions {
  if (network === undefined) return NO_NETWORK_OPTIONS;
  checkNetwork(network);
  return { mockRules: network.mockRules, offline: network.offline === true, strict: network.strict === true };
}

const NO_NETWORK_OPTIONS: NetworkOptions = Object.freeze({ mockRules: Object.freeze([]) as unknown as NetworkOptions['mockRules'], offline: false, strict: false });

/** What the pool needs to run one request, or the outcome it gets without running. */
type Prepared = { shared: InvocationShared; input: JsonText; memoryMb: number } | { outcome: Outcome };

/**
 * Requests of the same function, code, settings object, mock rules and limits share one
 * InvocationShared, so consecutive ones travel to a worker as one chunk. Only the most
 * recent configuration per function is remembered: nothing grows with use.
 */
class SharedConfigurations {
  private readonly latest = new Map<string, InvocationShared>();

  get(request: InvokeRequest, settings: Record<string, unknown>, network: NetworkOptions | undefined, timeoutMs: number): InvocationShared {
    const last = this.latest.get(request.functionId);
    const mockRules = network === undefined ? NO_NETWORK_OPTIONS.mockRules : network.mockRules;
    const offline = network !== undefined && network.offline === true;
    const strict = network !== undefined && network.strict === true;
    if (
      last &&
      last.code === request.code &&
      last.filename === request.filename &&
      last.settings === settings &&
      last.network.mockRules === mockRules &&
      last.network.offline === offline &&
      last.network.strict === strict &&
      last.timeoutMs === timeoutMs
    ) {
      return last;
    }
    const shared: InvocationShared = {
      functionId: request.functionId,
      code: request.code,
      filename: request.filename,
      settings,
      network: networkOf(network),
      timeoutMs,
    };
    if (this.latest.size >= 256 && !this.latest.has(request.functionId)) this.latest.clear();
    this.latest.set(request.functionId, shared);
    return shared;
  }
}

class PooledRuntime implements Runtime {
  private readonly pool: WorkerPool;
  private readonly configurations = new SharedConfigurations();

  constructor(options: RuntimeOptions) {
    this.pool = new WorkerPool(options.workers, options.onStuckWorker);
  }

  /** Checks a request (throws TypeError for a malformed one) and prepares it for the pool. */
  private prepare(request: InvokeRequest): Prepared {
    checkRequest(request);
    const timeoutMs = positive(request.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
    const memoryMb = Math.ceil(positive(request.memoryMb, DEFAULT_MEMORY_MB, 'memoryMb'));
    if (request.network !== undefined) checkNetwork(request.network);
    const settings = request.settings ?? {};
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      return { outcome: hostOutcome('Invalid Settings', 'InvalidSettings', 'settings must be an object of setting name → value') };
    }
    const encoded = request.input instanceof CheckedInput ? request.input : encodeInput(request.input);
    if ('message' in encoded) return { outcome: hostOutcome('Message Rejected', 'InvalidEventPayload', encoded.message) };
    return { shared: this.configurations.get(request, settings, request.network, timeoutMs), input: encoded.json, memoryMb };
  }

  invoke(request: InvokeRequest, signal?: AbortSignal): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      const prepared = this.prepare(request);
      if ('outcome' in prepared) {
        resolve(prepared.outcome);
        return;
      }
      this.pool.submit({ shared: prepared.shared, input: prepared.input, memoryMb: prepared.memoryMb, resolve, reject }, signal);
    });
  }

  invokeMany(requests: readonly InvokeRequest[], signal?: AbortSignal): Promise<Outcome[]> {
    const given: unknown = requests;
    if (!Array.isArray(given)) return Promise.reject(new TypeError('runtime: invokeMany needs an array of requests'));
    const outcomes = new Array<Outcome>(requests.length);
    return this.invokeEach(requests, (index, outcome) => {
      outcomes[index] = outcome;
    }, signal).then(() => outcomes);
  }

  invokeEach(requests: readonly InvokeRequest[], onOutcome: (index: number, outcome: Outcome) => void, signal?: AbortSignal): Promise<void> {
    return this.submitEach(requests, { onOutcome }, signal);
  }

  invokeEachUtf8(requests: readonly InvokeRequest[], onOutcomeUtf8: (index: number, utf8: Uint8Array) => void, signal?: AbortSignal): Promise<void> {
    return this.submitEach(requests, { onOutcome: (index, outcome) => onOutcomeUtf8(index, utf8Bytes(JSON.stringify(outcome))), onOutcomeUtf8 }, signal);
  }

  private submitEach(
    requests: readonly InvokeRequest[],
    receivers: { onOutcome: (index: number, outcome: Outcome) => void; onOutcomeUtf8?: (index: number, utf8: Uint8Array) => void },
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const { onOutcome, onOutcomeUtf8 } = receivers;
    return new Promise<void>((resolve, reject) => {
      const given: unknown = requests;
      if (!Array.isArray(given)) throw new TypeError('runtime: invokeEach needs an array of requests');
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      let pending = requests.length;
      let failed = false;
      const items: PoolBulkItem[] = [];
      /** Request index of each item. */
      const indexes: number[] = [];
      const early: Array<[number, Outcome]> = [];
      for (let index = 0; index < requests.length; index++) {
        let prepared: Prepared;
        try {
          prepared = this.prepare(requests[index]);
        } catch (err) {
          throw err instanceof TypeError ? new TypeError(err.message.replace(/^runtime: /, `runtime: requests[${index}]: `)) : err;
        }
        if ('outcome' in prepared) {
          early.push([index, prepared.outcome]);
          pending--;
          continue;
        }
        items.push(prepared);
        indexes.push(index);
      }
      // Only a call that passed validation as a whole reports anything.
      for (const [index, outcome] of early) onOutcome(index, outcome);
      if (pending === 0) {
        resolve();
        return;
      }
      this.pool.submitMany(
        items,
        {
          resolve: (item, outcome) => {
            if (failed) return;
            onOutcome(indexes[item], outcome);
            if (--pending === 0) resolve();
          },
          resolveUtf8: onOutcomeUtf8
            ? (item, utf8) => {
                if (failed) return;
                onOutcomeUtf8(indexes[item], utf8);
                if (--pending === 0) resolve();
              }
            : undefined,
          reject: (_item, error) => {
            // The first failure (a cancel, a close) rejects the call; the rest are moot.
            if (failed) return;
            failed = true;
            reject(error);
          },
        },
        signal,
      );
    });
  }

  /** Starts every worker now; resolves with each one's cold-start time in ms. */
  prestart(memoryMb = DEFAULT_MEMORY_MB): Promise<number[]> {
    return this.pool.prestart(memoryMb);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Creates a runtime with `options.workers` sandbox workers (default: CPU cores). */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  return new PooledRuntime(options);
}
