/**
 * Runs captured events through a destination function as they arrive: in arrival order,
 * each a full invocation of its own (as Segment delivers events one by one to a function
 * without batching), with the function's mock rules answering and every other request
 * blocked as offline, so captured traffic never reaches a real service by accident.
 * Events that queue up while a run is under way travel to the workers together
 * (`invokeMany`), which keeps a burst from a batch request fast.
 */
import { mapOutcomeToSource, type CompiledHandler } from '../typescript-handler';
import type { MockRule } from '../../contract/mock';
import type { Outcome } from '../../contract/outcome';
import type { InvokeRequest, Runtime } from '../../../runtime/api';
import { redactOutcome } from '../redact';
import type { JsonObject } from './delivered-event';

export interface CaptureFunction {
  /** Identity of the function's warm instance in the runtime. */
  functionId: string;
  code: string;
  /** Name used in stack frames, e.g. handler.js. */
  filename: string;
  settings: Record<string, unknown>;
  /** Secret values to mask in every outcome. */
  secrets: readonly string[];
  mockRules: MockRule[];
  timeoutMs?: number;
  memoryMb?: number;
  /**
   * When the settings cannot be used (a required one missing, the keychain locked), every
   * event gets this outcome without running, as Segment refuses such a destination.
   */
  refusedOutcome?: Outcome;
  /** For handler.ts: `code` is its compiled JavaScript; outcomes are mapped back to the TypeScript lines. */
  compiled?: CompiledHandler | null;
  /** Refuse loopback and private addresses too (function.json "strictNetwork", --strict-network). */
  strictNetwork?: boolean;
}

/** Most events sent to the workers in one message. */
const CHUNK = 100;

export interface FunctionFeed {
  /** Queues events to run; their outcomes arrive through `onOutcome`, in this order. */
  push(events: readonly JsonObject[]): void;
  /** Resolves when every queued event has its outcome. */
  drain(): Promise<void>;
  /** Events queued or running. */
  readonly pending: number;
}

/** Runs events of one chunk and resolves with their outcomes, in order. */
export type ChunkRunner = (events: JsonObject[]) => Promise<Outcome[]>;

export function createFunctionFeed(
  runtime: Runtime,
  fn: CaptureFunction,
  onOutcome: (event: JsonObject, outcome: Outcome) => void,
): FunctionFeed {
  const request = (event: JsonObject): InvokeRequest => ({
    functionId: fn.functionId,
    code: fn.code,
    filename: fn.filename,
    input: event,
    settings: fn.settings,
    network: { mockRules: fn.mockRules, offline: true, ...(fn.strictNetwork ? { strict: true } : {}) },
    timeoutMs: fn.timeoutMs,
    memoryMb: fn.memoryMb,
  });
  const protect = (ran: Outcome): Outcome => {
    const outcome = fn.compiled ? mapOutcomeToSource(ran, fn.compiled, fn.filename) : ran;
    return fn.secrets.length > 0 ? redactOutcome(outcome, fn.secrets) : outcome;
  };
  const runChunk: ChunkRunner = async (events) => {
    if (fn.refusedOutcome) return events.map(() => fn.refusedOutcome as Outcome);
    if (events.length > 1 && runtime.invokeMany) return (await runtime.invokeMany(events.map(request))).map(protect);
    const outcomes: Outcome[] = [];
    for (const event of events) outcomes.push(protect(await runtime.invoke(request(event))));
    return outcomes;
  };
  return createEventFeed(runChunk, onOutcome);
}

/**
 * The queue behind every feed: events run chunk by chunk in arrival order, and each
 * outcome is reported in that order. A failure of the runner itself (not of the user's
 * code) becomes that event's outcome, so capturing goes on.
 */
export function createEventFeed(runChunk: ChunkRunner, onOutcome: (event: JsonObject, outcome: Outcome) => void): FunctionFeed {
  const queue: JsonObject[] = [];
  let running: Promise<void> | null = null;
  let inFlight = 0;

  async function loop(): Promise<void> {
    while (queue.length > 0) {
      const events = queue.splice(0, CHUNK);
      inFlight = events.length;
      let outcomes: Outcome[];
      try {
        outcomes = await runChunk(events);
      } catch (err) {
        outcomes = events.map(() => runtimeFailure(err));
      }
      inFlight = 0;
      events.forEach((event, i) => onOutcome(event, outcomes[i] ?? runtimeFailure(new Error('no outcome'))));
    }
  }

  function start(): void {
    if (running) return;
    running = loop().finally(() => {
      running = null;
      if (queue.length > 0) start();
    });
  }

  return {
    push(events) {
      queue.push(...events);
      start();
    },
    async drain() {
      while (running) await running;
    },
    get pending() {
      return queue.length + inFlight;
    },
  };
}

function runtimeFailure(err: unknown): Outcome {
  const message = `the sandbox could not run the function: ${(err as Error | undefined)?.message ?? String(err)}`;
  return {
    outcome: 'Bad Request',
    retryable: false,
    error: { name: 'RuntimeError', message, stack: `RuntimeError: ${message}`, frames: [] },
    logs: [],
    logsTruncated: false,
    requests: [],
    result: null,
    durationMs: 0,
  };
}
