/**
 * Reads one test case file (`tests/<name>.test.json`). A case that cannot be read or is
 * malformed is not thrown away: parseTestCase returns the problem, naming the file, and
 * the runner reports it as a failing case (never a crash, never a silent skip).
 */
import type { MockRule } from '../../contract/mock';
import { OUTCOME_CATEGORIES, type OutcomeCategory } from '../../contract/outcome';
import { TEST_CASE_SUFFIX } from '../../contract/tests';
import { parseJsonText } from '../json-file';
import { MockRulesError, validateMockRules } from '../mock-rules';

export interface ExpectedRequest {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  /** An object/array is compared with the JSON-parsed body (subset); a string with the text. */
  body?: unknown;
}

export interface ExpectedItem {
  status?: number;
  errormessage?: string;
}

export interface Expectations {
  outcome?: OutcomeCategory;
  /** null: the run must end without an error. */
  error?: { name?: string; message?: string } | null;
  /** Present (even when null) only if the case gives `result`. */
  result?: unknown;
  hasResult: boolean;
  requests?: ExpectedRequest[];
  requestsExactly: boolean;
  logs?: string[];
  items?: ExpectedItem[];
}

export interface TestCase {
  /** Relative to the function folder, e.g. `tests/order.test.json`. */
  file: string;
  name: string;
  /** One event, or an array of events (a batch for onBatch). */
  input: unknown;
  batch: boolean;
  /** Overrides of the stored test values; null when the case gives none. */
  settings: Record<string, unknown> | null;
  mocks: MockRule[];
  expect: Expectations;
  snapshot: boolean;
}

export type ParsedCase = { ok: true; testCase: TestCase } | { ok: false; file: string; name: string; problem: string };

const CASE_FIELDS = ['name', 'description', 'event', 'events', 'settings', 'mocks', 'expect', 'snapshot'];
const EXPECT_FIELDS = ['outcome', 'error', 'result', 'requests', 'requestsExactly', 'logs', 'items'];
const REQUEST_FIELDS = ['method', 'url', 'headers', 'body'];
const ITEM_FIELDS = ['status', 'errormessage'];

class CaseProblem extends Error {}

/** The case's name from its file when it gives none: `tests/posts-order.test.json` → `posts-order`. */
export function caseNameFromFile(file: string): string {
  const base = file.split('/').pop() ?? file;
  return base.endsWith(TEST_CASE_SUFFIX) ? base.slice(0, -TEST_CASE_SUFFIX.length) : base;
}

/** `text` is the file's content; `file` its path relative to the function folder. */
export function parseTestCase(text: string, file: string): ParsedCase {
  const fallbackName = caseNameFromFile(file);
  let value: unknown;
  try {
    value = parseJsonText(text, file);
  } catch (err) {
    return { ok: false, file, name: fallbackName, problem: (err as Error).message };
  }
  const name = isObject(value) && typeof value.name === 'string' && value.name.trim() !== '' ? value.name : fallbackName;
  try {
    return { ok: true, testCase: checkCase(value, file, fallbackName) };
  } catch (err) {
    if (err instanceof CaseProblem) return { ok: false, file, name, problem: `${file}: ${err.message}` };
    throw err;
  }
}

