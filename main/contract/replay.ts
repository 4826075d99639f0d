/**
 * Replay: captured events delivered through a function as Segment's Event Delivery
 * would (integrations object, destination filters, batching, retries), and the record
 * of such a run. Shared by core (which writes it), the CLI and the renderer (which show it).
 */
import type { OutcomeCategory } from './outcome';

/** How an input file was read. */
export type InputFormat =
  | 'ndjson' // one event per line
  | 'batch-lines' // one {"batch": [...]} payload per line
  | 'json-array' // one JSON array of events
  | 'batch-file' // the whole file is one {"batch": [...]} payload
  | 'json-object' // the whole file is one event
  | 'empty';

export interface InputDescription {
  /** The path as given, or `-` for stdin. */
  file: string;
  format: InputFormat;
  gzip: boolean;
}

/** Why an input line was not replayed. */
export type SkipReason = 'not-json' | 'not-an-object' | 'no-type' | 'too-large' | 'unreadable';

export interface SkippedLine {
  file: string;
  /** 1-based line where the bad event starts. */
  line: number;
  reason: SkipReason;
  /** Short explanation, e.g. the JSON parser's message or the event's size. */
  detail: string;
}

/** The category an event ended with, or `Filtered` when it was never delivered to the function. */
export type ReplayCategory = OutcomeCategory | 'Filtered';

/** How an event's delivery ended. */
export type DeliveryEnd = 'delivered' | 'filtered' | 'discarded' | 'gave-up';

/** One line of outcomes.ndjson: what happened to one input event. */
export interface ReplayEventRecord {
  /** 0-based position of the event in the replay's input. */
  seq: number;
  file: string;
  line: number;
  type: string;
  /** The track event's name, when there is one. */
  event?: string;
  messageId?: string;
  category: ReplayCategory;
  end: DeliveryEnd;
  /** Invocations this event took part in (0 when filtered). */
  attempts: number;
  /** Duration of the last invocation (for a batch, the whole batch's). */
  latencyMs: number;
  /** Simulated time from the first attempt to the last (retries wait on a virtual clock). */
  virtualMs: number;
  /** The error message (batch: the item's errormessage), secrets masked. */
  error?: string;
  /** What filtered the event out: `integrations` or `filter: <title>`. */
  filteredBy?: string;
  /** Where this event's full details are in details.ndjson, when they were kept. */
  detail?: { offset: number; length: number };
}

/** One line of details.ndjson. */
export interface ReplayEventDetail {
  seq: number;
  /** The event as the function received it (after property filters). */
  event: unknown;
  /** The outcome of the last attempt (secrets masked). */
  outcome: import('./outcome').Outcome;
  /** For a batch: this event's position in the batch. */
  batchIndex?: number;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Non-empty histogram buckets: `count` invocations took at most `le` ms. */
  histogram: Array<{ le: number; count: number }>;
}

export interface ReplayOptionsSummary {
  live: boolean;
  ratePerSecond: number | null;
  retries: boolean;
  concurrency: number;
  /** Events per batch for an onBatch function; null when the function has no onBatch. */
  batchSize: number | null;
  destinationName: string;
  filters: number;
  mockRules: number;
  seed: number;
}

/** summary.json of a run record, and what `fnstudio replay --json` prints. */
export interface ReplaySummary {
  runId: string;
  functionId: string;
  startedAt: string;
  finished: boolean;
  cancelled: boolean;
  inputs: InputDescription[];
  options: ReplayOptionsSummary;
  /** Events read (skipped lines not included). */
  total: number;
  delivered: number;
  filtered: number;
  skipped: { count: number; byReason: Partial<Record<SkipReason, number>>; lines: SkippedLine[] };
  byOutcome: Partial<Record<ReplayCategory, number>>;
  retried: { delivered: number; gaveUp: number };
  /** Event attempts summed over events (a batch of 20 counts 20). */
  attempts: number;
  /** Invocations of the function (a batch counts once). */
  invocations: number;
  durationMs: number;
  eventsPerSecond: number;
  latencyMs: LatencySummary;
  /** Longest simulated delivery time of an event (retries on the virtual clock). */
  simulatedDeliveryMs: number;
  /**
   * Most frequent errors, grouped by category and message pattern (digits as #, long ids
   * as …), with one real message as the example.
   */
  topErrors: Array<{ message: string; example: string; category: ReplayCategory; count: number }>;
  /** Requests that no mock rule answered while offline, by host. */
  offlineHosts: Record<string, number>;
  /** Events finished per interval of `intervalMs`, from the start. */
  throughput: { intervalMs: number; counts: number[] };
  /** Details kept (non-successes, then a sample of successes) and left out beyond the cap. */
  details: { kept: number; omitted: number };
}

