/**
 * The host side of the runtime: implements `Runtime` by talking to a separate process
 * over a message channel, so user code never runs in a host process. Every host uses it;
 * they differ only in how they start the process (`SpawnRuntime`: Electron's
 * utilityProcess, or child_process.fork in fork.ts). If that process dies, every call in
 * flight there resolves to an error outcome and the next call starts a fresh process; a
 * process that asks to be retired gets nothing more and is stopped once it has answered
 * what it already has.
 */
import type { InvokeRequest, Runtime } from '../../../runtime/api';
import type { Outcome } from '../../contract/outcome';
import { decodeFromRuntime, encodeCancel, encodeInvoke, encodeInvokeMany, encodePrestart, type ToRuntimeMessage } from './protocol';

/** One running runtime process, as the client sees it. */
export interface RuntimeChannel {
  postMessage(message: ToRuntimeMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has ended, for whatever reason. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
  /** Whether the process should keep the host's event loop alive (while calls are in flight). */
  setBusy?(busy: boolean): void;
}

export type SpawnRuntime = () => RuntimeChannel;

export interface RuntimeClientOptions {
  /** Told about messages that fail validation (the process is then restarted). */
  onProtocolError?: (error: Error) => void;
  /** Told when a process asked to be replaced (and why). */
  onRetire?: (reason: string) => void;
}

type Pending =
  | { kind: 'invoke'; resolve(outcome: Outcome): void; reject(error: Error): void; startedAt: number }
  | {
      kind: 'many';
      /** Outcomes by request index; holes are still running. */
      outcomes: Outcome[];
      left: number;
      resolve(outcomes: Outcome[]): void;
      reject(error: Error): void;
      startedAt: number;
    }
  | { kind: 'prestart'; resolve(startupMs: number[]): void; reject(error: Error): void };

/** One runtime process and the calls it owes an answer. */
interface Connection {
  channel: RuntimeChannel;
  pending: Map<number, Pending>;
  /** Asked to be replaced: gets no new calls, stopped once `pending` is empty. */
  retiring: boolean;
}

function namedError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** What a run shows when the runtime process died under it (e.g. out of memory). */
export function runtimeCrashOutcome(exitCode: number | null, durationMs: number): Outcome {
  const how = exitCode === null ? 'was killed' : `exited with code ${exitCode}`;
  return {
    outcome: 'Bad Request',
    retryable: false,
    error: {
      name: 'RuntimeCrashed',
      message:
        `The runtime process ${how} while this invocation was running ` +
        '(for example the function used more memory than the process has). It has been restarted; run again.',
      stack: '',
      frames: [],
    },
    logs: [],
    logsTruncated: false,
    requests: [],
    result: undefined,
    durationMs,
  };
}

class RuntimeClient implements Runtime {
  /** The process new calls go to. */
  private current: Connection | null = null;
  /** Every live process: the current one and any retiring ones still answering. */
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly spawn: SpawnRuntime,
    private readonly options: RuntimeClientOptions,
  ) {}

  invoke(request: InvokeRequest, signal?: AbortSignal): Promise<Outcome> {
    return this.call<Outcome>(signal, (id, resolve, reject) => ({
      pending: { kind: 'invoke', resolve, reject, startedAt: Date.now() },
      message: encodeInvoke(id, request),
    }));
  }

  invokeMany(requests: readonly InvokeRequest[], signal?: AbortSignal): Promise<Outcome[]> {
    const given: unknown = requests;
    if (!Array.isArray(given)) return Promise.reject(new TypeError('runtime: invokeMany needs an array of requests'));
    if (requests.length === 0 && !this.closed && !signal?.aborted) return Promise.resolve([]);
    return this.call<Outcome[]>(signal, (id, resolve, reject) => ({
      pending: { kind: 'many', outcomes: new Array<Outcome>(requests.length), left: requests.length, resolve, reject, startedAt: Date.now() },
      message: encodeInvokeMany(id, requests),
    }));
  }

