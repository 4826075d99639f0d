import { describe, it, expect } from 'vitest';
import type { Outcome, RequestTrace } from '../../contract/outcome';
import { parseTestCase } from './case-file';
import { matchOutcome } from './expect-match';

function request(partial: Partial<RequestTrace>): RequestTrace {
  return { method: 'POST', url: 'https://hooks.example.com/in', headers: {}, body: null, response: null, mocked: true, durationMs: 1, ...partial };
}

function outcome(partial: Partial<Outcome> = {}): Outcome {
  return { outcome: 'Success', retryable: false, error: null, logs: [], logsTruncated: false, requests: [], result: null, durationMs: 3, ...partial };
}

/** The mismatches of a case (its `expect` as JSON) against an outcome. */
function check(expectJson: Record<string, unknown>, actual: Outcome, batch = false) {
  const parsed = parseTestCase(JSON.stringify({ [batch ? 'events' : 'event']: batch ? [{ type: 'track' }] : { type: 'track' }, expect: expectJson }), 'tests/x.test.json');
  if (!parsed.ok) throw new Error(parsed.problem);
  return matchOutcome(parsed.testCase.expect, actual);
}

const paths = (mismatches: Array<{ path: string }>) => mismatches.map((m) => m.path);

describe('outcome and error', () => {
  it('outcome must be exactly the category', () => {
    expect(check({ outcome: 'Success' }, outcome())).toEqual([]);
    const [m] = check({ outcome: 'Success' }, outcome({ outcome: 'Retry', error: { name: 'RetryError', message: 'Webhook answered 503', stack: '', frames: [] } }));
    expect(m).toMatchObject({ path: 'outcome', expected: 'Success', actual: 'Retry' });
    expect(m.message).toContain('RetryError: Webhook answered 503');
  });

  const failed = outcome({ outcome: 'Retry', error: { name: 'RetryError', message: 'Webhook answered 503 Service Unavailable', stack: '', frames: [] } });

  it('error name is exact, message a substring', () => {
    expect(check({ error: { name: 'RetryError', message: 'answered 503' } }, failed)).toEqual([]);
    expect(paths(check({ error: { name: 'Retry' } }, failed))).toEqual(['error.name']);
    expect(paths(check({ error: { message: 'answered 500' } }, failed))).toEqual(['error.message']);
  });

  it('error strings may be /regex/', () => {
    expect(check({ error: { name: '/^Retry/', message: '/answered 5\\d\\d/' } }, failed)).toEqual([]);
    expect(paths(check({ error: { message: '/answered 4\\d\\d/' } }, failed))).toEqual(['error.message']);
  });

  it('error null means no error; an expected error needs one', () => {
    expect(paths(check({ error: null }, failed))).toEqual(['error']);
    expect(check({ error: null }, outcome())).toEqual([]);
    expect(check({ error: { name: 'RetryError' } }, outcome())[0]).toMatchObject({ path: 'error', actual: null });
  });
});

describe('result (subset)', () => {
  const actual = outcome({ result: { status: 200, body: { id: 'a1b2', tags: ['x', 'y'], nested: { deep: true, extra: 1 } }, extra: 'ignored' } });

  it('extra keys are allowed, every given key must match', () => {
    expect(check({ result: { status: 200 } }, actual)).toEqual([]);
    expect(check({ result: { body: { nested: { deep: true } } } }, actual)).toEqual([]);
    const mismatches = check({ result: { status: 201, body: { nested: { deep: false } }, missing: 1 } }, actual);
    expect(paths(mismatches)).toEqual(['result.status', 'result.body.nested.deep', 'result.missing']);
    expect(mismatches[0]).toMatchObject({ expected: 201, actual: 200 });
    expect(mismatches[2].message).toBe('result.missing is missing');
  });

  it('arrays match element by element with the same length', () => {
    expect(check({ result: { body: { tags: ['x', 'y'] } } }, actual)).toEqual([]);
    expect(paths(check({ result: { body: { tags: ['x'] } } }, actual))).toEqual(['result.body.tags']);
    expect(paths(check({ result: { body: { tags: ['x', 'z'] } } }, actual))).toEqual(['result.body.tags[1]']);
  });

  it('a /regex/ string matches strings and numbers', () => {
    expect(check({ result: { status: '/^2\\d\\d$/', body: { id: '/^[a-z0-9]+$/' } } }, actual)).toEqual([]);
    expect(paths(check({ result: { body: { id: '/^\\d+$/' } } }, actual))).toEqual(['result.body.id']);
  });

  it('types must agree: an object is not an array, a string not a number, null is a value', () => {
    expect(paths(check({ result: { status: '200' } }, actual))).toEqual(['result.status']);
    expect(paths(check({ result: { body: [] } }, actual))).toEqual(['result.body']);
    expect(paths(check({ result: null }, actual))).toEqual(['result']);
    expect(check({ result: null }, outcome())).toEqual([]);
  });
});

