/**
 * Runs one invocation inside the worker: finds or builds the function instance,
 * dispatches by event type (or to onBatch), and turns what happened into an Outcome.
 */
import type { BatchItemResult, Outcome, OutcomeCategory, OutcomeError } from '../../common/outcome';
import { isRetryable } from '../../common/outcome';
import type { InvocationShared, InvokeMessage } from '../protocol';
import { categoryForBatchStatus, categoryForErrorName } from '../categories';
import { describeThrown, runtimeError } from './error-report';
import { CompileFailure, FunctionInstance, type Handler, type HandlerName } from './instance';
import { Invocation, setCurrentInvocation } from './invocation';
import { toJsonText } from './plain-data';
import { utf8Text } from '../utf8-texts';
import type { SharedGlobals } from './shared-globals';

const HANDLER_BY_TYPE: Readonly<Record<string, HandlerName>> = {
  identify: 'onIdentify',
  track: 'onTrack',
  page: 'onPage',
  screen: 'onScreen',
  group: 'onGroup',
  alias: 'onAlias',
  delete: 'onDelete',
};

/** Instances kept warm per worker; the least recently used is dropped beyond this. */
const MAX_INSTANCES = 32;

/** A finished invocation: its category, and its Outcome as the JSON text that travels to the host. */
export interface Finished {
  category: OutcomeCategory;
  json: string;
}

type Ending =
  | { kind: 'returned'; value: unknown }
  | { kind: 'threw'; error: unknown }
  | { kind: 'failed'; error: OutcomeError; category: OutcomeCategory }
  | { kind: 'timeout' };

/**
 * The time limit of the running invocation. One timer per worker, re-armed for each
 * invocation (cheaper than a new timer per event); a fire after disarm() does nothing.
 */
class Deadline {
  private timer: NodeJS.Timeout | null = null;
  private ms = -1;
  private onExpire: (() => void) | null = null;

  arm(ms: number, onExpire: () => void): void {
    this.onExpire = onExpire;
    if (this.timer && this.ms === ms) {
      this.timer.refresh();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.ms = ms;
    this.timer = setTimeout(() => {
      const expire = this.onExpire;
      this.onExpire = null;
      expire?.();
    }, ms);
  }

  disarm(): void {
    this.onExpire = null;
  }
}

export class Runner {
  private readonly instances = new Map<string, FunctionInstance>();
  private mostRecent: string | null = null;
  private readonly deadline = new Deadline();

  constructor(
    private readonly shared: SharedGlobals,
    /** Called when an invocation had to compile its function, before its handler runs. */
    private readonly onCompiled: (id: number) => void = () => {},
  ) {}

  private lastShared: InvocationShared | null = null;
  private lastFilename = '';

  /** The file name as stack lines show it (one line), worked out once per configuration. */
  private filenameOf(shared: InvocationShared): string {
    if (shared !== this.lastShared) {
      this.lastShared = shared;
      this.lastFilename = shared.filename.replace(/[\r\n]/g, ' ');
    }
    return this.lastFilename;
  }

  /** The warm instance of this function and code, or null when it must be compiled. */
  private warmInstance(functionId: string, code: string): FunctionInstance | null {
    const existing = this.instances.get(functionId);
    if (existing && existing.code === code) {
      // refresh recency (a run of one function's events finds it already the most recent)
      if (this.mostRecent !== functionId) {
        this.instances.delete(functionId);
        this.instances.set(functionId, existing);
        this.mostRecent = functionId;
      }
      return existing;
    }
    return null;
  }

  private compileInstance(functionId: string, code: string, filename: string): FunctionInstance {
    this.mostRecent = functionId;
    this.instances.delete(functionId);
    const created = FunctionInstance.create(code, filename, this.shared);
    if (this.instances.size >= MAX_INSTANCES) this.instances.delete(this.instances.keys().next().value as string);
    this.instances.set(functionId, created);
    return created;
  }

