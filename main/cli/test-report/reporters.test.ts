import { describe, it, expect } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FunctionTestReport } from '../../contract/tests';
import type { Outcome } from '../../contract/outcome';
import { palette } from '../render-outcome';
import { junitReport } from './junit';
import { jsonTestReport } from './json';
import { prettyReport } from './pretty';

const ok: Outcome = { outcome: 'Success', retryable: false, error: null, logs: [{ level: 'log', message: 'sent <b> & "quoted"' }], logsTruncated: false, requests: [], result: { ok: true }, durationMs: 12 };
const bad: Outcome = { ...ok, outcome: 'Retry', retryable: true, error: { name: 'RetryError', message: 'Webhook answered 503', stack: '', frames: [{ functionName: 'onTrack', line: 7, column: 11 }] }, logs: [] };

const REPORTS: FunctionTestReport[] = [
  {
    functionId: 'webhook',
    dir: '/ws/webhook',
    passed: 1,
    failed: 2,
    durationMs: 40,
    cases: [
      { file: 'tests/posts.test.json', name: 'posts an order', status: 'passed', mismatches: [], outcome: ok, durationMs: 12 },
      {
        file: 'tests/retry.test.json',
        name: 'answers <ok> & "retries"',
        status: 'failed',
        mismatches: [
          { path: 'outcome', expected: 'Success', actual: 'Retry', message: 'outcome is Retry (RetryError: Webhook answered 503), expected Success' },
          { path: 'requests[1]', expected: { url: 'https://x.example.com/' }, message: 'expected request #2 (any method https://x.example.com/), the run made 1' },
        ],
        outcome: bad,
        durationMs: 20,
      },
      { file: 'tests/broken.test.json', name: 'broken', status: 'failed', malformed: 'tests/broken.test.json: invalid JSON at 3:5: expected \',\' or \'}\'\u0001', mismatches: [], outcome: null, durationMs: 0 },
    ],
  },
  { functionId: 'batch', dir: '/ws/batch', passed: 1, failed: 0, durationMs: 5, cases: [{ file: 'tests/b.test.json', name: 'batch', status: 'passed', mismatches: [], outcome: ok, durationMs: 5 }] },
];

describe('junit reporter', () => {
  const xml = junitReport(REPORTS, new Date('2026-12-05T21:00:00.000Z'));

  it('is well-formed XML (checked by a maintained XML parser)', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('has one testsuite per function, one testcase per case, a failure per failing case with path, expected and actual', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) }).parse(xml);
    const root = doc.testsuites;
    expect(root).toMatchObject({ name: 'fnstudio', tests: '4', failures: '2', errors: '0' });
    expect(root.testsuite.map((s: { name: string; tests: string; failures: string }) => [s.name, s.tests, s.failures])).toEqual([
      ['webhook', '3', '2'],
      ['batch', '1', '0'],
    ]);
    const [passed, failed, malformed] = root.testsuite[0].testcase;
    expect(passed).toMatchObject({ name: 'posts an order', classname: 'webhook', file: 'webhook/tests/posts.test.json', time: '0.012' });
    expect(passed.failure).toBeUndefined();
    // Escaped on the way in, the same text on the way out.
    expect(failed.name).toBe('answers <ok> & "retries"');
    const failure = failed.failure[0];
    expect(failure.type).toBe('ExpectationMismatch');
    expect(failure.message).toContain('outcome is Retry');
    expect(failure['#text']).toContain('outcome\n  expected: "Success"\n  actual:   "Retry"');
    expect(failure['#text']).toContain('requests[1]\n  expected: {"url":"https://x.example.com/"}\n  actual:   (nothing)');
    expect(malformed.failure[0].type).toBe('MalformedTestCase');
    expect(malformed.failure[0]['#text']).toContain("invalid JSON at 3:5");
    expect(root.testsuite[0].timestamp).toBe('2026-12-05T21:00:00');
  });

  it('replaces characters XML cannot carry instead of producing a broken file', () => {
    expect(xml).not.toContain('\u0001');
  });
});

describe('json reporter', () => {
  it('prints totals and every case', () => {
    const report = JSON.parse(jsonTestReport(REPORTS, 45.4));
    expect(report).toMatchObject({ passed: 2, failed: 2, total: 4, durationMs: 45 });
    expect(report.functions[0].cases[1].mismatches[0]).toEqual({ path: 'outcome', expected: 'Success', actual: 'Retry', message: expect.any(String) });
  });
});

describe('pretty reporter', () => {
  const text = prettyReport(REPORTS, 1234, palette(false));
  it('marks each case and explains failures', () => {
    expect(text).toContain('  ✓ posts an order 12 ms');
    expect(text).toContain('  ✗ answers <ok> & "retries" 20 ms tests/retry.test.json');
    expect(text).toContain('      outcome is Retry (RetryError: Webhook answered 503), expected Success');
    expect(text).toContain('        expected "Success"');
    expect(text).toContain('        actual   "Retry"');
    expect(text).toContain("      tests/broken.test.json: invalid JSON at 3:5");
    expect(text).toMatch(/Tests: 2 failed, 2 passed \(4 cases in 2 functions, 1\.23 s\)\n$/);
  });
  it('uses colour only when asked', () => {
    expect(text).not.toContain('\u001b[');
    expect(prettyReport(REPORTS, 1, palette(true))).toContain('\u001b[31m✗');
  });
});
