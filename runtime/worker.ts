/**
 * Entry of a sandbox worker thread. The first import locks the realm down; everything
 * after it sees frozen intrinsics. One invocation runs at a time.
 */
import './sandbox/lockdown';
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { formatForLog } from './sandbox/console-facade';
import type { HostToWorker, InvocationChunk, InvokeMessage, WorkerSetup, WorkerToHost } from './protocol';
import type { Outcome } from '../common/outcome';
import { currentInvocation, isLive } from './sandbox/invocation';
import { Runner, type Finished } from './sandbox/runner';
import { createSharedGlobals } from './sandbox/shared-globals';
import { encodeRecord, LedgerWriter } from './outcome-ledger';

if (!parentPort) throw new Error('runtime/worker.js must run as a worker thread');
const port = parentPort;
const setup = workerData as WorkerSetup;
const heartbeat = new Int32Array(setup.heartbeat);
const ledger = new LedgerWriter(setup.ledger);
const externalLimitBytes = setup.memoryMb * 1024 * 1024;

// Guest code can leave a rejected promise unhandled or throw from a callback we do not
// wrap; either must not kill the worker. Attribute it to the running invocation.
process.on('unhandledRejection', (reason) => {
  const invocation = currentInvocation();
  if (isLive(invocation)) {
    invocation.addLog('error', `Unhandled promise rejection: ${formatForLog([reason], invocation.filename)}`);
  }
});
process.on('uncaughtException', (error) => {
  const invocation = currentInvocation();
  if (invocation && invocation.active) invocation.fail(error);
});

const runner = new Runner(createSharedGlobals(), (id) => {
  // The time limit starts after the function's initialisation.
  ledger.running(id);
  port.postMessage({ type: 'compiled', id } satisfies WorkerToHost);
});

// Invocations run one at a time, in arrival order; the host may send many ahead.
const queue: InvokeMessage[] = [];
let queueHead = 0;
const cancelled = new Set<number>();
let running = false;
/** Set after a Timeout: the host is retiring this worker and re-runs anything sent here. */
let stopped = false;
/** While busy, let the event loop turn at least this often (host messages, cancels). */
const YIELD_INTERVAL_MS = 20;
/**
 * How often a running invocation's memory outside the heap is checked. The check runs
 * whenever the event loop turns (a fetch, a timer); guest code that never yields is
 * watched from the host side (pool.ts: process memory + this worker's heartbeat).
 */
const MEMORY_CHECK_MS = 10;

/** The invocation running now, or -1. */
let runningId = -1;
let memoryWatch: NodeJS.Timeout | null = null;

function checkMemory(): void {
  Atomics.add(heartbeat, 0, 1);
  if (runningId < 0 || stopped) return;
  // V8's heap limit (resourceLimits) covers the JavaScript heap only; ArrayBuffers,
  // Buffers and response bodies live outside it and are counted here.
  const externalBytes = v8.getHeapStatistics().external_memory;
  if (externalBytes <= externalLimitBytes) return;
  // Nothing more runs here: the host stops this worker and re-runs what is queued.
  stopped = true;
  queue.length = 0;
  queueHead = 0;
  flush();
  port.postMessage({ type: 'memoryExceeded', id: runningId, externalBytes } satisfies WorkerToHost);
}

function failureOutcome(err: unknown): Finished {
  // A bug in the runtime itself, not in guest code: report it as such.
  const text = err instanceof Error ? err.stack ?? err.message : String(err);
  const outcome: Outcome = {
    outcome: 'Bad Request',
    retryable: false,
    error: { name: 'RuntimeError', message: `fnstudio runtime failure: ${text}`, stack: text, frames: [] },
    logs: [],
    logsTruncated: false,
    requests: [],
    result: null,
    durationMs: 0,
  };
  return { category: outcome.outcome, json: JSON.stringify(outcome) };
}

function queued(): number {
  return queue.length - queueHead;
}

function takeNext(): InvokeMessage | undefined {
  const message = queue[queueHead];
  queue[queueHead++] = undefined as unknown as InvokeMessage;
  if (queueHead === queue.length) {
    queue.length = 0;
    queueHead = 0;
  }
  return message;
}

