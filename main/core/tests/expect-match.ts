/**
 * Compares a run's outcome with a case's expectations and lists every difference, each
 * with a path in the case's terms (`requests[0].body.total`), so a failure says exactly
 * what and where. The rules (README, "Test cases"):
 * - `outcome` exact; `error.name` exact, `error.message` a substring; `logs` substrings;
 *   `items[i].errormessage` a substring; any other string compares exactly;
 * - any expected string written `/…/flags` is a regular expression instead;
 * - `result`, request `headers` (names case-insensitive) and request `body` (JSON-parsed
 *   when it is JSON) are subset matches: every given key must match, extra keys are fine;
 *   arrays match element by element and must have the same length;
 * - `requests` are compared in order, the i-th expected with the i-th request made; more
 *   requests than expected are fine unless `requestsExactly`.
 */
import type { Outcome, RequestTrace } from '../../contract/outcome';
import type { TestMismatch } from '../../contract/tests';
import { REGEX_STRING, type Expectations, type ExpectedRequest } from './case-file';

export function matchOutcome(expect: Expectations, outcome: Outcome): TestMismatch[] {
  const out: TestMismatch[] = [];
  if (expect.outcome !== undefined && expect.outcome !== outcome.outcome) {
    const why = outcome.error ? ` (${outcome.error.name}: ${firstLine(outcome.error.message)})` : '';
    out.push({ path: 'outcome', expected: expect.outcome, actual: outcome.outcome, message: `outcome is ${outcome.outcome}${why}, expected ${expect.outcome}` });
  }
  matchError(expect, outcome, out);
  if (expect.hasResult) subsetMismatches(expect.result, outcome.result, 'result', out);
  if (expect.requests !== undefined) matchRequests(expect.requests, expect.requestsExactly, outcome.requests, out);
  if (expect.logs !== undefined) matchLogs(expect.logs, outcome, out);
  if (expect.items !== undefined) matchItems(expect, outcome, out);
  return out;
}

function matchError(expect: Expectations, outcome: Outcome, out: TestMismatch[]): void {
  if (expect.error === undefined) return;
  const actual = outcome.error ? { name: outcome.error.name, message: outcome.error.message } : null;
  if (expect.error === null) {
    if (actual) out.push({ path: 'error', expected: null, actual, message: `expected no error, got ${actual.name}: ${firstLine(actual.message)}` });
    return;
  }
  if (!actual) {
    out.push({ path: 'error', expected: expect.error, actual: null, message: 'expected an error, the run ended without one' });
    return;
  }
  if (expect.error.name !== undefined && !textMatches(expect.error.name, actual.name, 'exact')) {
    out.push({ path: 'error.name', expected: expect.error.name, actual: actual.name, message: `error name is ${actual.name}, expected ${expect.error.name}` });
  }
  if (expect.error.message !== undefined && !textMatches(expect.error.message, actual.message, 'substring')) {
    out.push({
      path: 'error.message',
      expected: expect.error.message,
      actual: actual.message,
      message: `error message ${JSON.stringify(firstLine(actual.message))} ${isRegex(expect.error.message) ? 'does not match' : 'does not contain'} ${expect.error.message}`,
    });
  }
}

function matchRequests(expected: ExpectedRequest[], exactly: boolean, actual: RequestTrace[], out: TestMismatch[]): void {
  expected.forEach((want, i) => {
    const path = `requests[${i}]`;
    const got = actual[i];
    if (!got) {
      out.push({ path, expected: want, actual: undefined, message: `expected request #${i + 1} (${describeRequest(want)}), the run made ${actual.length}` });
      return;
    }
    // Methods are case-insensitive in HTTP; a regex is taken as written.
    if (want.method !== undefined && !textMatches(isRegex(want.method) ? want.method : want.method.toUpperCase(), got.method.toUpperCase(), 'exact')) {
      out.push({ path: `${path}.method`, expected: want.method, actual: got.method, message: `request #${i + 1} method is ${got.method}, expected ${want.method}` });
    }
    if (want.url !== undefined && !textMatches(want.url, got.url, 'exact')) {
      out.push({ path: `${path}.url`, expected: want.url, actual: got.url, message: `request #${i + 1} went to ${got.url}, expected ${want.url}` });
    }
    if (want.headers !== undefined) {
      const lower = new Map(Object.entries(got.headers).map(([k, v]) => [k.toLowerCase(), v]));
      for (const [name, value] of Object.entries(want.headers)) {
        const have = lower.get(name.toLowerCase());
        if (have === undefined) {
          out.push({ path: `${path}.headers.${name}`, expected: value, actual: undefined, message: `request #${i + 1} has no ${name} header` });
        } else if (!textMatches(value, have, 'exact')) {
          out.push({ path: `${path}.headers.${name}`, expected: value, actual: have, message: `request #${i + 1} header ${name} is ${JSON.stringify(have)}, expected ${JSON.stringify(value)}` });
        }
      }
    }
    if (Object.prototype.hasOwnProperty.call(want, 'body')) matchBody(want.body, got.body, `${path}.body`, out);
  });
  if (exactly && actual.length > expected.length) {
    actual.slice(expected.length).forEach((extra, k) => {
      const i = expected.length + k;
      out.push({ path: `requests[${i}]`, expected: undefined, actual: requestView(extra), message: `unexpected request #${i + 1}: ${extra.method} ${extra.url} (requestsExactly)` });
    });
  }
}

