/**
 * Replay: delivers captured events through a function as Segment's Event Delivery would,
 * streaming end to end — read → delivery rules (integrations object, destination filters)
 * → batches for onBatch → the runtime's invokeMany in chunks → retries on a virtual clock
 * → aggregates and the run record. At most `concurrency` events are held at any time
 * (plus one chunk of input text), so memory does not grow with the size of the capture.
 */
import { setMaxListeners } from 'node:events';
import type { MockRule } from '../../contract/mock';
import { isRetryable, type Outcome, type OutcomeCategory } from '../../contract/outcome';
import type {
  DeliveryEnd,
  DestinationFilter,
  InputDescription,
  ReplayCategory,
  ReplayEventRecord,
  ReplayProgress,
  ReplaySummary,
} from '../../contract/replay';
import { CheckedInput, type InvokeRequest, type Runtime } from '../../../runtime/api';
import { createRedactor, redactOutcome } from '../redact';
import { compileFilters } from './filters';
import { definesOnBatch } from './handler-shape';
import { readEvents, type EventRecord, type InputSource } from './input';
import { disabledByIntegrations } from './integrations';
import { randomSeed, seededRandom } from './random';
import { NO_RETRIES, segmentRetryPolicy, type RetryPolicy } from './retry-policy';
import { newRunId, RunRecordWriter } from './run-record';
import { SkipLog } from './skip-log';
import { ReplayStats } from './stats';

export const DEFAULT_CONCURRENCY = 1000;
export const DEFAULT_BATCH_SIZE = 20;
export const MAX_BATCH_SIZE = 400;
/** Full details kept for non-successes, and for a sample of successes. */
const MAX_FAILURE_DETAILS = 20_000;
const SUCCESS_DETAILS = 50;
/** Groups of input events (one per piece of input read) read ahead of delivery. */
const READ_AHEAD_GROUPS = 2;

export interface ReplayTarget {
  functionId: string;
  code: string;
  filename: string;
}

export interface ReplayRequest {
  runtime: Runtime;
  target: ReplayTarget;
  sources: readonly InputSource[];
  settings: Record<string, unknown>;
  /** Values to mask in everything recorded. */
  secrets?: readonly string[];
  /** Rules that answer outgoing requests. */
  mockRules: MockRule[];
  /** false (default): requests no rule answers fail as offline. true: they go to the network. */
  live?: boolean;
  /**
   * Refuse requests to loopback and private addresses even when a mock rule would answer
   * them, as Segment's servers could not reach them (function.json's "strictNetwork").
   */
  strictNetwork?: boolean;
  /** Invocations per second at most (with live requests, to spare the real API). */
  ratePerSecond?: number | null;
  filters?: readonly DestinationFilter[];
  /** The function's name in the integrations object: "<Display Name> (<Workspace Name>)". */
  destinationName: string;
  retries?: boolean;
  /** Events in flight at once (default 1000). */
  concurrency?: number;
  /** Events per batch when the function defines onBatch (default 20, at most 400). */
  batchSize?: number;
  timeoutMs?: number;
  memoryMb?: number;
  /** Seeds samples and retry jitter (recorded in the summary). */
  seed?: number;
  /** Where the run record goes: a folder to create (must not exist), or null for none. */
  recordDir: string | null;
  runId?: string;
  signal?: AbortSignal;
  onProgress?: (progress: ReplayProgress) => void;
  progressIntervalMs?: number;
  now?: () => number;
}

interface Item {
  seq: number;
  record: EventRecord;
  attempts: number;
}

interface Unit {
  items: Item[];
  /** Attempts made so far. */
  attempt: number;
  /** Virtual time of the next attempt, ms after the first. */
  atMs: number;
}

