/**
 * The worker pool: N sandbox worker threads. Each worker runs one invocation at a time,
 * in arrival order; when every worker is busy, further invocations are pipelined to the
 * workers (a few each) so a worker never waits for the host between two events — a
 * thread hand-off per event is what makes a pool slow on a loaded machine.
 * Routes an invocation to a worker where its function is already warm, enforces the time
 * limit of the running invocation by terminating its worker (queued ones move to another
 * worker), maps a worker killed by its heap limit to a memory-limit outcome, and replaces
 * dead workers on demand. Bulk jobs (`submitMany`, for replay-like work) are pipelined
 * deeper, so a worker gets and returns many events per message.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Outcome, OutcomeCategory } from '../common/outcome';
import { isRetryable } from '../common/outcome';
import type { HostToWorker, InvocationChunk, InvocationShared, WorkerSetup, WorkerToHost } from './protocol';
import { createLedgerBuffer, LedgerReader, readRecords } from './outcome-ledger';
import { formatStack } from './sandbox/error-report';
import { processMemoryBytes } from './process-memory';
import { packTexts, utf8Bytes, utf8Text, type JsonText } from './utf8-texts';

/** How long past the time limit the host waits for the worker's own Timeout report. */
const HARD_KILL_GRACE_MS = 400;
/**
 * A terminated worker that has not exited after this long is stuck outside JavaScript
 * (a long native call): terminating a thread only takes effect when it runs JavaScript.
 */
const STUCK_AFTER_MS = 1000;
/** How soon a watchdog looks again when a worker's report is on its way. */
const LEDGER_RECHECK_MS = 20;
/** How often the process's memory is sampled while invocations run. */
const MEMORY_SAMPLE_MS = 50;
/**
 * Process memory allowed per worker beyond what the process used with every worker idle:
 * the worker's own limit twice (its heap, and its memory outside the heap), plus its young
 * generation and code.
 */
const WORKER_SLACK_MB = 64;
/** Growth between two samples that marks memory as being allocated right now. */
const GROWING_BYTES = 4 * 1024 * 1024;
const WARM_ENTRIES_PER_WORKER = 32;
/** Invocations sent ahead to a busy worker. */
const PIPELINE_DEPTH = 16;
/**
 * Bulk invocations sent ahead to a busy worker. The worker reports when half of its queue
 * is done, so this sets how many outcomes travel per message (a thread hand-off costs as
 * much as running several events).
 */
const BULK_PIPELINE_DEPTH = 128;

function resolveWorkerPath(): string {
  const beside = path.join(__dirname, 'worker.js');
  if (existsSync(beside)) return beside;
  const built = path.resolve(__dirname, '..', 'out', 'runtime', 'worker.js');
  if (existsSync(built)) return built;
  throw new Error(`fnstudio runtime: the sandbox worker is not built (looked for ${beside} and ${built}); run \`npm run build:node\``);
}

export function cancelledError(): Error {
  const error = new Error('the run was cancelled');
  error.name = 'RunCancelled';
  return error;
}

function memoryOutcome(memoryMb: number, durationMs: number, what = ''): Outcome {
  return hostOutcome('Bad Request', 'MemoryLimitExceeded', `the function exceeded the memory limit of ${memoryMb} MB${what} and was stopped`, durationMs);
}

export function hostOutcome(category: OutcomeCategory, name: string, message: string, durationMs = 0): Outcome {
  return {
    outcome: category,
    retryable: isRetryable(category),
    error: { name, message, stack: formatStack(name, message, [], ''), frames: [] },
    logs: [],
    logsTruncated: false,
    requests: [],
    result: null,
    durationMs,
  };
}

export interface PoolJob {
  /** Share one object between jobs of the same configuration: it travels once per message. */
  shared: InvocationShared;
  /** The event or batch as JSON text (checked; see encodeInput). */
  input: JsonText;
  memoryMb: number;
  resolve: (outcome: Outcome) => void;
  reject: (error: Error) => void;
}

