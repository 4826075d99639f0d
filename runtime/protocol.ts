/**
 * Messages between the pool (host side) and a sandbox worker. Everything here is
 * structured-clone data; the worker never receives functions or host objects.
 */
import type { NetworkOptions } from '../common/mock';

/** What the invocations of one function with one configuration have in common. */
export interface InvocationShared {
  functionId: string;
  code: string;
  filename: string;
  settings: Record<string, unknown>;
  network: NetworkOptions;
  timeoutMs: number;
}

/** One invocation as the worker runs it. */
export interface InvokeMessage {
  id: number;
  /** The event or batch as JSON text in UTF-8, parsed when its turn comes (as Segment receives it). */
  input: Uint8Array;
  /** This invocation's own copy: guest code may change it without affecting the next. */
  settings: Record<string, unknown>;
  shared: InvocationShared;
}

/**
 * Invocations sharing one configuration: the code, settings and mock rules travel (and
 * are cloned) once for all of them. `ids[i]` runs the next `lengths[i]` bytes of `inputs`
 * (the inputs' JSON texts in UTF-8, in one buffer: bytes the garbage collector never
 * has to copy), in order.
 */
export interface InvocationChunk {
  ids: number[];
  inputs: Uint8Array;
  lengths: number[];
  shared: InvocationShared;
}

/** Invocations for the worker's queue, run in the order given. */
export interface InvokeChunksMessage {
  type: 'invoke';
  chunks: InvocationChunk[];
}

/** Drops queued invocations the worker has not started. */
export interface CancelMessage {
  type: 'cancel';
  ids: number[];
}

export type HostToWorker = InvokeChunksMessage | CancelMessage;

export interface ReadyMessage {
  type: 'ready';
  /** Milliseconds from worker start to ready (lockdown + globals). */
  startupMs: number;
}

/**
 * Outcomes finished since the last report, in order: records in the ledger's layout
 * (outcome-ledger.ts: id, category, the outcome's JSON text in UTF-8). Each outcome is
 * encoded as soon as it is finished and written to the ledger at once; the report is a
 * copy of the ledger, and a host that forwards outcomes (the runtime process) passes the
 * bytes on without decoding them.
 */
export interface OutcomesMessage {
  type: 'outcomes';
  records: Uint8Array;
}

/**
 * The invocation `id` has just compiled its function (a new instance: the script's
 * top-level code has run). Its time limit starts now, on both sides: compiling and the
 * script's top-level code are the function's initialisation, which a Lambda does not
 * count against the invocation's timeout.
 */
export interface CompiledMessage {
  type: 'compiled';
  id: number;
}

/**
 * The running invocation `id` holds more memory outside the JavaScript heap (ArrayBuffers,
 * Buffers, response bodies) than the limit allows. The worker runs nothing more; the host
 * stops it and gives that invocation a memory-limit outcome.
 */
export interface MemoryExceededMessage {
  type: 'memoryExceeded';
  id: number;
  externalBytes: number;
}

export type WorkerToHost = ReadyMessage | OutcomesMessage | CompiledMessage | MemoryExceededMessage;

/** What a worker is started with (its `workerData`). */
export interface WorkerSetup {
  /** The memory limit: the old generation's size, and separately the memory outside the heap. */
  memoryMb: number;
  /**
   * One Int32 the worker bumps whenever its own code runs (each invocation start, each
   * memory check): a value that stops moving while an invocation runs means guest code
   * has held the thread for a while (a sync loop, a long native call).
   */
  heartbeat: SharedArrayBuffer;
  /** Outcomes finished and not yet reported, and the running invocation (outcome-ledger.ts). */
  ledger: SharedArrayBuffer;
}
