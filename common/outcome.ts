/**
 * The outcome of one invocation of a destination function: the single shape every
 * host shows (CLI prints it, the renderer draws it, replay aggregates it).
 * Must stay JSON-serialisable: it crosses worker, process and WebSocket boundaries.
 */

/** Segment's Event Delivery categories (see shared/design/segment-runtime.md). */
export type OutcomeCategory =
  | 'Success'
  | 'Bad Request'
  | 'Invalid Settings'
  | 'Message Rejected'
  | 'Unsupported Event Type'
  | 'Retry'
  | 'Timeout'
  | 'Dropped';

export const OUTCOME_CATEGORIES: readonly OutcomeCategory[] = [
  'Success',
  'Bad Request',
  'Invalid Settings',
  'Message Rejected',
  'Unsupported Event Type',
  'Retry',
  'Timeout',
  'Dropped',
];

/** Categories Segment retries. */
export function isRetryable(category: OutcomeCategory): boolean {
  return category === 'Retry' || category === 'Timeout';
}

/** One stack frame in the user's own file (1-based line and column). */
export interface UserStackFrame {
  functionName: string | null;
  line: number;
  column: number;
}

export interface OutcomeError {
  name: string;
  message: string;
  /** Stack text whose frames name the user's file and lines; host frames removed. */
  stack: string;
  /** The same frames, parsed, for jump-to-line. Empty when none are in user code. */
  frames: UserStackFrame[];
}

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';

export interface LogEntry {
  level: LogLevel;
  /** Formatted like Node's console (util.format semantics). */
  message: string;
}

export interface RequestResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** Body as text (binary bodies are given as a `[binary N bytes]` note). */
  body: string | null;
}

export interface RequestTrace {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  /** null when the request failed at the network level (see `error`). */
  response: RequestResponse | null;
  error?: string;
  /**
   * Set when the request went to a loopback or private address (allowed on the desktop,
   * refused in strict network mode): Segment's servers could not reach it.
   */
  warning?: string;
  /** True when a mock rule answered instead of the network. */
  mocked: boolean;
  durationMs: number;
}

/** One entry per input event of an onBatch invocation, by position. */
export interface BatchItemResult {
  index: number;
  status: number;
  errormessage?: string;
  category: OutcomeCategory;
}

export interface Outcome {
  outcome: OutcomeCategory;
  retryable: boolean;
  error: OutcomeError | null;
  logs: LogEntry[];
  /** True when console output exceeded the cap and was cut (a marker log is appended). */
  logsTruncated: boolean;
  requests: RequestTrace[];
  /** The handler's return value (structured-cloned to plain JSON data). */
  result: unknown;
  durationMs: number;
  /** Present for batch invocations only. */
  items?: BatchItemResult[];
}
