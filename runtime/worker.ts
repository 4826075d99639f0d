/**
 * Entry of a sandbox worker thread. The first import locks the realm down; everything
 * after it sees frozen intrinsics. One invocation runs at a time.
 */
import './sandbox/lockdown';
import { parentPort } from 'node:worker_threads';
import { formatForLog } from './sandbox/console-facade';
import type { HostToWorker, WorkerToHost } from './protocol';
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

port.on('message', (message: HostToWorker) => {
  if (message.type !== 'invoke') return;
  runner.run(message).then(
    (outcome) => port.postMessage({ type: 'outcome', id: message.id, outcome } satisfies WorkerToHost),
    (err: unknown) => {
      // A bug in the runtime itself, not in guest code: report it as such.
      const text = err instanceof Error ? err.stack ?? err.message : String(err);
      port.postMessage({
        type: 'outcome',
        id: message.id,
        outcome: {
          outcome: 'Bad Request',
          retryable: false,
          error: { name: 'RuntimeError', message: `fnstudio runtime failure: ${text}`, stack: text, frames: [] },
          logs: [],
          logsTruncated: false,
          requests: [],
          result: null,
          durationMs: 0,
        },
      } satisfies WorkerToHost);
    },
  );
});

port.postMessage({ type: 'ready', startupMs: Math.round(performance.now()) } satisfies WorkerToHost);