/** Runs a replay to the end (or until `signal` aborts) and returns its summary. */
export async function replay(request: ReplayRequest): Promise<ReplaySummary> {
  const now = request.now ?? (() => performance.now());
  const started = now();
  const startedAt = new Date().toISOString();
  const runId = request.runId ?? newRunId();
  const seed = request.seed ?? randomSeed();
  const random = seededRandom(seed);
  const concurrency = Math.max(1, Math.floor(request.concurrency ?? DEFAULT_CONCURRENCY));
  const onBatch = definesOnBatch(request.target.code);
  const batchSize = onBatch ? Math.min(MAX_BATCH_SIZE, Math.max(1, Math.floor(request.batchSize ?? DEFAULT_BATCH_SIZE))) : 1;
  const filters = compileFilters(request.filters ?? [], random);
  // Without enabled filters every event passes them: skip the call (it runs per event).
  const filtering = filters.count > 0;
  const policy: RetryPolicy = request.retries === false ? NO_RETRIES : segmentRetryPolicy(random);
  const live = request.live === true;
  const redactor = createRedactor(request.secrets ?? []);
  const rate = request.ratePerSecond ?? null;
  // Two chunks in flight: one keeps the workers busy while the other is recorded and refilled.
  const chunkEvents = Math.max(1, Math.min(500, Math.ceil(concurrency / 2), rate === null ? Infinity : Math.ceil(rate / 4)));

  const stats = new ReplayStats();
  const skips = new SkipLog();
  const inputs: InputDescription[] = [];
  let bytesRead = 0;
  let eventsRead = 0;
  const writer = request.recordDir === null ? null : await RunRecordWriter.createAt(request.recordDir);
  let failureDetails = 0;
  let successDetails = 0;
  let omittedDetails = 0;

  const network = { mockRules: request.mockRules, offline: !live, ...(request.strictNetwork === true ? { strict: true } : {}) };
  const { functionId, code, filename } = request.target;
  const { settings, timeoutMs, memoryMb } = request;
  /** One invocation; every request shares the same configuration objects (the runtime sends them once). */
  const invokeRequest = (input: unknown): InvokeRequest => ({ functionId, code, filename, settings, network, timeoutMs, memoryMb, input });
  /**
   * A single event travels as the text it was read from when nothing has touched it since
   * (no filters: they may change it): the runtime's checks had nothing left to find, and
   * writing the event out again would give a text the function could not tell apart.
   */
  const inputOf = (record: EventRecord): unknown => (!filtering && record.text !== undefined ? new CheckedInput(record.text) : record.event);

  // Every chunk in flight listens for the abort.
  if (request.signal) setMaxListeners(0, request.signal);
  const reader = readEvents(request.sources, {
    onSkip: (skip) => skips.add(skip),
    onFormat: (input) => inputs.push(input),
    onBytes: (n) => (bytesRead += n),
  })[Symbol.asyncIterator]();
  // The next groups of events are read while the current one is delivered, so a chunk is
  // filled from groups that have arrived instead of being cut where one read ended. Two:
  // the group after next has had a whole group's delivery to arrive.
  const readAhead: Array<{ result: Promise<IteratorResult<EventRecord[], void>>; arrived: boolean }> = [];
  const readMore = (): void => {
    while (readAhead.length < READ_AHEAD_GROUPS) {
      const pending = { result: reader.next(), arrived: false };
      // Also marks a failure as handled; it is thrown where the group is awaited.
      pending.result.then(
        () => (pending.arrived = true),
        () => (pending.arrived = true),
      );
      readAhead.push(pending);
    }
  };
  let buffered: EventRecord[] = [];
  let bufferedAt = 0;
  let inputDone = false;
  let nextSeq = 0;
  const retryQueue: Unit[] = [];
  let batchFill: Item[] = [];
  let inFlightEvents = 0;
  const inFlight = new Set<Promise<void>>();
  let cancelled = false;
  let failure: Error | null = null;

  const summary = (finished: boolean): ReplaySummary => {
    const durationMs = Math.round(now() - started);
    return {
      runId,
      functionId: request.target.functionId,
      startedAt,
      finished,
      cancelled,
      inputs: [...inputs],
      options: {
        live,
        ratePerSecond: rate,
        retries: request.retries !== false,
        concurrency,
        batchSize: onBatch ? batchSize : null,
        destinationName: request.destinationName,
        filters: filters.count,
        mockRules: request.mockRules.length,
        seed,
      },
      total: stats.total,
      delivered: stats.delivered,
      filtered: stats.filtered,
      skipped: skips.summary(),
      byOutcome: { ...stats.byOutcome },
      retried: { delivered: stats.retriedDelivered, gaveUp: stats.gaveUp },
      attempts: stats.attempts,
      invocations: stats.invocations,
      durationMs,
      eventsPerSecond: durationMs > 0 ? Math.round((stats.total / durationMs) * 1000 * 10) / 10 : 0,
      latencyMs: stats.latency.summary(),
      simulatedDeliveryMs: stats.simulatedDeliveryMs,
      topErrors: stats.topErrors(),
      offlineHosts: stats.offlineHosts(),
      throughput: stats.throughput.summary(),
      details: { kept: failureDetails + successDetails, omitted: omittedDetails },
    };
  };

  let lastProgress = -Infinity;
  const progressEvery = request.progressIntervalMs ?? 250;
  const progress = (force: boolean): void => {
    if (!request.onProgress) return;
    const t = now();
    if (!force && t - lastProgress < progressEvery) return;
    lastProgress = t;
    const totalBytes = request.sources.every((s) => s.size !== null) ? request.sources.reduce((sum, s) => sum + (s.size ?? 0), 0) : null;
    request.onProgress({
      runId,
      bytesRead,
      bytesTotal: totalBytes,
      eventsRead,
      finished: stats.total,
      delivered: stats.delivered,
      filtered: stats.filtered,
      failed: stats.total - stats.delivered - stats.filtered,
      skipped: skips.count,
      elapsedMs: Math.round(t - started),
    });
  };

  /**
   * Counts and records a finished event; a promise comes back only when writing must be
   * waited for. Positional arguments and no per-event closures: this runs for every event.
   * `outcome` is given for invocations (its details may be kept), null for filtered events.
   */
  const finish = (
    item: Item,
    category: ReplayCategory,
    end: DeliveryEnd,
    latencyMs: number,
    virtualMs: number,
    error: string | undefined,
    filteredBy: string | undefined,
    outcome: Outcome | null,
    batchIndex: number | undefined,
  ): Promise<void> | undefined => {
    const event = item.record.event;
    const record: ReplayEventRecord = {
      seq: item.seq,
      file: item.record.file,
      line: item.record.line,
      type: String(event.type),
      category,
      end,
      attempts: item.attempts,
      latencyMs,
      virtualMs,
    };
    if (typeof event.event === 'string') record.event = event.event;
    if (typeof event.messageId === 'string') record.messageId = event.messageId;
    if (error !== undefined) record.error = redactor.empty ? error : redactor.text(error);
    if (filteredBy !== undefined) record.filteredBy = filteredBy;
    stats.total++;
    stats.add(record, now() - started);
    if (!writer) return undefined;
    let keep = false;
    if (outcome) {
      if (category !== 'Success') keep = failureDetails < MAX_FAILURE_DETAILS ? (failureDetails++, true) : (omittedDetails++, false);
      else keep = successDetails < SUCCESS_DETAILS ? (successDetails++, true) : false;
    }
    if (!keep || !outcome) return writer.outcome(record);
    const safe = redactor.empty ? outcome : redactOutcome(outcome, request.secrets ?? []);
    const safeEvent = redactor.empty ? event : redactor.value(event);
    return writer.detail(batchIndex === undefined ? { seq: item.seq, event: safeEvent, outcome: safe } : { seq: item.seq, event: safeEvent, outcome: safe, batchIndex }).then((where) => {
      record.detail = where;
      return writer.outcome(record);
    });
  };

  /** The next event that passes the delivery rules, or null at the end of the input. */
  const nextDeliverable = async (mayWait: boolean): Promise<Item | null | 'wait'> => {
    for (;;) {
      if (bufferedAt >= buffered.length) {
        if (inputDone) return null;
        readMore();
        // A chunk already started is sent rather than held back for input still to come.
        if (!mayWait && !readAhead[0].arrived) return 'wait';
        const next = await (readAhead.shift() as (typeof readAhead)[number]).result;
        if (next.done) {
          inputDone = true;
          return null;
        }
        buffered = next.value;
        bufferedAt = 0;
        eventsRead += buffered.length;
        readMore();
        continue;
      }
      const record = buffered[bufferedAt];
      buffered[bufferedAt++] = undefined as unknown as EventRecord;
      const item: Item = { seq: nextSeq++, record, attempts: 0 };
      if (disabledByIntegrations(record.event, request.destinationName)) {
        const writing = finish(item, 'Filtered', 'filtered', 0, 0, undefined, 'integrations', null, undefined);
        if (writing) await writing;
        continue;
      }
      if (!filtering) return item;
      const decision = filters.apply(record.event);
      if (!decision.deliver) {
        const writing = finish(item, 'Filtered', 'filtered', 0, 0, undefined, decision.by, null, undefined);
        if (writing) await writing;
        continue;
      }
      // Property actions may hand back a changed event: the function receives that one.
      record.event = decision.event;
      return item;
    }
  };

  /** Units for the next invokeMany call: retries first, then new events. */
  const buildChunk = async (maxEvents: number): Promise<Unit[]> => {
    const units: Unit[] = [];
    let events = 0;
    while (events < maxEvents && retryQueue.length > 0) {
      const unit = retryQueue.shift() as Unit;
      units.push(unit);
      events += unit.items.length;
    }
    while (events < maxEvents) {
      const item = await nextDeliverable(units.length === 0);
      if (item === 'wait') break;
      if (item === null) {
        if (batchFill.length > 0) {
          units.push({ items: batchFill, attempt: 0, atMs: 0 });
          batchFill = [];
        }
        break;
      }
      if (!onBatch) {
        units.push({ items: [item], attempt: 0, atMs: 0 });
        events++;
        continue;
      }
      batchFill.push(item);
      if (batchFill.length >= batchSize) {
        units.push({ items: batchFill, attempt: 0, atMs: 0 });
        events += batchFill.length;
        batchFill = [];
      }
    }
    return units;
  };

  /**
   * Records a unit's outcome: finished events are counted and written, retryable ones queued
   * again. Synchronous unless the record writer asks to be waited for (a flush), so a chunk
   * costs no promise per event.
   */
  const settle = (unit: Unit, outcome: Outcome): Promise<void> | undefined => {
    stats.invocations++;
    for (const trace of outcome.requests) {
      if (!trace.mocked && trace.response === null && trace.error !== undefined && trace.error.includes('blocked (offline)')) stats.addOfflineHost(hostOf(trace.url));
    }
    return settleItems(unit, outcome, [], 0);
  };

  /** settle's loop from item `from` on; `retry` collects the items to try again. */
  const settleItems = (unit: Unit, outcome: Outcome, retry: Item[], from: number): Promise<void> | undefined => {
    for (let i = from; i < unit.items.length; i++) {
      const item = unit.items[i];
      item.attempts++;
      const batchItem = onBatch ? outcome.items?.[i] : undefined;
      const category: OutcomeCategory = batchItem ? batchItem.category : outcome.outcome;
      if (isRetryable(category) && policy !== NO_RETRIES) {
        retry.push(item);
        continue;
      }
      const error = batchItem ? (batchItem.errormessage ?? (batchItem.category === 'Success' ? undefined : outcome.error?.message)) : outcome.error?.message;
      const end: DeliveryEnd = category === 'Success' ? 'delivered' : 'discarded';
      const writing = finish(item, category, end, outcome.durationMs, unit.atMs, error, undefined, outcome, onBatch ? i : undefined);
      if (writing) return writing.then(() => settleItems(unit, outcome, retry, i + 1));
    }
    if (retry.length === 0) return undefined;
    const at = policy.next(unit.attempt + 1, unit.atMs);
    if (at !== null) {
      retryQueue.push({ items: retry, attempt: unit.attempt + 1, atMs: at });
      return undefined;
    }
    return giveUp(unit, outcome, retry, 0);
  };

  /** Records the retryable items of a unit whose retries are used up, from `from` on. */
  const giveUp = (unit: Unit, outcome: Outcome, retry: Item[], from: number): Promise<void> | undefined => {
    for (let r = from; r < retry.length; r++) {
      const item = retry[r];
      const i = unit.items.indexOf(item);
      const batchItem = onBatch ? outcome.items?.[i] : undefined;
      const category: OutcomeCategory = batchItem ? batchItem.category : outcome.outcome;
      const error = batchItem?.errormessage ?? outcome.error?.message;
      const writing = finish(item, category, 'gave-up', outcome.durationMs, unit.atMs, error, undefined, outcome, onBatch ? i : undefined);
      if (writing) return writing.then(() => giveUp(unit, outcome, retry, r + 1));
    }
    return undefined;
  };

  let nextSlot = 0;
  const throttle = async (invocations: number): Promise<void> => {
    if (rate === null) return;
    const t = now();
    const wait = nextSlot - t;
    nextSlot = Math.max(nextSlot, t) + (invocations * 1000) / rate;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };

  const submit = async (units: Unit[]): Promise<void> => {
    const requests = new Array<InvokeRequest>(units.length);
    for (let i = 0; i < units.length; i++) {
      const items = units[i].items;
      requests[i] = invokeRequest(onBatch ? items.map((it) => it.record.event) : inputOf(items[0].record));
    }
    await throttle(requests.length);
    const outcomes = request.runtime.invokeMany
      ? await request.runtime.invokeMany(requests, request.signal)
      : await Promise.all(requests.map((r) => request.runtime.invoke(r, request.signal)));
    for (let i = 0; i < units.length; i++) {
      const writing = settle(units[i], outcomes[i]);
      if (writing) await writing;
    }
  };

  try {
    for (;;) {
      if (request.signal?.aborted) {
        cancelled = true;
        break;
      }
      // A new chunk only once a whole one fits: chunks sized by whatever room a short chunk
      // left would stay short (500, 330, 170, …), and every chunk costs a round trip.
      while (failure === null && (inFlight.size === 0 || concurrency - inFlightEvents >= chunkEvents)) {
        const units = await buildChunk(Math.min(chunkEvents, concurrency - inFlightEvents));
        if (units.length === 0) break;
        const count = units.reduce((n, u) => n + u.items.length, 0);
        inFlightEvents += count;
        const task: Promise<void> = submit(units)
          .catch((err: unknown) => {
            if ((err as Error | undefined)?.name === 'RunCancelled' || request.signal?.aborted) cancelled = true;
            else failure ??= err instanceof Error ? err : new Error(`replay: ${JSON.stringify(err)}`);
          })
          .finally(() => {
            inFlightEvents -= count;
            inFlight.delete(task);
          });
        inFlight.add(task);
        progress(false);
      }
      if (failure !== null || cancelled) break;
      if (inFlight.size === 0) {
        if (inputDone && retryQueue.length === 0 && batchFill.length === 0 && bufferedAt >= buffered.length) break;
        continue;
      }
      await Promise.race(inFlight);
      progress(false);
    }
    await Promise.allSettled([...inFlight]);
    // Set from the submit callbacks above, which control-flow analysis does not follow.
    const failed = failure as Error | null;
    if (failed !== null) throw failed;
    progress(true);
    const result = summary(!cancelled);
    if (writer) await writer.summary(result);
    return result;
  } finally {
    await reader.return?.(undefined);
    await writer?.close();
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 100);
  }
}