describe('requests', () => {
  const actual = outcome({
    requests: [
      request({ method: 'POST', url: 'https://hooks.example.com/in', headers: { 'Content-Type': 'application/json', authorization: 'Bearer t' }, body: '{"event":"Order Completed","total":12,"items":[1,2]}' }),
      request({ method: 'GET', url: 'https://api.example.com/users/42', body: null }),
    ],
  });

  it('compares in order, the i-th expected with the i-th made', () => {
    expect(check({ requests: [{ method: 'POST' }, { method: 'GET' }] }, actual)).toEqual([]);
    expect(paths(check({ requests: [{ method: 'GET' }, { method: 'POST' }] }, actual))).toEqual(['requests[0].method', 'requests[1].method']);
  });

  it('method is case-insensitive, url exact or /regex/', () => {
    expect(check({ requests: [{ method: 'post', url: 'https://hooks.example.com/in' }] }, actual)).toEqual([]);
    expect(check({ requests: [{}, { url: '/\\/users\\/\\d+$/' }] }, actual)).toEqual([]);
    expect(paths(check({ requests: [{ url: 'https://hooks.example.com/' }] }, actual))).toEqual(['requests[0].url']);
  });

  it('headers are a subset, names case-insensitive', () => {
    expect(check({ requests: [{ headers: { 'content-type': 'application/json', Authorization: '/^Bearer /' } }] }, actual)).toEqual([]);
    expect(paths(check({ requests: [{ headers: { 'content-type': 'text/plain', 'x-missing': 'a' } }] }, actual))).toEqual([
      'requests[0].headers.content-type',
      'requests[0].headers.x-missing',
    ]);
  });

  it('a JSON body is parsed and matched as a subset; a string body is compared as text', () => {
    expect(check({ requests: [{ body: { event: 'Order Completed', items: [1, 2] } }] }, actual)).toEqual([]);
    expect(paths(check({ requests: [{ body: { total: 13 } }] }, actual))).toEqual(['requests[0].body.total']);
    expect(check({ requests: [{ body: '/"total":12/' }] }, actual)).toEqual([]);
    expect(paths(check({ requests: [{}, { body: { a: 1 } }] }, actual))).toEqual(['requests[1].body']);
  });

  it('missing requests fail; extra ones only with requestsExactly', () => {
    const missing = check({ requests: [{}, {}, { url: 'https://third.example.com/' }] }, actual);
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ path: 'requests[2]', actual: undefined });
    expect(check({ requests: [{ method: 'POST' }] }, actual)).toEqual([]);
    const extra = check({ requests: [{ method: 'POST' }], requestsExactly: true }, actual);
    expect(extra).toHaveLength(1);
    expect(extra[0]).toMatchObject({ path: 'requests[1]', expected: undefined, actual: { method: 'GET', url: 'https://api.example.com/users/42' } });
    expect(paths(check({ requests: [], requestsExactly: true }, actual))).toEqual(['requests[0]', 'requests[1]']);
    expect(check({ requests: [], requestsExactly: true }, outcome())).toEqual([]);
  });
});

describe('logs', () => {
  const actual = outcome({ logs: [{ level: 'log', message: 'Delivered Order Completed (200)' }, { level: 'warn', message: 'slow answer: 900 ms' }] });
  it('each expected string is a substring (or /regex/) of some log line', () => {
    expect(check({ logs: ['Delivered Order', '/slow answer: \\d+ ms/'] }, actual)).toEqual([]);
    const [m] = check({ logs: ['Delivered', 'not logged'] }, actual);
    expect(m).toMatchObject({ path: 'logs[1]', expected: 'not logged', actual: ['Delivered Order Completed (200)', 'slow answer: 900 ms'] });
  });
});

describe('batch items', () => {
  const actual = outcome({
    items: [
      { index: 0, status: 200, category: 'Success' },
      { index: 1, status: 400, errormessage: 'missing userId and anonymousId', category: 'Message Rejected' },
    ],
  });
  it('status exact, errormessage a substring or /regex/, per position', () => {
    expect(check({ items: [{ status: 200 }, { status: 400, errormessage: 'missing userId' }] }, actual, true)).toEqual([]);
    expect(check({ items: [{}, { errormessage: '/^missing \\w+/' }] }, actual, true)).toEqual([]);
    expect(paths(check({ items: [{ status: 400 }, { status: 400, errormessage: 'timeout' }] }, actual, true))).toEqual(['items[0].status', 'items[1].errormessage']);
  });
  it('the number of items must agree', () => {
    expect(check({ items: [{ status: 200 }] }, actual, true)[0]).toMatchObject({ path: 'items', expected: 1, actual: 2 });
  });
});
