/**
 * Saved test cases (a function folder's `tests/*.test.json`) and what running them gives.
 * Plain data: these values cross the IPC bridge and the WebSocket.
 */
import type { Outcome } from './outcome';

/** Where a test case lives: `tests/` inside the function folder. */
export const TESTS_DIR = 'tests';
export const TEST_CASE_SUFFIX = '.test.json';
/** A case's recorded snapshot: `tests/<case>.snapshot.json`, beside `tests/<case>.test.json`. */
export const SNAPSHOT_SUFFIX = '.snapshot.json';

/** One difference between what a case expects and what the run did. */
export interface TestMismatch {
  /** Where, in the case's terms: `outcome`, `result.ok`, `requests[0].headers.authorization`, `snapshot.result`… */
  path: string;
  /** What the case asked for (undefined when the case asked for nothing there, e.g. an extra request). */
  expected?: unknown;
  /** What the run produced there (undefined when it produced nothing, e.g. a missing request). */
  actual?: unknown;
  /** One line for people: what did not match. */
  message: string;
}

export type TestCaseStatus = 'passed' | 'failed';

export interface TestCaseResult {
  /** The case file relative to the function folder, e.g. `tests/posts-order.test.json`. */
  file: string;
  /** The case's `name` (the file name when it has none or cannot be read). */
  name: string;
  status: TestCaseStatus;
  /** Set when the case file itself is malformed: the problem, naming the file. The case did not run. */
  malformed?: string;
  mismatches: TestMismatch[];
  /** The run's outcome, secrets masked; null when the case did not run. */
  outcome: Outcome | null;
  /** What happened to the snapshot of a `"snapshot": true` case. */
  snapshot?: 'written' | 'updated' | 'matched' | 'differs';
  durationMs: number;
}

export interface FunctionTestReport {
  functionId: string;
  /** The function folder (absolute). */
  dir: string;
  cases: TestCaseResult[];
  passed: number;
  failed: number;
  durationMs: number;
}

/** A case as listed in the app: its file, name and raw text (possibly malformed). */
export interface TestCaseFile {
  /** e.g. `tests/posts-order.test.json` */
  file: string;
  name: string;
  json: string;
}

export interface TestRunRequest {
  functionId: string;
  /** The code to test (the editor's buffer, possibly unsaved); default: handler.js on disk. */
  code?: string;
  /** Only these case files (as in TestCaseFile.file); default: every case. */
  files?: string[];
  updateSnapshots?: boolean;
}
