/**
 * Entry of a sandbox worker thread. The first import locks the realm down; everything
 * after it sees frozen intrinsics. One invocation runs at a time.
 */
import './sandbox/lockdown';
import { parentPort } from 'node:worker_threads';
import { formatForLog } from './sandbox/console-facade';
import type { HostToWorker, InvokeMessage, WorkerToHost } from './protocol';
import type { Outcome } from '../main/contract/outcome';
import { currentInvocation, isLive } from './sandbox/invocation';
import { Runner } from './sandbox/runner';
import { createSharedGlobals } from './sandbox/shared-globals';

if (!parentPort) throw new Error('runtime/worker.js must run as a worker thread');
const port = parentPort;

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

const runner = new Runner(createSharedGlobals());

// Invocations run one at a time, in arrival order; the host may send several ahead.
const queue: InvokeMessage[] = [];
const cancelled = new Set<number>();
let running = false;
/** Set after a Timeout: the host is retiring this worker and re-runs anything sent here. */
let stopped = false;
const FLUSH_EVERY = 8;

function failureOutcome(err: unknown): Outcome {
  // A bug in the runtime itself, not in guest code: report it as such.
  const text = err instanceof Error ? err.stack ?? err.message : String(err);
  return {
    outcome: 'Bad Request',
    retryable: false,
    error: { name: 'RuntimeError', message: `fnstudio runtime failure: ${text}`, stack: text, frames: [] },
    logs: [],
    logsTruncated: false,
    requests: [],
    result: null,
    durationMs: 0,
  };
}

async function drain(): Promise<void> {
  running = true;
  while (queue.length > 0) {
    const message = queue.shift()!;
    if (cancelled.delete(message.id)) continue;
    let outcome: Outcome;
    try {
      outcome = await runner.run(message);
    } catch (err) {
      outcome = failureOutcome(err);
    }
    finished.push({ id: message.id, outcome });
    if (outcome.outcome === 'Timeout') {
      // The host retires this worker on a timeout and re-runs what is queued here
      // elsewhere: running any of it now would run it twice.
      stopped = true;
      queue.length = 0;
      flush();
      break;
    }
    // Report when idle, and every few outcomes while busy so the host can send more
    // work before this worker runs dry.
    if (queue.length === 0 || finished.length >= FLUSH_EVERY) flush();
    else if (!flushScheduled) {
      // More work queued: let outcomes finished in this turn travel together.
      flushScheduled = true;
      setImmediate(flush);
    }
  }
  running = false;
}

// Outcomes finished within one turn of the event loop travel together.
let finished: Array<{ id: number; outcome: Outcome }> = [];
let flushScheduled = false;
function flush(): void {
  flushScheduled = false;
  if (finished.length === 0) return;
  const outcomes = finished;
  finished = [];
  port.postMessage({ type: 'outcomes', outcomes } satisfies WorkerToHost);
}

port.on('message', (message: HostToWorker) => {
  if (message.type === 'cancel') {
    if (queue.some((queued) => queued.id === message.id)) cancelled.add(message.id);
    return;
  }
  if (stopped) return;
  if (message.type === 'invoke') queue.push(message);
  else if (message.type === 'invoke-batch') queue.push(...message.invocations);
  else return;
  if (!running) void drain();
});

port.postMessage({ type: 'ready', startupMs: Math.round(performance.now()) } satisfies WorkerToHost);