function checkCase(value: unknown, file: string, fallbackName: string): TestCase {
  if (!isObject(value)) throw new CaseProblem(`a test case must be a JSON object like {"event": {…}, "expect": {"outcome": "Success"}}, got ${describe(value)}`);
  onlyFields(value, CASE_FIELDS, '');
  if (value.name !== undefined && (typeof value.name !== 'string' || value.name.trim() === '')) throw new CaseProblem(`'name' must be a non-empty string`);
  if (value.description !== undefined && typeof value.description !== 'string') throw new CaseProblem(`'description' must be a string`);

  const hasEvent = value.event !== undefined;
  const hasEvents = value.events !== undefined;
  if (hasEvent === hasEvents) {
    throw new CaseProblem(hasEvent ? `give 'event' or 'events', not both` : `'event' is missing (one event object, or 'events': an array for a batch)`);
  }
  if (hasEvent && !isObject(value.event)) throw new CaseProblem(`'event' must be an event object like {"type": "track", …}, got ${describe(value.event)}`);
  if (hasEvents) {
    if (!Array.isArray(value.events) || value.events.length === 0) throw new CaseProblem(`'events' must be a non-empty array of event objects (a batch for onBatch)`);
    value.events.forEach((e, i) => {
      if (!isObject(e)) throw new CaseProblem(`events[${i}] must be an event object, got ${describe(e)}`);
    });
  }

  let settings: Record<string, unknown> | null = null;
  if (value.settings !== undefined) {
    if (!isObject(value.settings)) throw new CaseProblem(`'settings' must be an object of setting names to values, got ${describe(value.settings)}`);
    settings = value.settings;
  }

  let mocks: MockRule[] = [];
  if (value.mocks !== undefined) {
    try {
      mocks = validateMockRules(value.mocks);
    } catch (err) {
      if (err instanceof MockRulesError) throw new CaseProblem(`'mocks' ${err.message}`);
      throw err;
    }
  }

  if (value.snapshot !== undefined && typeof value.snapshot !== 'boolean') throw new CaseProblem(`'snapshot' must be true or false`);
  const snapshot = value.snapshot === true;
  if (value.expect === undefined && !snapshot) {
    throw new CaseProblem(`the case checks nothing: give 'expect' (e.g. {"outcome": "Success"}) or "snapshot": true`);
  }
  const expectations = checkExpect(value.expect ?? {}, hasEvents);
  return {
    file,
    name: typeof value.name === 'string' ? value.name : fallbackName,
    input: hasEvents ? value.events : value.event,
    batch: hasEvents,
    settings,
    mocks,
    expect: expectations,
    snapshot,
  };
}

function checkExpect(value: unknown, batch: boolean): Expectations {
  if (!isObject(value)) throw new CaseProblem(`'expect' must be an object like {"outcome": "Success"}, got ${describe(value)}`);
  onlyFields(value, EXPECT_FIELDS, 'expect.');
  const out: Expectations = { hasResult: false, requestsExactly: false };

  if (value.outcome !== undefined) {
    if (typeof value.outcome !== 'string' || !(OUTCOME_CATEGORIES as readonly string[]).includes(value.outcome)) {
      throw new CaseProblem(`'expect.outcome' must be one of ${OUTCOME_CATEGORIES.map((c) => JSON.stringify(c)).join(', ')}, got ${describe(value.outcome)}`);
    }
    out.outcome = value.outcome as OutcomeCategory;
  }

  if (value.error !== undefined) {
    if (value.error === null) {
      out.error = null;
    } else {
      if (!isObject(value.error)) throw new CaseProblem(`'expect.error' must be {"name": …, "message": …} or null, got ${describe(value.error)}`);
      onlyFields(value.error, ['name', 'message'], 'expect.error.');
      const error: { name?: string; message?: string } = {};
      for (const key of ['name', 'message'] as const) {
        const v = value.error[key];
        if (v === undefined) continue;
        if (typeof v !== 'string') throw new CaseProblem(`'expect.error.${key}' must be a string (a /regex/ is allowed), got ${describe(v)}`);
        checkPattern(v, `expect.error.${key}`);
        error[key] = v;
      }
      out.error = error;
    }
  }

  if (Object.prototype.hasOwnProperty.call(value, 'result')) {
    out.hasResult = true;
    out.result = value.result;
    checkPatternsDeep(value.result, 'expect.result');
  }

  if (value.requests !== undefined) {
    if (!Array.isArray(value.requests)) throw new CaseProblem(`'expect.requests' must be an array of requests like {"method": "POST", "url": "…"}`);
    out.requests = value.requests.map((r, i) => checkRequest(r, `expect.requests[${i}]`));
  }
  if (value.requestsExactly !== undefined) {
    if (typeof value.requestsExactly !== 'boolean') throw new CaseProblem(`'expect.requestsExactly' must be true or false`);
    if (value.requestsExactly && value.requests === undefined) throw new CaseProblem(`'expect.requestsExactly' needs 'expect.requests' (use [] to expect no request at all)`);
    out.requestsExactly = value.requestsExactly;
  }

  if (value.logs !== undefined) {
    if (!Array.isArray(value.logs) || value.logs.some((l) => typeof l !== 'string')) throw new CaseProblem(`'expect.logs' must be an array of strings (substrings of log lines, or /regex/)`);
    value.logs.forEach((l, i) => checkPattern(l as string, `expect.logs[${i}]`));
    out.logs = value.logs as string[];
  }

  if (value.items !== undefined) {
    if (!batch) throw new CaseProblem(`'expect.items' is for batches: give the events as 'events' (an array) to use it`);
    if (!Array.isArray(value.items)) throw new CaseProblem(`'expect.items' must be an array like [{"status": 200}, {"status": 400, "errormessage": "…"}]`);
    out.items = value.items.map((item, i) => {
      const where = `expect.items[${i}]`;
      if (!isObject(item)) throw new CaseProblem(`'${where}' must be an object like {"status": 200}, got ${describe(item)}`);
      onlyFields(item, ITEM_FIELDS, `${where}.`);
      const expected: ExpectedItem = {};
      if (item.status !== undefined) {
        if (typeof item.status !== 'number' || !Number.isInteger(item.status)) throw new CaseProblem(`'${where}.status' must be a whole number such as 200`);
        expected.status = item.status;
      }
      if (item.errormessage !== undefined) {
        if (typeof item.errormessage !== 'string') throw new CaseProblem(`'${where}.errormessage' must be a string`);
        checkPattern(item.errormessage, `${where}.errormessage`);
        expected.errormessage = item.errormessage;
      }
      return expected;
    });
  }
  return out;
}