  /** Sends one call to the current process and waits for its answer (or its process's end). */
  private call<T>(
    signal: AbortSignal | undefined,
    make: (id: number, resolve: (value: T) => void, reject: (error: Error) => void) => { pending: Pending; message: ToRuntimeMessage },
  ): Promise<T> {
    if (this.closed) return Promise.reject(namedError('RuntimeClosed', 'the runtime has been closed'));
    if (signal?.aborted) return Promise.reject(namedError('RunCancelled', 'the run was cancelled'));
    const id = this.nextId++;
    let connection: Connection;
    try {
      connection = this.ensureConnection();
    } catch (err) {
      return Promise.reject(namedError('RuntimeUnavailable', `could not start the runtime process: ${(err as Error).message}`));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.forget(connection, id)) return;
        // Best effort: the process may have died meanwhile.
        try {
          connection.channel.postMessage(encodeCancel(id));
        } catch {
          /* the exit handler deals with a dead channel */
        }
        reject(namedError('RunCancelled', 'the run was cancelled'));
      };
      const settle =
        <V>(fn: (v: V) => void) =>
        (v: V): void => {
          signal?.removeEventListener('abort', onAbort);
          fn(v);
        };
      const { pending, message } = make(id, settle(resolve), settle(reject));
      connection.pending.set(id, pending);
      this.updateBusy(connection);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        connection.channel.postMessage(message);
      } catch (err) {
        this.forget(connection, id);
        signal?.removeEventListener('abort', onAbort);
        reject(namedError('RuntimeUnavailable', `could not reach the runtime process: ${(err as Error).message}`));
      }
    });
  }

  /** Starts the runtime process and its workers ahead of the first run. */
  prestart(memoryMb?: number): Promise<number[]> {
    return this.call<number[]>(undefined, (id, resolve, reject) => ({
      pending: { kind: 'prestart', resolve, reject },
      message: encodePrestart(id, memoryMb),
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.current = null;
    for (const connection of [...this.connections]) {
      this.connections.delete(connection);
      for (const [id, p] of connection.pending) {
        connection.pending.delete(id);
        p.reject(namedError('RuntimeClosed', 'the runtime was closed while this invocation was running'));
      }
      connection.channel.kill();
    }
  }

  private ensureConnection(): Connection {
    if (this.current !== null) return this.current;
    const channel = this.spawn();
    const connection: Connection = { channel, pending: new Map(), retiring: false };
    this.current = connection;
    this.connections.add(connection);
    channel.onMessage((raw) => this.onMessage(connection, raw));
    channel.onExit((code) => this.onExit(connection, code));
    return connection;
  }

  /** Drops a call from its connection's books; false when it was not there (already answered). */
  private forget(connection: Connection, id: number): boolean {
    if (!connection.pending.delete(id)) return false;
    this.updateBusy(connection);
    return true;
  }

  private updateBusy(connection: Connection): void {
    if (connection.retiring && connection.pending.size === 0) {
      // It has answered everything it was given: stop it (its stuck thread with it).
      this.connections.delete(connection);
      connection.channel.kill();
      return;
    }
    connection.channel.setBusy?.(connection.pending.size > 0);
  }

  private onMessage(connection: Connection, raw: unknown): void {
    if (!this.connections.has(connection)) return;
    let message;
    try {
      message = decodeFromRuntime(raw);
    } catch (err) {
      // A process that speaks garbage cannot be trusted with further runs.
      this.options.onProtocolError?.(err as Error);
      connection.channel.kill();
      return;
    }
    if (message.type === 'retire') {
      this.options.onRetire?.(message.reason);
      connection.retiring = true;
      if (this.current === connection) this.current = null;
      this.updateBusy(connection);
      return;
    }
    const p = connection.pending.get(message.id);
    if (p === undefined) return; // cancelled or already answered
    if (message.type === 'outcomes' && p.kind === 'many') {
      for (let i = 0; i < message.indexes.length; i++) {
        const index = message.indexes[i];
        if (index >= p.outcomes.length || p.outcomes[index] !== undefined) continue;
        p.outcomes[index] = message.outcomes[i];
        p.left--;
      }
      if (p.left > 0) return;
      this.forget(connection, message.id);
      p.resolve(p.outcomes);
      return;
    }
    this.forget(connection, message.id);
    if (message.type === 'failed') p.reject(namedError(message.error.name, message.error.message));
    else if (message.type === 'outcome' && p.kind === 'invoke') p.resolve(message.outcome);
    else if (message.type === 'prestarted' && p.kind === 'prestart') p.resolve(message.startupMs);
    else p.reject(namedError('RuntimeProtocolError', `runtime answered request ${message.id} with a "${message.type}" message`));
  }

  private onExit(connection: Connection, code: number | null): void {
    if (this.current === connection) this.current = null;
    if (!this.connections.delete(connection)) return;
    const now = Date.now();
    for (const [id, p] of connection.pending) {
      connection.pending.delete(id);
      if (p.kind === 'invoke') p.resolve(runtimeCrashOutcome(code, now - p.startedAt));
      else if (p.kind === 'many') {
        // What the process answered before it died stands; the rest were in flight there.
        for (let i = 0; i < p.outcomes.length; i++) p.outcomes[i] ??= runtimeCrashOutcome(code, now - p.startedAt);
        p.resolve(p.outcomes);
      } else p.reject(namedError('RuntimeCrashed', `the runtime process ${code === null ? 'was killed' : `exited with code ${code}`} while starting`));
    }
  }
}

/** A Runtime backed by processes from `spawn`, started lazily and restarted after a crash. */
export function createRuntimeClient(spawn: SpawnRuntime, options: RuntimeClientOptions = {}): Runtime {
  return new RuntimeClient(spawn, options);
}
