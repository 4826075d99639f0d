/**
 * Messages between the pool (host side) and a sandbox worker. Everything here is
 * structured-clone data; the worker never receives functions or host objects.
 */
import type { Outcome } from '../main/contract/outcome';
import type { NetworkOptions } from '../main/contract/mock';

export interface InvokeMessage {
  type: 'invoke';
  id: number;
  functionId: string;
  code: string;
  filename: string;
  input: unknown;
  settings: Record<string, unknown>;
  network: NetworkOptions;
  timeoutMs: number;
}

/** Drops a queued invocation the worker has not started. */
export interface CancelMessage {
  type: 'cancel';
  id: number;
}

/** Several invocations in one message: one thread hand-off for many events. */
export interface InvokeBatchMessage {
  type: 'invoke-batch';
  invocations: InvokeMessage[];
}

export type HostToWorker = InvokeMessage | InvokeBatchMessage | CancelMessage;

export interface ReadyMessage {
  type: 'ready';
  /** Milliseconds from worker start to ready (lockdown + globals). */
  startupMs: number;
}

export interface OutcomeMessage {
  type: 'outcome';
  id: number;
  outcome: Outcome;
}

/** Outcomes finished in one turn of the worker's event loop, in order. */
export interface OutcomesMessage {
  type: 'outcomes';
  outcomes: Array<{ id: number; outcome: Outcome }>;
}

export type WorkerToHost = ReadyMessage | OutcomeMessage | OutcomesMessage;