/** What one invocation of a bulk (submitMany) runs; its outcome goes to the bulk's receiver. */
export interface PoolBulkItem {
  shared: InvocationShared;
  input: JsonText;
  memoryMb: number;
}

/** Receives a bulk's outcomes by the item's index (one object per bulk, not closures per item). */
export interface PoolBulkReceiver {
  resolve(index: number, outcome: Outcome): void;
  /**
   * Given, outcomes arrive here instead of `resolve`, as their JSON text in UTF-8 (a view
   * into a buffer nothing else writes to): a caller that only forwards outcomes need not
   * decode or parse them.
   */
  resolveUtf8?: (index: number, utf8: Uint8Array) => void;
  reject(index: number, error: Error): void;
}

/** A bulk's abort listener, removed with its last item to settle. */
interface BulkState {
  receiver: PoolBulkReceiver;
  left: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** A submitted invocation: either a single job or item `index` of a bulk. */
class RunningJob {
  settled = false;
  onAbort: (() => void) | undefined = undefined;

  constructor(
    readonly shared: InvocationShared,
    readonly input: JsonText,
    readonly memoryMb: number,
    readonly id: number,
    readonly single: PoolJob | null,
    readonly bulk: BulkState | null,
    readonly index: number,
    readonly signal: AbortSignal | undefined,
  ) {}

  /** Settles with an outcome as the sandbox wrote it. */
  resolveUtf8(utf8: Uint8Array): void {
    const receiver = this.bulk?.receiver;
    if (receiver?.resolveUtf8) receiver.resolveUtf8(this.index, utf8);
    else this.resolveParsed(JSON.parse(utf8Text(utf8)) as Outcome);
  }

  /** Settles with an outcome made in this thread. */
  resolve(outcome: Outcome): void {
    const receiver = this.bulk?.receiver;
    if (receiver?.resolveUtf8) receiver.resolveUtf8(this.index, utf8Bytes(JSON.stringify(outcome)));
    else this.resolveParsed(outcome);
  }

  private resolveParsed(outcome: Outcome): void {
    if (this.bulk) this.bulk.receiver.resolve(this.index, outcome);
    else this.single!.resolve(outcome);
  }

  reject(error: Error): void {
    if (this.bulk) this.bulk.receiver.reject(this.index, error);
    else this.single!.reject(error);
  }
}

interface Slot {
  worker: Worker;
  memoryMb: number;
  ready: boolean;
  startedAt: number;
  startupMs: number | null;
  /** Jobs sent to (or waiting for) this worker, in the order it runs them; [0] is running. */
  jobs: RunningJob[];
  /** When jobs[0] started (approximately: when its predecessor's outcome arrived). */
  headStartedAt: number;
  watchdog: NodeJS.Timeout | null;
  /** functionId → code last run there (a routing preference only). */
  warm: Map<string, string>;
  dead: boolean;
  readyWaiters: Array<() => void>;
  /** Bumped by the worker whenever its own code runs (see WorkerSetup). */
  heartbeat: Int32Array;
  /** Heartbeat seen at the last memory sample. */
  lastBeat: number;
  /** What the worker finished and has not reported yet, and what it runs now. */
  ledger: LedgerReader;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue = new JobQueue();
  private nextId = 1;
  private closed = false;
  private scheduleQueued = false;
  private readonly workerPath = resolveWorkerPath();
  private memorySampler: NodeJS.Timeout | null = null;
  /** Process memory (processMemoryBytes) with no invocation running, measured when a worker becomes ready idle. */
  private idleRss = 0;
  private lastRss = 0;

  constructor(
    readonly size: number = Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    private readonly onStuckWorker: (reason: string) => void = () => {},
  ) {
    if (!Number.isInteger(size) || size < 1) throw new TypeError(`runtime: workers must be a positive integer, got ${String(size)}`);
  }