async function drain(): Promise<void> {
  running = true;
  memoryWatch ??= setInterval(checkMemory, MEMORY_CHECK_MS);
  while (queued() > 0 && !stopped) {
    const message = takeNext()!;
    if (cancelled.size > 0 && cancelled.delete(message.id)) continue;
    // Outcomes not yet reported are in the ledger, which the host reads if this invocation
    // never yields (a runaway loop, a long native call) or kills the worker: everything
    // before it still gets its own outcome, and the host stops the right invocation.
    Atomics.add(heartbeat, 0, 1);
    runningId = message.id;
    ledger.running(message.id);
    let outcome: Finished;
    try {
      outcome = await runner.run(message);
    } catch (err) {
      outcome = failureOutcome(err);
    }
    runningId = -1;
    ledger.idle();
    // Over its memory limit, the invocation's outcome is the host's to give.
    if (stopped) break;
    if (!ledger.record(message.id, outcome.category, outcome.json)) {
      // The ledger is full: report what it holds, then this one (alone if it never fits),
      // before anything else can go wrong.
      flush();
      if (!ledger.record(message.id, outcome.category, outcome.json)) report(encodeRecord(message.id, outcome.category, outcome.json));
    }
    // Should the next invocation wait for I/O a long time, this one's outcome goes out meanwhile.
    flushTimer ??= setTimeout(flush, YIELD_INTERVAL_MS);
    if (outcome.category === 'Timeout') {
      // The host retires this worker on a timeout and re-runs what is queued here
      // elsewhere: running any of it now would run it twice.
      stopped = true;
      queue.length = 0;
      queueHead = 0;
      flush();
      break;
    }
    if (queued() === 0) {
      flush();
    } else if (++sinceYield >= queued() || performance.now() - lastYieldAt >= YIELD_INTERVAL_MS) {
      // Invocations that never wait for I/O keep this loop from ever turning the event
      // loop, so nothing the host sends (more work, cancels) would arrive until the queue
      // ran dry: let it in now and then (and once half of what is queued here is done, so
      // the host refills before this worker runs dry). What finished goes out first.
      flush();
      sinceYield = 0;
      lastYieldAt = performance.now();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  running = false;
  if (memoryWatch) clearInterval(memoryWatch);
  memoryWatch = null;
}

let flushTimer: NodeJS.Timeout | null = null;
let sinceYield = 0;
let lastYieldAt = performance.now();
function flush(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  const records = ledger.copy();
  if (records === null) return;
  report(records);
  ledger.clear();
}

/**
 * Sends outcome records (the ledger's layout) to the pool. The buffer is copied, not
 * transferred: detaching an ArrayBuffer, once, makes V8 check for detached buffers in
 * every typed-array access of this thread from then on (Buffers, crypto, encoders).
 */
function report(records: Uint8Array): void {
  port.postMessage({ type: 'outcomes', records } satisfies WorkerToHost);
}

/** True when a shallow copy of these settings is the same as a structured clone. */
function isFlat(settings: Record<string, unknown>): boolean {
  if (Object.getPrototypeOf(settings) !== Object.prototype) return false;
  for (const key of Object.keys(settings)) {
    const value = settings[key];
    if (typeof value === 'object' && value !== null) return false;
  }
  return true;
}

function enqueue(chunk: InvocationChunk): void {
  const { ids, inputs, lengths, shared } = chunk;
  // One settings object came for the whole chunk: each invocation gets its own copy,
  // exactly as if it had travelled in its own message.
  const settings = shared.settings;
  const copy = isFlat(settings) ? () => ({ ...settings }) : () => structuredClone(settings);
  // Views into one buffer: the inputs stay outside the JavaScript heap until their turn.
  for (let i = 0, at = 0; i < ids.length; at += lengths[i++]) {
    queue.push({ id: ids[i], input: inputs.subarray(at, at + lengths[i]), settings: i === ids.length - 1 ? settings : copy(), shared });
  }
}

port.on('message', (message: HostToWorker) => {
  if (message.type === 'cancel') {
    for (let i = queueHead; i < queue.length; i++) if (message.ids.includes(queue[i].id)) cancelled.add(queue[i].id);
    return;
  }
  if (stopped || message.type !== 'invoke') return;
  for (const chunk of message.chunks) enqueue(chunk);
  if (!running) void drain();
});

port.postMessage({ type: 'ready', startupMs: Math.round(performance.now()) } satisfies WorkerToHost);