function checkRequest(value: unknown, where: string): ExpectedRequest {
  if (!isObject(value)) throw new CaseProblem(`'${where}' must be an object like {"method": "POST", "url": "…"}, got ${describe(value)}`);
  onlyFields(value, REQUEST_FIELDS, `${where}.`);
  const out: ExpectedRequest = {};
  for (const key of ['method', 'url'] as const) {
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '') throw new CaseProblem(`'${where}.${key}' must be a non-empty string (a /regex/ is allowed)`);
    checkPattern(v, `${where}.${key}`);
    out[key] = v;
  }
  if (value.headers !== undefined) {
    if (!isObject(value.headers)) throw new CaseProblem(`'${where}.headers' must be an object of header names to values`);
    for (const [name, v] of Object.entries(value.headers)) {
      if (typeof v !== 'string') throw new CaseProblem(`'${where}.headers.${name}' must be a string, got ${describe(v)}`);
      checkPattern(v, `${where}.headers.${name}`);
    }
    out.headers = value.headers as Record<string, string>;
  }
  if (Object.prototype.hasOwnProperty.call(value, 'body')) {
    checkPatternsDeep(value.body, `${where}.body`);
    out.body = value.body;
  }
  return out;
}

/** A string written `/…/flags` is a regular expression; a broken one is a malformed case, not a mismatch. */
export const REGEX_STRING = /^\/(.+)\/([dgimsuvy]*)$/s;

function checkPattern(text: string, where: string): void {
  const m = REGEX_STRING.exec(text);
  if (!m) return;
  try {
    new RegExp(m[1], m[2]);
  } catch (err) {
    throw new CaseProblem(`'${where}' ${text} is not a valid regular expression: ${(err as Error).message}`);
  }
}

function checkPatternsDeep(value: unknown, where: string): void {
  if (typeof value === 'string') checkPattern(value, where);
  else if (Array.isArray(value)) value.forEach((v, i) => checkPatternsDeep(v, `${where}[${i}]`));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) checkPatternsDeep(v, `${where}.${k}`);
}

function onlyFields(value: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new CaseProblem(`unknown field '${prefix}${key}' (allowed: ${allowed.join(', ')})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${String(v)}`;
  return typeof v;
}
