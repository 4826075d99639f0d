/**
 * Test-only runtime process: serves a scripted Runtime over Node's IPC channel so the
 * RuntimeClient can be tested against a real process that really dies. `code` picks
 * the behaviour.
 */
import type { InvokeRequest, Runtime } from '../../../../runtime/api';
import type { Outcome } from '../../../contract/outcome';
import { serveRuntime } from '../server';

function success(result: unknown): Outcome {
  return { outcome: 'Success', retryable: false, error: null, logs: [], logsTruncated: false, requests: [], result, durationMs: 1 };
}

const scripted: Runtime = {
  invoke(request: InvokeRequest, signal?: AbortSignal): Promise<Outcome> {
    switch (request.code) {
      case 'echo':
        return Promise.resolve(success({ input: request.input, pid: process.pid }));
      case 'crash':
        setTimeout(() => process.exit(7), 10);
        return new Promise(() => undefined);
      case 'garbage':
        process.send?.({ type: 'outcome', id: 'not-a-number', outcome: {} });
        return new Promise(() => undefined);
      case 'hang':
        return new Promise((_, reject) => {
          signal?.addEventListener('abort', () => {
            const err = new Error('aborted in child');
            err.name = 'RunCancelled';
            reject(err);
          });
        });
      default:
        return Promise.reject(new Error(`unknown script ${request.code}`));
    }
  },
  close: () => Promise.resolve(),
};

serveRuntime(scripted, {
  postMessage: (m) => process.send?.(m),
  onMessage: (l) => process.on('message', l),
});