  /** Starts every worker now (instead of on first use); resolves with each one's startup time. */
  async prestart(memoryMb: number): Promise<number[]> {
    while (this.slots.length < this.size) this.spawn(memoryMb);
    await Promise.all(this.slots.filter((slot) => !slot.ready).map((slot) => new Promise<void>((resolve) => slot.readyWaiters.push(resolve))));
    return this.slots.map((slot) => slot.startupMs ?? -1);
  }

  submit(job: PoolJob, signal?: AbortSignal): void {
    if (this.closed) {
      job.reject(new Error('runtime: the runtime is closed'));
      return;
    }
    const running = new RunningJob(job.shared, job.input, job.memoryMb, this.nextId++, job, null, -1, signal);
    if (signal) {
      running.onAbort = () => this.cancel(running);
      signal.addEventListener('abort', running.onAbort, { once: true });
    }
    this.queue.push(running);
    this.scheduleSoon();
  }

  /**
   * Submits jobs that travel and run as a bulk (in order, pipelined deeply); item i's
   * outcome goes to `receiver` with index i. One abort listener serves them all: aborting
   * settles every unfinished one with RunCancelled.
   */
  submitMany(items: readonly PoolBulkItem[], receiver: PoolBulkReceiver, signal?: AbortSignal): void {
    if (this.closed) {
      for (let i = 0; i < items.length; i++) receiver.reject(i, new Error('runtime: the runtime is closed'));
      return;
    }
    const bulk: BulkState = { receiver, left: items.length, signal, onAbort: undefined };
    const running = items.map((item, index) => new RunningJob(item.shared, item.input, item.memoryMb, this.nextId++, null, bulk, index, undefined));
    if (signal) {
      bulk.onAbort = () => this.cancelMany(running);
      signal.addEventListener('abort', bulk.onAbort, { once: true });
    }
    for (const job of running) this.queue.push(job);
    this.scheduleSoon();
  }

  private scheduleSoon(): void {
    // Invocations submitted in the same turn (e.g. callers reacting to a batch of
    // outcomes) are dispatched together, in one message per worker.
    if (!this.scheduleQueued) {
      this.scheduleQueued = true;
      queueMicrotask(() => {
        this.scheduleQueued = false;
        this.schedule();
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.memorySampler) clearInterval(this.memorySampler);
    this.memorySampler = null;
    for (const job of this.queue.takeAll()) if (this.settle(job)) job.reject(new Error('runtime: closed before the run started'));
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        slot.dead = true;
        this.stopWatchdog(slot);
        for (const job of slot.jobs.splice(0)) if (this.settle(job)) job.reject(new Error('runtime: closed while the run was in progress'));
        return terminated(slot.worker);
      }),
    );
  }

