/**
 * Snapshots of `"snapshot": true` cases: the outcome category, the result and the
 * requests of a run, recorded into `tests/<case>.snapshot.json` on the first run (or with
 * update) and compared exactly on later runs.
 *
 * Values that change from run to run are replaced by placeholders before recording and
 * before comparing, so they never make a snapshot fail (README, "Snapshots"):
 * - strings: ISO-8601 date-times → `<timestamp>`, HTTP dates (`Tue, 01 Dec 2026 10:00:00 GMT`)
 *   → `<date>`, UUIDs → `<uuid>` (also where they are part of a longer string, e.g. a URL);
 * - numbers under a key named like a time (`timestamp`, `time`, `ts`, `date`, `*At`, `*_at`)
 *   that look like a Unix time in seconds or milliseconds → `<timestamp>`;
 * - numbers under a key named like a duration (`duration`, `durationMs`, `elapsed`,
 *   `elapsedMs`, `took`, `latency`) → `<duration>`;
 * - the run's own duration, the requests' timings and their `content-length` header (it
 *   follows the body, which is compared) are never recorded.
 * Request bodies are recorded JSON-parsed when they are JSON, so the placeholders apply
 * inside them too. Secrets are masked before anything is recorded.
 */
import { promises as fs } from 'node:fs';
import type { Outcome } from '../../contract/outcome';
import { SNAPSHOT_SUFFIX, TEST_CASE_SUFFIX, type TestMismatch } from '../../contract/tests';
import { writeFileAtomic } from '../atomic-write';
import { parseJsonText } from '../json-file';
import { parseJsonBody } from './expect-match';

const SNAPSHOT_FORMAT = 1;

export interface Snapshot {
  fnstudioSnapshot: number;
  outcome: string;
  result: unknown;
  requests: Array<{ method: string; url: string; headers: Record<string, string>; body: unknown }>;
}

/** `tests/order.test.json` → `tests/order.snapshot.json`. */
export function snapshotFileFor(caseFile: string): string {
  const base = caseFile.endsWith(TEST_CASE_SUFFIX) ? caseFile.slice(0, -TEST_CASE_SUFFIX.length) : caseFile;
  return `${base}${SNAPSHOT_SUFFIX}`;
}

export function snapshotOf(outcome: Outcome): Snapshot {
  return {
    fnstudioSnapshot: SNAPSHOT_FORMAT,
    outcome: outcome.outcome,
    result: normalizeVolatile(outcome.result ?? null),
    requests: outcome.requests.map((r) => {
      const parsed = parseJsonBody(r.body);
      return {
        method: r.method,
        url: normalizeVolatile(r.url) as string,
        headers: normalizeVolatile(recordedHeaders(r.headers)) as Record<string, string>,
        body: normalizeVolatile(parsed.ok ? parsed.value : r.body),
      };
    }),
  };
}

const ISO_DATE_TIME = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b/g;
const HTTP_DATE = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const TIME_KEY = /^(?:timestamp|time|ts|date|sentAt|receivedAt|originalTimestamp)$|At$|_at$|_time$|Time$|Timestamp$/;
const DURATION_KEY = /^(?:duration|durationMs|elapsed|elapsedMs|took|tookMs|latency|latencyMs)$/i;
// Unix times between 2001 and 2100, in seconds or milliseconds.
const isUnixTime = (n: number) => (n >= 1e9 && n < 4.2e9) || (n >= 1e12 && n < 4.2e12);

/** A copy with run-to-run values replaced by placeholders (see the module comment). */
export function normalizeVolatile(value: unknown, key?: string): unknown {
  if (typeof value === 'string') {
    return value.replace(ISO_DATE_TIME, '<timestamp>').replace(HTTP_DATE, '<date>').replace(UUID, '<uuid>');
  }
  if (typeof value === 'number' && key !== undefined) {
    if (DURATION_KEY.test(key)) return '<duration>';
    if (TIME_KEY.test(key) && isUnixTime(value)) return '<timestamp>';
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => normalizeVolatile(v));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeVolatile(v, k)]));
  }
  return value;
}

export type StoredSnapshot = { kind: 'missing' } | { kind: 'ok'; snapshot: Snapshot } | { kind: 'broken'; problem: string };

export async function readSnapshot(file: string, shownAs: string): Promise<StoredSnapshot> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'broken', problem: `${shownAs}: cannot read the snapshot: ${(err as Error).message}` };
  }
  let value: unknown;
  try {
    value = parseJsonText(text, shownAs);
  } catch (err) {
    return { kind: 'broken', problem: `${(err as Error).message} (fix it, delete it, or run with --update-snapshots)` };
  }
  const v = value as Partial<Snapshot> | null;
  if (typeof v !== 'object' || v === null || v.fnstudioSnapshot !== SNAPSHOT_FORMAT || typeof v.outcome !== 'string' || !Array.isArray(v.requests)) {
    return { kind: 'broken', problem: `${shownAs}: not a snapshot of this format (delete it or run with --update-snapshots)` };
  }
  return { kind: 'ok', snapshot: v as Snapshot };
}

export async function writeSnapshot(file: string, snapshot: Snapshot): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(snapshot, null, 2) + '\n');
}

/** Exact comparison; paths start with `snapshot.`. */
export function compareSnapshot(stored: Snapshot, actual: Snapshot): TestMismatch[] {
  const out: TestMismatch[] = [];
  exactMismatches(stored.outcome, actual.outcome, 'snapshot.outcome', out);
  exactMismatches(stored.result, actual.result, 'snapshot.result', out);
  exactMismatches(stored.requests, actual.requests, 'snapshot.requests', out);
  return out;
}

function exactMismatches(expected: unknown, actual: unknown, path: string, out: TestMismatch[]): void {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push({ path, expected, actual, message: `${path} has ${actual.length} element(s), the snapshot has ${expected.length}` });
      return;
    }
    expected.forEach((e, i) => exactMismatches(e, actual[i], `${path}[${i}]`, out));
    return;
  }
  if (isObject(expected) && isObject(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const child = `${path}.${key}`;
      if (!(key in actual)) out.push({ path: child, expected: expected[key], actual: undefined, message: `${child} is missing (the snapshot has it)` });
      else if (!(key in expected)) out.push({ path: child, expected: undefined, actual: actual[key], message: `${child} is new (not in the snapshot)` });
      else exactMismatches(expected[key], actual[key], child, out);
    }
    return;
  }
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    out.push({ path, expected, actual, message: `${path} is ${JSON.stringify(actual)}, the snapshot has ${JSON.stringify(expected)}` });
  }
}

function recordedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => name.toLowerCase() !== 'content-length')
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
