/** The renderer's "Save as test" draft, checked against the real case parser and matcher. */
import { describe, it, expect } from 'vitest';
import type { Outcome } from '../../main/contract';
import { caseFileName, caseFromOutcome } from '../src/tests/case-from-outcome';
import { parseTestCase } from '../../main/core/tests/case-file';
import { matchOutcome } from '../../main/core/tests/expect-match';

const outcome: Outcome = {
  outcome: 'Success',
  retryable: false,
  error: null,
  logs: [{ level: 'log', message: 'sent' }],
  logsTruncated: false,
  requests: [
    {
      method: 'POST',
      url: 'https://hooks.example.com/in?a=*',
      headers: { authorization: 'Bearer ••••9876', 'content-type': 'application/json' },
      body: '{"event":"Order Completed","key":"••••9876","total":12}',
      response: { status: 201, statusText: 'Created', headers: { 'content-type': 'application/json' }, body: '{"id":"r1"}' },
      mocked: false,
      durationMs: 80,
    },
  ],
  result: { status: 201, token: 'abc••••9876' },
  durationMs: 90,
};

describe('caseFromOutcome', () => {
  const draft = caseFromOutcome({ name: 'posts an order', input: { type: 'track', event: 'Order Completed' }, outcome, settings: { webhookUrl: 'https://hooks.example.com/in' } });

  it('turns the outcome into expectations, responses into mocks, and leaves secrets out', () => {
    expect(draft).toEqual({
      name: 'posts an order',
      event: { type: 'track', event: 'Order Completed' },
      settings: { webhookUrl: 'https://hooks.example.com/in' },
      mocks: [{ method: 'POST', url: '/^https:\\/\\/hooks\\.example\\.com\\/in\\?a=\\*$/', status: 201, headers: { 'content-type': 'application/json' }, body: { id: 'r1' } }],
      expect: {
        outcome: 'Success',
        result: { status: 201 },
        requests: [{ method: 'POST', url: 'https://hooks.example.com/in?a=*', body: { event: 'Order Completed', total: 12 } }],
        requestsExactly: true,
      },
    });
    expect(JSON.stringify(draft)).not.toContain('••••');
  });

  it('is a valid case that the same outcome passes', () => {
    const parsed = parseTestCase(JSON.stringify(draft), 'tests/x.test.json');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(matchOutcome(parsed.testCase.expect, outcome)).toEqual([]);
  });

  it('keeps errors and batch items', () => {
    const failed = caseFromOutcome({
      name: 'b',
      input: [{ type: 'track' }, { type: 'track' }],
      outcome: { ...outcome, outcome: 'Retry', requests: [], result: null, error: { name: 'RetryError', message: 'later\nmore', stack: '', frames: [] }, items: [{ index: 0, status: 200, category: 'Success' }, { index: 1, status: 500, errormessage: 'x', category: 'Retry' }] },
      settings: {},
    });
    expect(failed.events).toHaveLength(2);
    expect(failed.expect).toMatchObject({ outcome: 'Retry', error: { name: 'RetryError', message: 'later' }, requests: [], items: [{ status: 200 }, { status: 500, errormessage: 'x' }] });
    expect(failed.settings).toBeUndefined();
  });

  it('makes file names', () => {
    expect(caseFileName('Posts the Order!')).toBe('posts-the-order');
    expect(caseFileName('***')).toBe('test-case');
  });
});
