/**
 * The main process side of the runtime: implements `Runtime` by talking to a separate
 * process (Electron's utilityProcess) so user code never runs in the main process.
 * If that process dies, pending invocations resolve to an error outcome and the next
 * invocation starts a fresh process.
 */
import type { InvokeRequest, Runtime } from '../../runtime/api';
import type { Outcome } from '../contract/outcome';
import { decodeFromRuntime, encodeCancel, encodeInvoke, encodePrestart, type ToRuntimeMessage } from './runtime-protocol';

/** One running runtime process, as the client sees it. */
export interface RuntimeChannel {
  postMessage(message: ToRuntimeMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has ended, for whatever reason. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnRuntime = () => RuntimeChannel;

export interface RuntimeClientOptions {
  /** Told about messages that fail validation (the process is then restarted). */
  onProtocolError?: (error: Error) => void;
}

type Pending =
  | { kind: 'invoke'; resolve(outcome: Outcome): void; reject(error: Error): void; startedAt: number }
  | { kind: 'prestart'; resolve(startupMs: number[]): void; reject(error: Error): void };

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
  private channel: RuntimeChannel | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly spawn: SpawnRuntime,
    private readonly options: RuntimeClientOptions,
  ) {}

  invoke(request: InvokeRequest, signal?: AbortSignal): Promise<Outcome> {
    if (this.closed) return Promise.reject(namedError('RuntimeClosed', 'the runtime has been closed'));
    if (signal?.aborted) return Promise.reject(namedError('RunCancelled', 'the run was cancelled'));
    const id = this.nextId++;
    let channel: RuntimeChannel;
    try {
      channel = this.ensureChannel();
    } catch (err) {
      return Promise.reject(namedError('RuntimeUnavailable', `could not start the runtime process: ${(err as Error).message}`));
    }
    return new Promise<Outcome>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.pending.delete(id)) return;
        // Best effort: the process may have died meanwhile.
        if (this.channel === channel) {
          try {
            channel.postMessage(encodeCancel(id));
          } catch {
            /* the exit handler deals with a dead channel */
          }
        }
        reject(namedError('RunCancelled', 'the run was cancelled'));
      };
      const settle = <T>(fn: (v: T) => void) => (v: T): void => {
        signal?.removeEventListener('abort', onAbort);
        fn(v);
      };
      this.pending.set(id, { kind: 'invoke', resolve: settle(resolve), reject: settle(reject), startedAt: Date.now() });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        channel.postMessage(encodeInvoke(id, request));
      } catch (err) {
        this.pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        reject(namedError('RuntimeUnavailable', `could not reach the runtime process: ${(err as Error).message}`));
      }
    });
  }

  /** Starts the runtime process and its workers ahead of the first run. */
  prestart(memoryMb?: number): Promise<number[]> {
    if (this.closed) return Promise.reject(namedError('RuntimeClosed', 'the runtime has been closed'));
    const id = this.nextId++;
    return new Promise<number[]>((resolve, reject) => {
      try {
        const channel = this.ensureChannel();
        this.pending.set(id, { kind: 'prestart', resolve, reject });
        channel.postMessage(encodePrestart(id, memoryMb));
      } catch (err) {
        this.pending.delete(id);
        reject(namedError('RuntimeUnavailable', `could not start the runtime process: ${(err as Error).message}`));
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const channel = this.channel;
    this.channel = null;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(namedError('RuntimeClosed', 'the runtime was closed while this invocation was running'));
    }
    channel?.kill();
  }

  private ensureChannel(): RuntimeChannel {
    if (this.channel !== null) return this.channel;
    const channel = this.spawn();
    this.channel = channel;
    channel.onMessage((raw) => this.onMessage(channel, raw));
    channel.onExit((code) => this.onExit(channel, code));
    return channel;
  }

  private onMessage(channel: RuntimeChannel, raw: unknown): void {
    if (channel !== this.channel) return;
    let message;
    try {
      message = decodeFromRuntime(raw);
    } catch (err) {
      // A process that speaks garbage cannot be trusted with further runs.
      this.options.onProtocolError?.(err as Error);
      channel.kill();
      return;
    }
    const p = this.pending.get(message.id);
    if (p === undefined) return; // cancelled or already answered
    this.pending.delete(message.id);
    if (message.type === 'failed') p.reject(namedError(message.error.name, message.error.message));
    else if (message.type === 'outcome' && p.kind === 'invoke') p.resolve(message.outcome);
    else if (message.type === 'prestarted' && p.kind === 'prestart') p.resolve(message.startupMs);
    else p.reject(namedError('RuntimeProtocolError', `runtime answered request ${message.id} with a "${message.type}" message`));
  }

  private onExit(channel: RuntimeChannel, code: number | null): void {
    if (channel !== this.channel) return;
    this.channel = null;
    const now = Date.now();
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      if (p.kind === 'invoke') p.resolve(runtimeCrashOutcome(code, now - p.startedAt));
      else p.reject(namedError('RuntimeCrashed', `the runtime process ${code === null ? 'was killed' : `exited with code ${code}`} while starting`));
    }
  }
}

/** A Runtime backed by processes from `spawn`, started lazily and restarted after a crash. */
export function createRuntimeClient(spawn: SpawnRuntime, options: RuntimeClientOptions = {}): Runtime {
  return new RuntimeClient(spawn, options);
}