  private spawn(memoryMb: number): Slot {
    const heartbeat = new SharedArrayBuffer(4);
    const ledger = createLedgerBuffer();
    const worker = new Worker(this.workerPath, {
      // No host environment for guest code, even in the worst case.
      env: {},
      workerData: { memoryMb, heartbeat, ledger } satisfies WorkerSetup,
      // The memory limit is the old generation's: what a function keeps. The young
      // generation stays at V8's default (48 MB), which holds an event's garbage; a
      // smaller one makes a busy worker spend a tenth of its time collecting.
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    });
    const slot: Slot = {
      worker,
      memoryMb,
      ready: false,
      startedAt: performance.now(),
      startupMs: null,
      jobs: [],
      headStartedAt: 0,
      watchdog: null,
      warm: new Map(),
      dead: false,
      readyWaiters: [],
      heartbeat: new Int32Array(heartbeat),
      lastBeat: -1,
      ledger: new LedgerReader(ledger),
    };
    // Referenced while starting (someone is waiting for it); unreferenced when idle.
    let failure: Error | null = null;
    worker.on('message', (message: WorkerToHost) => this.onMessage(slot, message));
    worker.on('error', (err) => {
      failure = err;
    });
    worker.on('exit', (code) => this.onExit(slot, code, failure));
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, message: WorkerToHost): void {
    if (message.type === 'memoryExceeded') {
      const head = slot.jobs[0];
      if (slot.dead) return;
      if (head?.id !== message.id) {
        // Not expected (outcomes before it were reported first), but that worker runs
        // nothing more: what was queued there runs elsewhere.
        this.retire(slot, false);
        this.schedule();
        return;
      }
      const elapsed = Math.round(performance.now() - slot.headStartedAt);
      this.retire(slot, true);
      const mb = Math.round(message.externalBytes / (1024 * 1024));
      this.deliver(head, memoryOutcome(slot.memoryMb, elapsed, ` (it held ${mb} MB outside the JavaScript heap: ArrayBuffers, Buffers, response bodies)`));
      this.schedule();
      return;
    }
    if (message.type === 'ready') {
      slot.ready = true;
      if (this.slots.every((s) => s.jobs.length === 0)) this.idleRss = Math.max(this.idleRss, processMemoryBytes());
      slot.startupMs = Math.round(performance.now() - slot.startedAt);
      // The worker's own start (slow on a loaded machine) is not the invocation's time.
      if (slot.jobs.length > 0) slot.headStartedAt = performance.now();
      for (const resolve of slot.readyWaiters.splice(0)) resolve();
      this.post(slot, slot.jobs);
      this.armWatchdog(slot); // also unreferences the worker when it has nothing to do
      this.schedule();
      return;
    }
    if (message.type === 'compiled') {
      // The running invocation's time limit starts after its function's initialisation.
      if (slot.jobs[0]?.id === message.id && !slot.dead) {
        slot.headStartedAt = performance.now();
        this.armWatchdog(slot);
      }
      return;
    }
    for (const record of readRecords(message.records)) this.complete(slot, record.id, record.utf8, record.category);
    if (!slot.dead) this.armWatchdog(slot);
    this.schedule();
  }

  private complete(slot: Slot, id: number, utf8: Uint8Array, category: OutcomeCategory): void {
    const index = slot.jobs[0]?.id === id ? 0 : slot.jobs.findIndex((job) => job.id === id);
    if (index < 0) return; // cancelled while queued in the worker
    // The worker runs in order: anything before this one was cancelled and skipped.
    const job = index === 0 ? slot.jobs.shift()! : slot.jobs.splice(0, index + 1)[index];
    slot.headStartedAt = performance.now();
    if (category === 'Timeout') {
      // As on Lambda, a timed-out instance is not reused: its state may be half-updated.
      this.retire(slot, false);
    } else {
      const { functionId, code } = job.shared;
      if (slot.warm.get(functionId) !== code || slot.warm.size > 1) {
        slot.warm.delete(functionId);
        slot.warm.set(functionId, code);
      }
      if (slot.warm.size > WARM_ENTRIES_PER_WORKER) slot.warm.delete(slot.warm.keys().next().value as string);
    }
    if (this.settle(job)) job.resolveUtf8(utf8);
  }

