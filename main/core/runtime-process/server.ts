/**
 * The runtime process side: serves one Runtime over a message port. Each call gets its
 * own AbortController so a `cancel` message stops exactly that run (or bulk).
 */
import { utf8Bytes, type InvokeRequest, type Runtime } from '../../../runtime/api';
import type { Outcome } from '../../contract/outcome';
import {
  decodeToRuntime,
  encodeFailure,
  encodeOutcome,
  encodeOutcomes,
  encodePrestarted,
  encodeRetire,
  salvageId,
  type FromRuntimeMessage,
} from './protocol';
import { SharedConfigurations } from './shared-config';

/** What the server needs from Electron's `process.parentPort`, Node's IPC channel, or a test port. */
export interface RuntimeServerPort {
  postMessage(message: FromRuntimeMessage): void;
  /** Registers the listener; receives the message data (already unwrapped). */
  onMessage(listener: (message: unknown) => void): void;
}

export interface RuntimeServer {
  /** Calls started and not yet answered. */
  pending(): number;
  /** Asks the host to replace this process (see the `retire` message). */
  retire(reason: string): void;
}

export function serveRuntime(runtime: Runtime, port: RuntimeServerPort): RuntimeServer {
  const running = new Map<number, AbortController>();
  const configurations = new SharedConfigurations();
  let retired = false;

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
    const { id } = message;
    if (running.has(id)) {
      port.postMessage(encodeFailure(id, new Error(`invocation id ${id} is already running`)));
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    const done = (): void => {
      running.delete(id);
    };
    if (message.type === 'invoke') {
      runtime.invoke(configurations.canonical(message.request), controller.signal).then(
        (outcome) => {
          done();
          port.postMessage(encodeOutcome(id, outcome));
        },
        (err: unknown) => {
          done();
          port.postMessage(encodeFailure(id, err));
        },
      );
      return;
    }
    serveMany(runtime, port, id, message.requests.map((request) => configurations.canonical(request)), controller.signal).then(done, (err: unknown) => {
      done();
      port.postMessage(encodeFailure(id, err));
    });
  });

  return {
    pending: () => running.size,
    retire(reason) {
      if (retired) return;
      retired = true;
      port.postMessage(encodeRetire(reason));
    },
  };
}

/**
 * Runs a bulk and streams its outcomes back as they finish, those of one turn of the
 * event loop in one message: whatever happens to this process later, an outcome it has
 * sent is never lost.
 */
function serveMany(runtime: Runtime, port: RuntimeServerPort, id: number, requests: InvokeRequest[], signal: AbortSignal): Promise<void> {
  let indexes: number[] = [];
  let outcomes: Uint8Array[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (indexes.length === 0) return;
    port.postMessage(encodeOutcomes(id, indexes, outcomes));
    indexes = [];
    outcomes = [];
  };
  const onOutcomeUtf8 = (index: number, utf8: Uint8Array): void => {
    indexes.push(index);
    outcomes.push(utf8);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const onOutcome = (index: number, outcome: Outcome): void => onOutcomeUtf8(index, utf8Bytes(JSON.stringify(outcome)));
  if (runtime.invokeEachUtf8) return runtime.invokeEachUtf8(requests, onOutcomeUtf8, signal).then(flush);
  if (runtime.invokeEach) return runtime.invokeEach(requests, onOutcome, signal).then(flush);
  if (runtime.invokeMany) {
    return runtime.invokeMany(requests, signal).then((all) => {
      all.forEach((outcome, index) => onOutcome(index, outcome));
      flush();
    });
  }
  return Promise.all(requests.map((request, index) => runtime.invoke(request, signal).then((outcome) => onOutcome(index, outcome)))).then(flush);
}
