/**
 * The worker pool: N sandbox worker threads, one invocation per worker at a time.
 * Routes an invocation to a worker where its function is already warm when one is
 * idle, enforces the time limit by terminating the worker, maps a worker killed by its
 * heap limit to a memory-limit outcome, and replaces dead workers on demand.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Outcome, OutcomeCategory } from '../main/contract/outcome';
import { isRetryable } from '../main/contract/outcome';
import type { InvokeMessage, WorkerToHost } from './protocol';
import { formatStack } from './sandbox/error-report';

/** How long past the time limit the host waits for the worker's own Timeout report. */
const HARD_KILL_GRACE_MS = 250;
const WARM_ENTRIES_PER_WORKER = 32;

export function resolveWorkerPath(): string {
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
  message: Omit<InvokeMessage, 'id'>;
  memoryMb: number;
  resolve(outcome: Outcome): void;
  reject(error: Error): void;
  signal?: AbortSignal;
}

interface Slot {
  worker: Worker;
  memoryMb: number;
  ready: boolean;
  startedAt: number;
  startupMs: number | null;
  job: RunningJob | null;
  /** functionId → code last run there (routing preference only). */
  warm: Map<string, string>;
  dead: boolean;
  readyWaiters: Array<() => void>;
}

interface RunningJob extends PoolJob {
  id: number;
  dispatchedAt: number;
  hardTimer?: NodeJS.Timeout;
  onAbort?: () => void;
  settled: boolean;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: RunningJob[] = [];
  private nextId = 1;
  private closed = false;
  private readonly workerPath = resolveWorkerPath();

  constructor(readonly size: number = Math.max(1, os.availableParallelism?.() ?? os.cpus().length)) {
    if (!Number.isInteger(size) || size < 1) throw new TypeError(`runtime: workers must be a positive integer, got ${String(size)}`);
  }

  /** Starts every worker now (instead of on first use); resolves with each one's startup time. */
  async prestart(memoryMb: number): Promise<number[]> {
    while (this.slots.length < this.size) this.spawn(memoryMb);
    await Promise.all(this.slots.map((slot) => (slot.ready ? undefined : new Promise<void>((resolve) => slot.readyWaiters.push(resolve)))));
    return this.slots.map((slot) => slot.startupMs ?? -1);
  }

