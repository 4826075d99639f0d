import { describe, it, expect } from 'vitest';
import type { Outcome } from '../contract/outcome';
import { jsonReport, palette, renderHuman, wantsColor } from './render-outcome';
import { exitStatus } from './commands/run';

function outcome(patch: Partial<Outcome>): Outcome {
  return {
    outcome: 'Success',
    retryable: false,
    error: null,
    logs: [],
    logsTruncated: false,
    requests: [],
    result: undefined,
    durationMs: 12.34,
    ...patch,
  };
}

describe('renderHuman', () => {
  it('shows category, error stack, logs, requests with bodies, result and items', () => {
    const text = renderHuman(
      outcome({
        outcome: 'Retry',
        retryable: true,
        error: { name: 'RetryError', message: 'later', stack: 'RetryError: later\n    at onTrack (handler.js:4:11)', frames: [{ functionName: 'onTrack', line: 4, column: 11 }] },
        logs: [
          { level: 'log', message: 'one\ntwo' },
          { level: 'error', message: 'bad' },
        ],
        logsTruncated: true,
        requests: [
          {
            method: 'POST',
            url: 'https://api.test/x',
            headers: { 'content-type': 'application/json' },
            body: '{"a":1}',
            response: { status: 503, statusText: 'Service Unavailable', headers: { 'retry-after': '1' }, body: 'x'.repeat(5000) },
            mocked: true,
            durationMs: 3,
          },
          { method: 'GET', url: 'https://down.test/', headers: {}, body: null, response: null, error: 'blocked (offline)', mocked: false, durationMs: 0.4 },
        ],
        result: { ok: false },
        items: [
          { index: 0, status: 200, category: 'Success' },
          { index: 1, status: 500, errormessage: 'upstream', category: 'Retry' },
        ],
      }),
      palette(false),
    );
    expect(text).toMatch(/^Retry · 12\.3 ms · retryable/);
    expect(text).toContain('Error\n  RetryError: later\n      at onTrack (handler.js:4:11)');
    expect(text).toContain('Logs (2)\n  log   one\n        two\n  error bad\n  (console output was cut at the size limit)');
    expect(text).toContain('POST https://api.test/x → 503 Service Unavailable (3 ms · mocked)');
    expect(text).toContain('request body\n      {\n        "a": 1\n      }');
    expect(text).toContain('retry-after: 1');
    expect(text).toContain('… (1000 more characters; --json shows everything)');
    expect(text).toContain('GET https://down.test/ → network error: blocked (offline) (0.4 ms)');
    expect(text).toContain('Result\n  {\n    "ok": false\n  }');
    expect(text).toContain('Batch items (2)\n  [0] 200 Success\n  [1] 500 Retry · upstream');
  });

  it('says none for empty sections and shows undefined results', () => {
    const text = renderHuman(outcome({}), palette(false));
    expect(text).toContain('Logs (0)\n  (none)');
    expect(text).toContain('Requests (0)\n  (none)');
    expect(text).toContain('Result\n  undefined');
  });

  it('cuts a huge result in the report', () => {
    const text = renderHuman(outcome({ result: 'y'.repeat(10_000) }), palette(false));
    expect(text).toContain(`Result\n  "${'y'.repeat(3999)}\n  … (6002 more characters; --json shows everything)`);
  });

  it('colours by category only when enabled', () => {
    expect(renderHuman(outcome({}), palette(true))).toContain('\u001b[32mSuccess\u001b[39m');
    expect(renderHuman(outcome({ outcome: 'Bad Request' }), palette(true))).toContain('\u001b[31mBad Request\u001b[39m');
    expect(renderHuman(outcome({}), palette(false))).not.toMatch(/\u001b/);
  });
});

describe('wantsColor', () => {
  it('follows the TTY, NO_COLOR and FORCE_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(true);
  });
});

describe('jsonReport and exitStatus', () => {
  it('always has a result key', () => {
    expect(JSON.parse(JSON.stringify(jsonReport(outcome({}))))).toHaveProperty('result', null);
  });

  it('is 0 only for Success with every batch item successful', () => {
    expect(exitStatus(outcome({}))).toBe(0);
    expect(exitStatus(outcome({ outcome: 'Timeout' }))).toBe(1);
    expect(exitStatus(outcome({ items: [{ index: 0, status: 200, category: 'Success' }] }))).toBe(0);
    expect(exitStatus(outcome({ items: [{ index: 0, status: 400, category: 'Message Rejected' }] }))).toBe(1);
  });
});
