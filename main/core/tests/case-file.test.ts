import { describe, it, expect } from 'vitest';
import { parseTestCase, type ParsedCase } from './case-file';

const FILE = 'tests/order.test.json';

function problemOf(parsed: ParsedCase): string {
  if (parsed.ok) throw new Error('expected a malformed case');
  return parsed.problem;
}

describe('parseTestCase', () => {
  it('reads a full case', () => {
    const parsed = parseTestCase(
      JSON.stringify({
        name: 'posts an order',
        event: { type: 'track', event: 'Order Completed' },
        settings: { webhookUrl: 'https://hooks.example.com/in' },
        mocks: [{ method: 'post', url: 'https://hooks.example.com/*', body: { ok: true } }],
        expect: {
          outcome: 'Success',
          error: null,
          result: { ok: true },
          requests: [{ method: 'POST', url: '/hooks/', headers: { 'content-type': 'application/json' }, body: { event: 'Order Completed' } }],
          requestsExactly: true,
          logs: ['sent'],
        },
      }),
      FILE,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const c = parsed.testCase;
    expect(c.name).toBe('posts an order');
    expect(c.batch).toBe(false);
    expect(c.settings).toEqual({ webhookUrl: 'https://hooks.example.com/in' });
    // Mock rules are validated and completed as a rules file would be.
    expect(c.mocks).toEqual([{ method: 'POST', url: 'https://hooks.example.com/*', status: 200, body: { ok: true } }]);
    expect(c.expect.outcome).toBe('Success');
    expect(c.expect.error).toBeNull();
    expect(c.expect.hasResult).toBe(true);
    expect(c.expect.requestsExactly).toBe(true);
    expect(c.expect.logs).toEqual(['sent']);
  });

  it('names the case after its file when it has no name, and reads a batch', () => {
    const parsed = parseTestCase(JSON.stringify({ events: [{ type: 'track' }, { type: 'identify' }], expect: { items: [{ status: 200 }, { status: 400, errormessage: 'x' }] } }), FILE);
    expect(parsed.ok && parsed.testCase.name).toBe('order');
    expect(parsed.ok && parsed.testCase.batch).toBe(true);
    expect(parsed.ok && parsed.testCase.expect.items).toEqual([{ status: 200 }, { status: 400, errormessage: 'x' }]);
  });

  it('keeps result: null as an expectation (the handler must return nothing)', () => {
    const parsed = parseTestCase(JSON.stringify({ event: { type: 'track' }, expect: { result: null } }), FILE);
    expect(parsed.ok && parsed.testCase.expect.hasResult).toBe(true);
    expect(parsed.ok && parsed.testCase.expect.result).toBeNull();
  });

  it.each([
    ['{"event": {"type": "track"}, "expect": {', /tests\/order\.test\.json: invalid JSON at 1:\d+/],
    ['', /tests\/order\.test\.json: the file is empty/],
    ['[1]', /must be a JSON object/],
    ['{"expect": {"outcome": "Success"}}', /'event' is missing/],
    ['{"event": {"type": "track"}, "events": [{"type": "track"}], "expect": {}}', /give 'event' or 'events', not both/],
    ['{"event": "track", "expect": {}}', /'event' must be an event object/],
    ['{"events": [], "expect": {}}', /'events' must be a non-empty array/],
    ['{"events": [{"type": "track"}, 3], "expect": {}}', /events\[1\] must be an event object/],
    ['{"event": {"type": "track"}}', /the case checks nothing/],
    ['{"event": {"type": "track"}, "expects": {"outcome": "Success"}}', /unknown field 'expects'/],
    ['{"event": {"type": "track"}, "expect": {"outcome": "OK"}}', /'expect.outcome' must be one of "Success"/],
    ['{"event": {"type": "track"}, "expect": {"status": 200}}', /unknown field 'expect.status'/],
    ['{"event": {"type": "track"}, "expect": {"error": "boom"}}', /'expect.error' must be/],
    ['{"event": {"type": "track"}, "expect": {"error": {"message": "/(unclosed/"}}}', /'expect.error.message' \/\(unclosed\/ is not a valid regular expression/],
    ['{"event": {"type": "track"}, "expect": {"result": {"id": "/[/"}}}', /'expect.result.id' \/\[\/ is not a valid regular expression/],
    ['{"event": {"type": "track"}, "expect": {"requests": {}}}', /'expect.requests' must be an array/],
    ['{"event": {"type": "track"}, "expect": {"requests": [{"verb": "POST"}]}}', /unknown field 'expect.requests\[0\].verb'/],
    ['{"event": {"type": "track"}, "expect": {"requests": [{"headers": {"x": 1}}]}}', /'expect.requests\[0\].headers.x' must be a string/],
    ['{"event": {"type": "track"}, "expect": {"requestsExactly": true}}', /needs 'expect.requests'/],
    ['{"event": {"type": "track"}, "expect": {"logs": "sent"}}', /'expect.logs' must be an array of strings/],
    ['{"event": {"type": "track"}, "expect": {"items": [{"status": 200}]}}', /'expect.items' is for batches/],
    ['{"events": [{"type": "track"}], "expect": {"items": [{"status": "ok"}]}}', /'expect.items\[0\].status' must be a whole number/],
    ['{"event": {"type": "track"}, "settings": [], "expect": {}}', /'settings' must be an object/],
    ['{"event": {"type": "track"}, "mocks": [{"url": "api.example.com"}], "expect": {}}', /'mocks' rule \[0\]: 'url' "api.example.com" never matches/],
    ['{"event": {"type": "track"}, "snapshot": "yes"}', /'snapshot' must be true or false/],
  ])('reports a malformed case %s with the file and the problem', (text, pattern) => {
    const problem = problemOf(parseTestCase(text, FILE));
    expect(problem).toMatch(pattern);
    expect(problem).toContain(FILE);
  });

  it('keeps the name of a malformed case when it has one', () => {
    const parsed = parseTestCase('{"name": "rejects bad orders", "event": {"type": "track"}}', FILE);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.name).toBe('rejects bad orders');
  });
});