/** Progress while a replay runs. */
export interface ReplayProgress {
  runId: string;
  /** Input bytes read so far, and in all (null for stdin). */
  bytesRead: number;
  bytesTotal: number | null;
  eventsRead: number;
  finished: number;
  delivered: number;
  filtered: number;
  failed: number;
  skipped: number;
  elapsedMs: number;
}

/** A run record as listed. */
export interface ReplayRunInfo {
  runId: string;
  startedAt: string;
  total: number;
  delivered: number;
  finished: boolean;
}

/** One action of a destination filter (Segment Public API `DestinationFilterActionV1`). */
export interface DestinationFilterAction {
  type: 'DROP' | 'SAMPLE' | 'ALLOW_PROPERTIES' | 'DROP_PROPERTIES';
  /** SAMPLE: the share of matching events to keep, from 0 to 1. */
  percent?: number;
  /** SAMPLE: a field whose value decides the sample consistently (e.g. `userId`). */
  path?: string;
  /** ALLOW_PROPERTIES / DROP_PROPERTIES: object path (`''` = the top level) → keys. */
  fields?: Record<string, string[]>;
}

/** A destination filter (Segment Public API `DestinationFilterV1`); stored per function in filters.json. */
export interface DestinationFilter {
  id?: string;
  title?: string;
  description?: string;
  /** FQL, e.g. `type = "track" and event = "Order Completed"`, or `all`. */
  if: string;
  actions: DestinationFilterAction[];
  enabled: boolean;
}

/**
 * A file to replay: a path on the host's machine, its content (a small file dropped in a
 * browser), or a file uploaded in chunks with replay.uploadBegin/uploadChunk (any size up to
 * MAX_REPLAY_UPLOAD_BYTES); an upload is deleted when the run that uses it ends.
 */
export type ReplayInput = { path: string } | { name: string; contentBase64: string } | { upload: string };

/** Bytes of a dropped file per replay.uploadChunk call: base64 of it fits a web host message. */
export const REPLAY_UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
/** What the host keeps of uploaded files at once (all uploads together), on the disk. */
export const MAX_REPLAY_UPLOAD_BYTES = 8 * 1024 * 1024 * 1024;

export interface ReplayUploadStarted {
  uploadId: string;
  /** Send chunks of at most this many bytes, in order. */
  chunkBytes: number;
}

export interface ReplayUploadProgress {
  /** Bytes received so far: the offset of the next chunk. */
  received: number;
  complete: boolean;
}

export interface ReplayStartRequest {
  functionId: string;
  /** Chosen by the caller (like runner.run's runId), to cancel and to match progress events. */
  runId: string;
  inputs: ReplayInput[];
  /** Requests no mock rule answers go to the network (default: they fail as offline). */
  live?: boolean;
  ratePerSecond?: number | null;
  retries?: boolean;
  concurrency?: number;
  batchSize?: number;
  /** Filters for this run; omitted = the function's filters.json. */
  filters?: DestinationFilter[];
  /** Omitted = the function's display name. */
  destinationName?: string;
  seed?: number;
}

/** A page of a run's events, filtered. */
export interface ReplayEventsQuery {
  offset: number;
  limit: number;
  category?: ReplayCategory;
  type?: string;
  /** Substring of the error message. */
  error?: string;
}
