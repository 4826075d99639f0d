/**
 * The invocation currently running in this worker, and what it has captured so far.
 * A worker runs one invocation at a time, so facades look the current one up here;
 * work started by an earlier invocation (a timer, a response arriving late) finds its
 * own invocation inactive and is dropped, never leaking into the next outcome.
 */
import type { LogEntry, LogLevel, RequestTrace } from '../../common/outcome';
import type { NetworkOptions } from '../../common/mock';

/** Segment's editor shows at most 4 KB of console output. */
const LOG_CAP_BYTES = 4 * 1024;

export class Invocation {
  active = true;
  readonly logs: LogEntry[] = [];
  logsTruncated = false;
  private logBytes = 0;
  readonly requests: RequestTrace[] = [];
  /** Timer handles by the numeric id the guest holds. */
  readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(
    readonly network: NetworkOptions,
    /** The user's file name, to show their own stack frames in logged errors. */
    readonly filename: string,
    /** Ends the invocation with an error thrown outside the handler's own promise chain. */
    readonly fail: (error: unknown) => void,
  ) {}

  get logsFull(): boolean {
    return this.logsTruncated;
  }

  addLog(level: LogLevel, message: string): void {
    if (this.logsTruncated) return;
    const bytes = Buffer.byteLength(message, 'utf8');
    if (this.logBytes + bytes <= LOG_CAP_BYTES) {
      this.logBytes += bytes;
      this.logs.push({ level, message });
      return;
    }
    const room = LOG_CAP_BYTES - this.logBytes;
    if (room > 0) this.logs.push({ level, message: Buffer.from(message, 'utf8').subarray(0, room).toString('utf8').replace(/\uFFFD$/, '') });
    this.logBytes = LOG_CAP_BYTES;
    this.logsTruncated = true;
    this.logs.push({ level: 'warn', message: '[fnstudio] console output truncated: more than 4 KB was logged (Segment shows at most 4 KB)' });
  }

  end(): void {
    this.active = false;
    for (const handle of this.timers.values()) clearTimeout(handle);
    this.timers.clear();
  }
}

let current: Invocation | null = null;

export function currentInvocation(): Invocation | null {
  return current;
}

export function setCurrentInvocation(invocation: Invocation | null): void {
  current = invocation;
}

/** True while `invocation` is the one running: late callbacks of ended invocations are dropped. */
export function isLive(invocation: Invocation | null): invocation is Invocation {
  return invocation !== null && invocation.active && invocation === current;
}
