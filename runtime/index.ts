/**
 * The runtime: `createRuntime()` gives a pool of hardened sandbox workers that run
 * destination functions and resolve with one Outcome per invocation.
 */
import type { Outcome } from '../main/contract/outcome';
import type { NetworkOptions } from '../main/contract/mock';
import type { InvokeRequest, Runtime, RuntimeOptions } from './api';
import { checkInput } from './input-check';
import { WorkerPool, cancelledError, hostOutcome } from './pool';

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

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MEMORY_MB = 128;

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

function networkOf(network: NetworkOptions | undefined): NetworkOptions {
  if (network === undefined) return { mockRules: [], offline: false };
  if (!Array.isArray(network.mockRules)) throw new TypeError('runtime: network.mockRules must be an array');
  return { mockRules: network.mockRules, offline: network.offline === true };
}

class PooledRuntime implements Runtime {
  private readonly pool: WorkerPool;

  constructor(options: RuntimeOptions) {
    this.pool = new WorkerPool(options.workers);
  }

  invoke(request: InvokeRequest, signal?: AbortSignal): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      checkRequest(request);
      const timeoutMs = positive(request.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
      const memoryMb = Math.ceil(positive(request.memoryMb, DEFAULT_MEMORY_MB, 'memoryMb'));
      const network = networkOf(request.network);
      const settings = request.settings ?? {};
      if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
        resolve(hostOutcome('Invalid Settings', 'InvalidSettings', 'settings must be an object of setting name → value'));
        return;
      }
      const problem = checkInput(request.input);
      if (problem) {
        resolve(hostOutcome('Message Rejected', 'InvalidEventPayload', problem.message));
        return;
      }
      this.pool.submit({
        message: {
          type: 'invoke',
          functionId: request.functionId,
          code: request.code,
          filename: request.filename,
          input: request.input,
          settings: settings as Record<string, unknown>,
          network,
          timeoutMs,
        },
        memoryMb,
        resolve,
        reject,
        signal,
      });
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
