/**
 * The runtime's public surface. Hosts (CLI, web host, Electron's utility process)
 * depend on this file only; everything else under runtime/ is private.
 */
import type { Outcome } from '../common/outcome';
import type { NetworkOptions } from '../common/mock';

/**
 * The input checks (32 KB, a `type`, JSON only) for a caller that checks events before they
 * travel to the runtime: `encodeInput(input)` gives `{ json }` or `{ message }` (the
 * problem), and `new CheckedInput(json)` as a request's `input` is taken as checked. This
 * module has no dependencies, so a host can use it without loading the runtime.
 */
export { encodeInput, CheckedInput } from './input-check';
export { packTexts, utf8Bytes, utf8Text } from './utf8-texts';

export interface InvokeRequest {
  /**
   * Identity of the function's warm instance. Invocations with the same id and the
   * same code share top-level state (as a warm Segment Lambda does); different ids
   * never share state or globals.
   */
  functionId: string;
  /** The user's script: top-level handler declarations, exactly as in Segment's editor. */
  code: string;
  /** File name used in stack frames, e.g. `handler.js`. */
  filename: string;
  /**
   * The event, or an array of events for onBatch. It reaches the function as Segment's
   * would: as JSON text, parsed (Dates arrive as ISO strings; functions and undefined
   * values are dropped). Events that are not objects, have no type, exceed 32 KB of JSON
   * or cannot be written as JSON (BigInt, cycles) end as Message Rejected without running.
   * A `CheckedInput` (see above) is taken as already checked.
   */
  input: unknown;
  settings: Record<string, unknown>;
  network?: NetworkOptions;
  /** Per-invocation time limit; default 5000. */
  timeoutMs?: number;
  /** Worker heap limit in MB; default 128. */
  memoryMb?: number;
}

export interface RuntimeOptions {
  /** Worker threads in the pool; default: number of CPU cores. */
  workers?: number;
  /**
   * Told when a worker thread did not stop after it was terminated (guest code stuck in a
   * long native call, e.g. a key derivation with an enormous iteration count, which no
   * thread termination can interrupt). Its invocation has had its Timeout and the pool
   * goes on with a fresh worker, but the thread keeps a core busy until the native call
   * returns: a host running the pool in a process of its own replaces that process.
   */
  onStuckWorker?: (reason: string) => void;
}

export interface Runtime {
  /**
   * Runs one invocation and resolves with its outcome. Never rejects for anything the
   * user's code does; rejects with an error named `RunCancelled` when `signal` aborts.
   */
  invoke(request: InvokeRequest, signal?: AbortSignal): Promise<Outcome>;
  /**
   * Runs many invocations (a replay, a load test) and resolves with their outcomes in the
   * order of `requests`. Each one is a full invocation of its own (own time limit, logs,
   * requests, error; top-level state carries over as with `invoke`); they merely travel
   * to the workers and back many per message. A request that fails validation gets its
   * outcome without running; a malformed request (not an object, no functionId…) rejects
   * the call with a TypeError naming its index. Aborting `signal` stops the unfinished
   * ones and rejects with an error named `RunCancelled`. An invocation that times out or
   * crashes its worker gets that outcome alone; the ones queued behind it on that worker
   * had not started and run on a fresh worker instead, each exactly once. Optional so test doubles need not
   * implement it.
   */
  invokeMany?(requests: readonly InvokeRequest[], signal?: AbortSignal): Promise<Outcome[]>;
  /**
   * invokeMany that hands over each outcome as soon as it is known (`index` is its
   * request's), so a caller forwarding them (the runtime process) never holds one back.
   * Resolves when every request has had its outcome. Optional like invokeMany.
   */
  invokeEach?(requests: readonly InvokeRequest[], onOutcome: (index: number, outcome: Outcome) => void, signal?: AbortSignal): Promise<void>;
  /**
   * invokeEach handing over each outcome as its JSON text in UTF-8, as the sandbox produced
   * it (a view into a buffer nothing else writes to): a caller that only forwards outcomes
   * (the runtime process) never decodes, parses or re-encodes them. Optional like invokeMany.
   */
  invokeEachUtf8?(requests: readonly InvokeRequest[], onOutcomeUtf8: (index: number, utf8: Uint8Array) => void, signal?: AbortSignal): Promise<void>;
  /**
   * Starts every worker now instead of on first use (lockdown + globals); resolves with
   * each worker's cold-start time in ms. Optional so test doubles need not implement it.
   */
  prestart?(memoryMb?: number): Promise<number[]>;
  /** Terminates every worker. */
  close(): Promise<void>;
}