  async run(message: InvokeMessage): Promise<Finished> {
    const received = performance.now();
    let started = received;
    const { shared } = message;
    const input: unknown = JSON.parse(utf8Text(message.input));
    const filename = this.filenameOf(shared);
    let finish!: (ending: Ending) => void;
    const ended = new Promise<Ending>((resolve) => {
      let done = false;
      finish = (ending) => {
        if (done) return;
        done = true;
        resolve(ending);
      };
    });
    const invocation = new Invocation(shared.network, filename, (error) => finish({ kind: 'threw', error }));
    setCurrentInvocation(invocation);
    const isBatch = Array.isArray(input);

    try {
      let instance = this.warmInstance(shared.functionId, shared.code);
      if (!instance) {
        // Initialisation (compile + top-level code) is not the handler's time: the limit
        // starts after it. A top-level code that never ends is still stopped by the host.
        try {
          instance = this.compileInstance(shared.functionId, shared.code, filename);
        } finally {
          started = performance.now();
          this.onCompiled(message.id);
        }
      }
      this.deadline.arm(shared.timeoutMs, () => finish({ kind: 'timeout' }));
      const handler = this.pickHandler(instance, input);
      if ('error' in handler) {
        finish({ kind: 'failed', error: handler.error, category: 'Unsupported Event Type' });
      } else {
        const fn = handler.fn; // called without a receiver, as Segment does
        Promise.resolve(fn(input, message.settings)).then(
          (value) => finish({ kind: 'returned', value }),
          (error) => finish({ kind: 'threw', error }),
        );
      }
    } catch (err) {
      if (err instanceof CompileFailure) finish({ kind: 'failed', error: err.error, category: 'Bad Request' });
      else finish({ kind: 'threw', error: err });
    }

    let ending = await ended;
    this.deadline.disarm();
    // Finishing after the limit (synchronous work kept the timer from firing) is still a
    // timeout: Segment would have stopped the function.
    if (ending.kind !== 'timeout' && performance.now() - started > shared.timeoutMs) ending = { kind: 'timeout' };
    invocation.end();
    setCurrentInvocation(null);
    return this.finish(ending, invocation, message.shared.timeoutMs, filename, isBatch ? (input as unknown[]).length : -1, received);
  }

  private pickHandler(instance: FunctionInstance, input: unknown): { fn: Handler } | { error: OutcomeError } {
    if (Array.isArray(input)) {
      const fn = instance.handlers.onBatch;
      if (fn) return { fn };
      return { error: runtimeError('EventNotSupported', 'batch not supported: the function does not define onBatch(events, settings)') };
    }
    const type = String((input as { type?: unknown }).type);
    const name = Object.prototype.hasOwnProperty.call(HANDLER_BY_TYPE, type) ? HANDLER_BY_TYPE[type] : undefined;
    const fn = name ? instance.handlers[name] : undefined;
    if (fn) return { fn };
    return { error: runtimeError('EventNotSupported', `${type} not supported`) };
  }

  /** The Outcome of an ending, encoded; `batchSize` is -1 for a single event. */
  private finish(ending: Ending, invocation: Invocation, timeoutMs: number, filename: string, batchSize: number, started: number): Finished {
    let category: OutcomeCategory = 'Success';
    let error: OutcomeError | null = null;
    // The return value goes straight from the guest's value to JSON text, never to host objects.
    let resultJson = 'null';
    switch (ending.kind) {
      case 'returned':
        resultJson = toJsonText(ending.value);
        break;
      case 'threw':
        error = describeThrown(ending.error, filename);
        category = categoryForErrorName(error.name);
        break;
      case 'failed':
        error = ending.error;
        category = ending.category;
        break;
      case 'timeout':
        error = runtimeError('Timeout', `the function did not finish within the time limit of ${timeoutMs} ms`);
        category = 'Timeout';
        break;
    }
    const outcome: Omit<Outcome, 'result'> = {
      outcome: category,
      retryable: isRetryable(category),
      error,
      logs: invocation.logs,
      logsTruncated: invocation.logsTruncated,
      requests: invocation.requests,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
    if (batchSize >= 0) outcome.items = batchItems(batchSize, category, error, JSON.parse(resultJson));
    // Everything above is host-made plain data; the result is spliced in as the text it already is.
    const json = JSON.stringify(outcome);
    return { category, json: `${json.slice(0, -1)},"result":${resultJson}}` };
  }
}

/**
 * Per-event results of onBatch. When the handler returned, each returned
 * `{status, errormessage}` is read by position (a missing entry counts as 200: the
 * handler did not report a failure). When the whole batch failed, every item shares
 * the batch's category, with status 500 when Segment would retry it, else 400.
 */
function batchItems(count: number, category: OutcomeCategory, error: OutcomeError | null, result: unknown): BatchItemResult[] {
  const items: BatchItemResult[] = [];
  for (let index = 0; index < count; index++) {
    if (error) {
      items.push({ index, status: isRetryable(category) ? 500 : 400, errormessage: error.message, category });
      continue;
    }
    const entry = Array.isArray(result) ? (result[index] as unknown) : undefined;
    if (entry === null || typeof entry !== 'object') {
      items.push({ index, status: 200, category: 'Success' });
      continue;
    }
    const rawStatus = (entry as { status?: unknown }).status;
    const status = typeof rawStatus === 'number' && Number.isFinite(rawStatus) ? rawStatus : 200;
    const item: BatchItemResult = { index, status, category: categoryForBatchStatus(status) };
    const errormessage = (entry as { errormessage?: unknown }).errormessage;
    if (errormessage !== undefined && errormessage !== null) item.errormessage = String(errormessage);
    items.push(item);
  }
  return items;
}
