/**
 * The runtime process side: serves one Runtime over a message port. Each invocation
 * gets its own AbortController so a `cancel` message stops exactly that run.
 */
import type { Runtime } from '../../runtime/api';
import {
  decodeToRuntime,
  encodeFailure,
  encodeOutcome,
  encodePrestarted,
  salvageId,
  type FromRuntimeMessage,
} from './runtime-protocol';

/** What the server needs from Electron's `process.parentPort` (or a test port). */
export interface RuntimeServerPort {
  postMessage(message: FromRuntimeMessage): void;
  /** Registers the listener; receives the message data (already unwrapped). */
  onMessage(listener: (message: unknown) => void): void;
}

export interface RuntimeServer {
  /** Invocations started and not yet answered. */
  pending(): number;
}

export function serveRuntime(runtime: Runtime, port: RuntimeServerPort): RuntimeServer {
  const running = new Map<number, AbortController>();

  port.onMessage((raw) => {
    let message;
    try {
      message = decodeToRuntime(raw);
    } catch (err) {
      const id = salvageId(raw);
      if (id !== null) port.postMessage(encodeFailure(id, err));
      else process.stderr.write(`fnstudio runtime: ${(err as Error).message}\n`);
      return;
    }
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    if (message.type === 'prestart') {
      const { id } = message;
      // prestart is optional on Runtime: nothing to warm means nothing to wait for.
      Promise.resolve(runtime.prestart ? runtime.prestart(message.memoryMb) : []).then(
        (startupMs) => port.postMessage(encodePrestarted(id, startupMs)),
        (err: unknown) => port.postMessage(encodeFailure(id, err)),
      );
      return;
    }
    const { id, request } = message;
    if (running.has(id)) {
      port.postMessage(encodeFailure(id, new Error(`invocation id ${id} is already running`)));
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    runtime.invoke(request, controller.signal).then(
      (outcome) => {
        running.delete(id);
        port.postMessage(encodeOutcome(id, outcome));
      },
      (err: unknown) => {
        running.delete(id);
        port.postMessage(encodeFailure(id, err));
      },
    );
  });

  return { pending: () => running.size };
}