function matchBody(expected: unknown, actualText: string | null, path: string, out: TestMismatch[]): void {
  if (typeof expected === 'string') {
    if (actualText === null || !textMatches(expected, actualText, 'exact')) {
      out.push({ path, expected, actual: actualText, message: `body ${actualText === null ? 'is empty' : 'differs'}, expected ${JSON.stringify(expected)}` });
    }
    return;
  }
  const parsed = parseJsonBody(actualText);
  if (!parsed.ok) {
    out.push({ path, expected, actual: actualText, message: actualText === null ? 'the request had no body, expected a JSON body' : 'the body is not JSON, expected a JSON body' });
    return;
  }
  subsetMismatches(expected, parsed.value, path, out);
}

function matchLogs(expected: string[], outcome: Outcome, out: TestMismatch[]): void {
  const messages = outcome.logs.map((l) => l.message);
  expected.forEach((want, i) => {
    if (!messages.some((m) => textMatches(want, m, 'substring'))) {
      out.push({ path: `logs[${i}]`, expected: want, actual: messages, message: `no log line ${isRegex(want) ? 'matches' : 'contains'} ${JSON.stringify(want)}` });
    }
  });
}

function matchItems(expect: Expectations, outcome: Outcome, out: TestMismatch[]): void {
  const expected = expect.items ?? [];
  const actual = outcome.items ?? [];
  if (actual.length !== expected.length) {
    out.push({ path: 'items', expected: expected.length, actual: actual.length, message: `the batch has ${actual.length} item result(s), the case expects ${expected.length}` });
  }
  expected.forEach((want, i) => {
    const got = actual[i];
    if (!got) return;
    if (want.status !== undefined && want.status !== got.status) {
      out.push({ path: `items[${i}].status`, expected: want.status, actual: got.status, message: `item ${i} has status ${got.status}, expected ${want.status}` });
    }
    if (want.errormessage !== undefined && !textMatches(want.errormessage, got.errormessage ?? '', 'substring')) {
      out.push({ path: `items[${i}].errormessage`, expected: want.errormessage, actual: got.errormessage, message: `item ${i} errormessage ${JSON.stringify(got.errormessage ?? '')} does not ${isRegex(want.errormessage) ? 'match' : 'contain'} ${want.errormessage}` });
    }
  });
}

/** Every key of `expected` must match in `actual`; arrays element by element. */
function subsetMismatches(expected: unknown, actual: unknown, path: string, out: TestMismatch[]): void {
  if (typeof expected === 'string' && isRegex(expected)) {
    if ((typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') && textMatches(expected, String(actual), 'exact')) return;
    out.push({ path, expected, actual, message: `${path} is ${short(actual)}, which does not match ${expected}` });
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push({ path, expected, actual, message: `${path} is ${short(actual)}, expected an array` });
      return;
    }
    if (actual.length !== expected.length) {
      out.push({ path, expected, actual, message: `${path} has ${actual.length} element(s), expected ${expected.length}` });
      return;
    }
    expected.forEach((e, i) => subsetMismatches(e, actual[i], `${path}[${i}]`, out));
    return;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) {
      out.push({ path, expected, actual, message: `${path} is ${short(actual)}, expected an object` });
      return;
    }
    for (const [key, value] of Object.entries(expected)) {
      const child = `${path}.${key}`;
      if (!Object.prototype.hasOwnProperty.call(actual, key)) {
        out.push({ path: child, expected: value, actual: undefined, message: `${child} is missing` });
      } else {
        subsetMismatches(value, actual[key], child, out);
      }
    }
    return;
  }
  if (expected !== actual) out.push({ path, expected, actual, message: `${path} is ${short(actual)}, expected ${short(expected)}` });
}

function textMatches(expected: string, actual: string, mode: 'exact' | 'substring'): boolean {
  const m = REGEX_STRING.exec(expected);
  if (m) return new RegExp(m[1], m[2].replace(/[gy]/g, '')).test(actual);
  return mode === 'exact' ? actual === expected : actual.includes(expected);
}

function isRegex(text: string): boolean {
  return REGEX_STRING.test(text);
}

/** A request as the report shows it: its body JSON-parsed when it is JSON. */
function requestView(r: RequestTrace): { method: string; url: string; headers: Record<string, string>; body: unknown } {
  const parsed = parseJsonBody(r.body);
  return { method: r.method, url: r.url, headers: r.headers, body: parsed.ok ? parsed.value : r.body };
}

export function parseJsonBody(text: string | null): { ok: true; value: unknown } | { ok: false } {
  if (text === null) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function describeRequest(r: ExpectedRequest): string {
  return [r.method ?? 'any method', r.url ?? 'any URL'].join(' ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function short(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