  submit(job: PoolJob): void {
    if (this.closed) {
      job.reject(new Error('runtime: the runtime is closed'));
      return;
    }
    const running: RunningJob = { ...job, id: this.nextId++, dispatchedAt: 0, settled: false };
    if (job.signal) {
      running.onAbort = () => this.cancel(running);
      job.signal.addEventListener('abort', running.onAbort, { once: true });
    }
    this.queue.push(running);
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(new Error('runtime: closed before the run started')));
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        slot.dead = true;
        if (slot.job) {
          const job = slot.job;
          this.settle(job, () => job.reject(new Error('runtime: closed while the run was in progress')));
        }
        return slot.worker.terminate();
      }),
    );
  }

  private spawn(memoryMb: number): Slot {
    const worker = new Worker(this.workerPath, {
      // No host environment for guest code, even in the worst case.
      env: {},
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, Math.floor(memoryMb / 8))) },
    });
    const slot: Slot = { worker, memoryMb, ready: false, startedAt: performance.now(), startupMs: null, job: null, warm: new Map(), dead: false, readyWaiters: [] };
    worker.unref();
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
    if (message.type === 'ready') {
      slot.ready = true;
      slot.startupMs = Math.round(performance.now() - slot.startedAt);
      for (const resolve of slot.readyWaiters.splice(0)) resolve();
      if (slot.job) this.dispatch(slot, slot.job);
      else this.schedule();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    slot.job = null;
    slot.worker.unref();
    if (message.outcome.outcome === 'Timeout') {
      // As on Lambda, a timed-out instance is not reused: its state may be half-updated.
      this.retire(slot);
    } else {
      slot.warm.delete(job.message.functionId);
      slot.warm.set(job.message.functionId, job.message.code);
      if (slot.warm.size > WARM_ENTRIES_PER_WORKER) slot.warm.delete(slot.warm.keys().next().value as string);
    }
    this.settle(job, () => job.resolve(message.outcome));
    this.schedule();
  }

  private onExit(slot: Slot, code: number, failure: Error | null): void {
    const wasDead = slot.dead;
    slot.dead = true;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    for (const resolve of slot.readyWaiters.splice(0)) resolve();
    const job = slot.job;
    slot.job = null;
    if (job && !wasDead) {
      const elapsed = job.dispatchedAt ? Math.round(performance.now() - job.dispatchedAt) : 0;
      const outOfMemory = (failure as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const outcome = outOfMemory
        ? hostOutcome('Bad Request', 'MemoryLimitExceeded', `the function exceeded the memory limit of ${slot.memoryMb} MB and was stopped`, elapsed)
        : hostOutcome('Bad Request', 'RuntimeError', `the sandbox worker stopped unexpectedly (exit code ${code}${failure ? `: ${failure.message}` : ''})`, elapsed);
      this.settle(job, () => job.resolve(outcome));
    } else if (job && !job.settled && !this.closed) {
      // retired while starting: run it elsewhere
      job.settled = false;
      this.queue.unshift(job);
    }
    if (!this.closed) this.schedule();
  }

  /** Terminates a worker; its exit handler must not report anything for it. */
  private retire(slot: Slot): void {
    slot.dead = true;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    void slot.worker.terminate();
  }

  private settle(job: RunningJob, action: () => void): void {
    if (job.settled) return;
    job.settled = true;
    if (job.hardTimer) clearTimeout(job.hardTimer);
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    action();
  }

  private cancel(job: RunningJob): void {
    if (job.settled) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.job === job);
    if (slot) {
      slot.job = null;
      this.retire(slot);
    }
    this.settle(job, () => job.reject(cancelledError()));
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      const job = this.queue[0];
      const slot = this.pickSlot(job);
      if (!slot) return;
      this.queue.shift();
      slot.job = job;
      // Keep the process alive while a run is pending; idle workers must not.
      slot.worker.ref();
      if (slot.ready) this.dispatch(slot, job);
    }
  }

  private pickSlot(job: RunningJob): Slot | null {
    const idle = this.slots.filter((s) => !s.dead && s.job === null && s.memoryMb === job.memoryMb);
    const warm = idle.find((s) => s.ready && s.warm.get(job.message.functionId) === job.message.code);
    if (warm) return warm;
    const readyIdle = idle.find((s) => s.ready);
    if (readyIdle) return readyIdle;
    if (idle.length > 0) return idle[0];
    if (this.slots.length < this.size) return this.spawn(job.memoryMb);
    const wrongLimit = this.slots.find((s) => !s.dead && s.job === null);
    if (wrongLimit) {
      this.retire(wrongLimit);
      return this.spawn(job.memoryMb);
    }
    return null;
  }

  private dispatch(slot: Slot, job: RunningJob): void {
    job.dispatchedAt = performance.now();
    const message: InvokeMessage = { ...job.message, id: job.id };
    job.hardTimer = setTimeout(() => {
      if (slot.job !== job) return;
      slot.job = null;
      this.retire(slot);
      const outcome = hostOutcome(
        'Timeout',
        'Timeout',
        `the function did not finish within the time limit of ${job.message.timeoutMs} ms and was stopped (it kept the thread busy, so its logs were lost)`,
        Math.round(performance.now() - job.dispatchedAt),
      );
      this.settle(job, () => job.resolve(outcome));
      this.schedule();
    }, job.message.timeoutMs + HARD_KILL_GRACE_MS);
    slot.worker.postMessage(message);
  }
}