  private onExit(slot: Slot, code: number, failure: Error | null): void {
    const wasRetired = slot.dead;
    // What it finished before it died keeps its outcomes; the invocation it died in is the head.
    if (!wasRetired && slot.ready) this.catchUp(slot);
    slot.dead = true;
    this.stopWatchdog(slot);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    for (const resolve of slot.readyWaiters.splice(0)) resolve();
    const jobs = slot.jobs.splice(0);
    if (!wasRetired && jobs.length > 0 && slot.ready) {
      const head = jobs.shift()!;
      const elapsed = Math.round(performance.now() - slot.headStartedAt);
      const outOfMemory = (failure as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const outcome = outOfMemory
        ? memoryOutcome(slot.memoryMb, elapsed)
        : hostOutcome('Bad Request', 'RuntimeError', `the sandbox worker stopped unexpectedly (exit code ${code}${failure ? `: ${failure.message}` : ''})`, elapsed);
      this.deliver(head, outcome);
    } else if (!wasRetired && jobs.length > 0 && !slot.ready) {
      // The worker could not even start: fail the first job with the reason, retry the rest.
      const head = jobs.shift()!;
      this.deliver(head, hostOutcome('Bad Request', 'RuntimeError', `the sandbox worker failed to start (exit code ${code}${failure ? `: ${failure.message}` : ''})`));
    }
    // Jobs that had not started yet run elsewhere.
    this.queue.prepend(jobs.filter((job) => !job.settled));
    if (!this.closed) this.schedule();
  }

  /**
   * Terminates a worker. Jobs that never started there go back to the front of the queue,
   * in order; `slot.jobs[0]`, when `headRunning`, is the caller's to settle.
   */
  private retire(slot: Slot, headRunning: boolean, keep = headRunning ? 1 : 0): void {
    if (slot.dead) return;
    slot.dead = true;
    this.stopWatchdog(slot);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    const jobs = slot.jobs.splice(0);
    // `keep` > 1: the ones before the running one finished, their report on its way.
    const kept = jobs.splice(0, keep);
    this.queue.prepend(jobs.filter((job) => !job.settled));
    slot.jobs.push(...kept);
    const stuck = setTimeout(() => {
      this.onStuckWorker(
        `a sandbox worker did not stop within ${STUCK_AFTER_MS} ms of being terminated (the function is stuck in a native call, e.g. a long key derivation or hash)`,
      );
    }, STUCK_AFTER_MS);
    stuck.unref();
    void slot.worker.terminate().finally(() => clearTimeout(stuck));
  }

  /** Settles a job with an outcome made here (not by its worker). */
  private deliver(job: RunningJob, outcome: Outcome): void {
    if (this.settle(job)) job.resolve(outcome);
  }

  /** Marks a job settled; false when it already was (then nothing more may reach its caller). */
  private settle(job: RunningJob): boolean {
    if (job.settled) return false;
    job.settled = true;
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    const { bulk } = job;
    // The bulk's listener goes with its last job to settle.
    if (bulk && --bulk.left === 0 && bulk.signal && bulk.onAbort) bulk.signal.removeEventListener('abort', bulk.onAbort);
    return true;
  }

  private cancel(job: RunningJob): void {
    if (job.settled) return;
    // A cancelled job still in the queue is skipped when its turn comes.
    const slot = this.slots.find((s) => s.jobs.includes(job));
    if (slot?.ready) {
      // Only the invocation running now stops its worker: not one that has finished unreported.
      this.catchUp(slot);
      if (job.settled) return;
    }
    if (slot && !slot.dead) {
      if (slot.ready && this.runningJob(slot) === job) {
        // The running invocation: stop its worker (what was queued behind it runs elsewhere).
        this.retire(slot, true, slot.jobs.indexOf(job) + 1);
      } else {
        slot.jobs.splice(slot.jobs.indexOf(job), 1);
        if (slot.ready) slot.worker.postMessage({ type: 'cancel', ids: [job.id] } satisfies HostToWorker);
      }
    }
    if (this.settle(job)) job.reject(cancelledError());
    this.schedule();
  }

  /** Cancels many jobs at once (an aborted bulk), without a scan per job. */
  private cancelMany(jobs: readonly RunningJob[]): void {
    const cancelled = new Set<RunningJob>();
    for (const job of jobs) {
      if (job.settled) continue;
      cancelled.add(job);
      if (this.settle(job)) job.reject(cancelledError());
    }
    if (cancelled.size === 0) return;
    for (const slot of [...this.slots]) {
      if (slot.jobs.length === 0) continue;
      if (slot.ready) this.catchUp(slot);
      if (slot.dead || slot.jobs.length === 0) continue;
      const running = slot.ready ? this.runningJob(slot) : undefined;
      if (running !== undefined && cancelled.has(running)) {
        // Its running invocation is cancelled: stop the worker; whatever else was queued
        // there and is still wanted runs elsewhere (what finished before it is reported).
        this.retire(slot, false, slot.jobs.indexOf(running));
        continue;
      }
      const ids: number[] = [];
      slot.jobs = slot.jobs.filter((job) => {
        if (!cancelled.has(job)) return true;
        ids.push(job.id);
        return false;
      });
      if (ids.length > 0 && slot.ready) slot.worker.postMessage({ type: 'cancel', ids } satisfies HostToWorker);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    const outgoing = new Map<Slot, RunningJob[]>();
    for (let job = this.queue.peek(); job; job = this.queue.peek()) {
      if (job.settled) {
        this.queue.shift();
        continue;
      }
      const slot = this.pickSlot(job, outgoing);
      if (!slot) break;
      this.queue.shift();
      slot.jobs.push(job);
      if (slot.jobs.length === 1) {
        slot.headStartedAt = performance.now();
        // Keep the process alive while a run is pending; idle workers must not.
        slot.worker.ref();
        this.startMemorySampler();
      }
      if (slot.ready) {
        const batch = outgoing.get(slot);
        if (batch) batch.push(job);
        else outgoing.set(slot, [job]);
      }
    }
    for (const [slot, jobs] of outgoing) {
      this.post(slot, jobs);
      // Same deadline when the running job is unchanged; follows the queue otherwise.
      this.armWatchdog(slot);
    }
  }

  /**
   * `filling`: busy workers already getting work in this pass. A busy worker is refilled
   * only once it has run down to half its depth, and then up to full depth: workers report
   * each outcome as it finishes, and topping a queue up by one invocation per report would
   * send (and clone the code and settings of) one message per event.
   */
  private pickSlot(job: RunningJob, filling: ReadonlyMap<Slot, unknown>): Slot | null {
    const { functionId, code } = job.shared;
    const depth = job.bulk ? BULK_PIPELINE_DEPTH : PIPELINE_DEPTH;
    let idle: Slot | null = null;
    let idleWarm: Slot | null = null;
    let lightest: Slot | null = null;
    for (const slot of this.slots) {
      if (slot.dead || slot.memoryMb !== job.memoryMb) continue;
      const isWarm = slot.warm.get(functionId) === code;
      if (slot.jobs.length === 0) {
        if (isWarm && slot.ready) idleWarm = slot;
        else if (!idle || (!idle.ready && slot.ready)) idle = slot;
      } else if (
        slot.ready &&
        slot.jobs.length < depth &&
        (filling.has(slot) || slot.jobs.length <= depth / 2) &&
        (!lightest || slot.jobs.length < lightest.jobs.length)
      ) {
        lightest = slot;
      }
    }
    if (idleWarm) return idleWarm;
    if (idle) return idle;
    if (this.slots.length < this.size) return this.spawn(job.memoryMb);
    const wrongLimit = this.slots.find((s) => !s.dead && s.jobs.length === 0);
    if (wrongLimit) {
      this.retire(wrongLimit, false);
      return this.spawn(job.memoryMb);
    }
    return lightest;
  }

  private post(slot: Slot, jobs: RunningJob[]): void {
    if (jobs.length === 0) return;
    try {
      // Copied, not transferred: see report() in worker.ts.
      slot.worker.postMessage({ type: 'invoke', chunks: chunksOf(jobs) } satisfies HostToWorker);
      return;
    } catch {
      // Something in one request cannot be cloned (a function, a symbol…): find it below.
    }
    for (const job of jobs) {
      try {
        slot.worker.postMessage({ type: 'invoke', chunks: chunksOf([job]) } satisfies HostToWorker);
      } catch (err) {
        slot.jobs.splice(slot.jobs.indexOf(job), 1);
        const reason = err instanceof Error ? err.message : String(err);
        this.deliver(job, hostOutcome('Message Rejected', 'InvalidEventPayload', `the event or settings cannot be sent to the sandbox (only JSON data can): ${reason}`));
      }
    }
  }

  /**
   * The host side of the memory limit, for guest code that never lets its worker check
   * itself (a synchronous loop filling ArrayBuffers): while the process's memory is over
   * what its workers may use and still growing, a worker whose heartbeat has not moved
   * since the last sample (guest code has held it since) is the one allocating; it is
   * stopped with a memory-limit outcome.
   */
  private sampleMemory(): void {
    const busy = this.slots.filter((slot) => !slot.dead && slot.jobs.length > 0);
    if (busy.length === 0) {
      if (this.memorySampler) clearInterval(this.memorySampler);
      this.memorySampler = null;
      for (const slot of this.slots) slot.lastBeat = -1;
      return;
    }
    const rss = processMemoryBytes();
    const growing = rss - this.lastRss >= GROWING_BYTES;
    this.lastRss = rss;
    const allowed = this.idleRss + this.slots.reduce((sum, slot) => sum + (2 * slot.memoryMb + WORKER_SLACK_MB) * 1024 * 1024, 0);
    const stalled: Slot[] = [];
    for (const slot of busy) {
      if (!slot.ready) continue;
      const beat = Atomics.load(slot.heartbeat, 0);
      if (beat === slot.lastBeat) stalled.push(slot);
      slot.lastBeat = beat;
    }
    if (rss <= allowed || !growing) return;
    for (const slot of stalled) {
      this.catchUp(slot);
      const head = slot.jobs[0];
      const running = slot.ledger.running();
      // Not the invocation it runs now (its report is on its way): judged at the next sample.
      if (slot.dead || !head || (running !== null && running.id !== head.id)) continue;
      const elapsed = Math.round(performance.now() - slot.headStartedAt);
      this.retire(slot, true);
      this.deliver(head, memoryOutcome(slot.memoryMb, elapsed, ' (the runtime process grew past what its workers may use while this function held its thread)'));
    }
    if (stalled.length > 0) this.schedule();
  }

  private startMemorySampler(): void {
    if (this.memorySampler || this.closed) return;
    if (this.idleRss === 0) this.idleRss = processMemoryBytes();
    this.lastRss = processMemoryBytes();
    this.memorySampler = setInterval(() => this.sampleMemory(), MEMORY_SAMPLE_MS);
    this.memorySampler.unref();
  }

  /**
   * Brings the host's view of a worker up to date from its ledger: the outcomes it has
   * finished but not reported yet are delivered (each exactly once: a later report of the
   * same invocation finds nothing to settle), so `slot.jobs[0]` is the invocation running
   * now, timed from when its limit really started.
   */
  private catchUp(slot: Slot): void {
    for (const record of slot.ledger.read()) {
      const head = slot.jobs[0];
      if (head === undefined || slot.dead) break;
      if (record.id === head.id) this.complete(slot, record.id, record.utf8, record.category);
      // A later one: the head's outcome is in a message on its way (the worker had just
      // reported it), so it must not be taken for skipped. Anything else was reported already.
      else if (slot.jobs.some((job) => job.id === record.id)) break;
    }
    const running = slot.ledger.running();
    if (running !== null && slot.jobs[0]?.id === running.id) slot.headStartedAt = running.since;
  }

  /**
   * The job a worker runs now, as its ledger says; between two invocations (or before its
   * ledger says anything), the first one the host has not heard back about.
   */
  private runningJob(slot: Slot): RunningJob | undefined {
    const running = slot.ledger.running();
    return running === null ? slot.jobs[0] : slot.jobs.find((job) => job.id === running.id);
  }

  private stopWatchdog(slot: Slot): void {
    if (slot.watchdog) clearTimeout(slot.watchdog);
    slot.watchdog = null;
  }

  /**
   * Watches the running job: past its limit (+grace) the worker is terminated. Unless the
   * ledger has just confirmed that the head is what runs (`confirmed`), the head may have
   * finished unreported and a later job, with a shorter limit, be running: the watchdog
   * then looks at the shortest limit of the jobs there, and the ledger tells it more.
   */
  private armWatchdog(slot: Slot, atLeastMs = 0, confirmed = false): void {
    this.stopWatchdog(slot);
    const head = slot.jobs[0];
    if (!head || slot.dead) {
      if (!slot.dead) slot.worker.unref();
      return;
    }
    let limit = head.shared.timeoutMs;
    if (!confirmed) for (const job of slot.jobs) limit = Math.min(limit, job.shared.timeoutMs);
    const remaining = slot.headStartedAt + limit + HARD_KILL_GRACE_MS - performance.now();
    slot.watchdog = setTimeout(() => {
      if (slot.jobs[0] !== head || slot.dead) return;
      // The head may have finished unreported: then the one after it runs, since later.
      this.catchUp(slot);
      if (slot.dead) return;
      const running = slot.ledger.running();
      if (running !== null && running.id !== head.id && slot.jobs[0] === head) {
        if (!slot.jobs.some((job) => job.id === running.id) && performance.now() - running.since >= head.shared.timeoutMs + HARD_KILL_GRACE_MS) {
          // An invocation cancelled after it had started holds the worker: nothing of ours
          // has started there, so it all runs elsewhere.
          this.retire(slot, false);
          this.schedule();
          return;
        }
        // Its report is on its way.
        this.armWatchdog(slot, LEDGER_RECHECK_MS);
        return;
      }
      if (slot.jobs[0] !== head || performance.now() - slot.headStartedAt < head.shared.timeoutMs + HARD_KILL_GRACE_MS) {
        // Unconfirmed (between two invocations), it looks again shortly rather than at once.
        const confirmed = running !== null && running.id === slot.jobs[0]?.id;
        this.armWatchdog(slot, confirmed ? 0 : LEDGER_RECHECK_MS, confirmed);
        return;
      }
      const elapsed = Math.round(performance.now() - slot.headStartedAt);
      this.retire(slot, true);
      const outcome = hostOutcome(
        'Timeout',
        'Timeout',
        `the function did not finish within the time limit of ${head.shared.timeoutMs} ms and was stopped (it kept the thread busy, so its logs were lost)`,
        elapsed,
      );
      this.deliver(head, outcome);
      this.schedule();
    }, Math.max(atLeastMs, remaining));
  }
}

/**
 * Terminates a worker, waiting at most STUCK_AFTER_MS: a thread stuck in a native call
 * must not keep close() from finishing (the process it lives in is ended instead).
 */
function terminated(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, STUCK_AFTER_MS);
    timer.unref();
    void worker.terminate().finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Consecutive jobs of one configuration become one chunk: their shared part travels once,
 * their inputs packed in one buffer (see InvocationChunk).
 */
function chunksOf(jobs: readonly RunningJob[]): InvocationChunk[] {
  const chunks: InvocationChunk[] = [];
  for (let start = 0; start < jobs.length; ) {
    const { shared } = jobs[start];
    let end = start + 1;
    while (end < jobs.length && jobs[end].shared === shared) end++;
    const group = jobs.slice(start, end);
    const { bytes, lengths } = packTexts(group.map((job) => job.input));
    chunks.push({ ids: group.map((job) => job.id), inputs: bytes, lengths, shared });
    start = end;
  }
  return chunks;
}

/** FIFO of jobs waiting for a worker; taking from the front is O(1) however long it gets. */
class JobQueue {
  private items: RunningJob[] = [];
  private head = 0;

  push(job: RunningJob): void {
    this.items.push(job);
  }

  peek(): RunningJob | undefined {
    return this.items[this.head];
  }

  shift(): RunningJob | undefined {
    if (this.head >= this.items.length) return undefined;
    const job = this.items[this.head];
    this.items[this.head++] = undefined as unknown as RunningJob;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return job;
  }

  /** Puts jobs back at the front, in their order (they had been sent to a worker that is gone). */
  prepend(jobs: RunningJob[]): void {
    if (jobs.length === 0) return;
    this.items = jobs.concat(this.items.slice(this.head));
    this.head = 0;
  }

  takeAll(): RunningJob[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return all;
  }
}
