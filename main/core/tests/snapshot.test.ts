import { describe, it, expect } from 'vitest';
import { compareSnapshot, normalizeVolatile, snapshotFileFor, snapshotOf } from './snapshot';
import type { Outcome } from '../../contract/outcome';

describe('normalizeVolatile', () => {
  it('replaces timestamps, HTTP dates and UUIDs, also inside longer strings', () => {
    expect(
      normalizeVolatile({
        at: '2026-12-05T21:15:59.429Z',
        day: '2026-12-05',
        url: 'https://api.example.com/runs/8c0e7a8e-9d3c-4a5e-b1f2-0c9d8e7f6a5b?since=2026-12-05T21:15:59Z',
        date: 'Sat, 05 Dec 2026 21:15:59 GMT',
      }),
    ).toEqual({ at: '<timestamp>', day: '2026-12-05', url: 'https://api.example.com/runs/<uuid>?since=<timestamp>', date: '<date>' });
  });

  it('replaces Unix times under time-like keys and numbers under duration-like keys, nothing else', () => {
    expect(
      normalizeVolatile({ timestamp: 1764969359429, sentAt: 1764969359, created_at: 1764969359, durationMs: 12.5, elapsed: 3, total: 1764969359429, count: 3, time: 42 }),
    ).toEqual({ timestamp: '<timestamp>', sentAt: '<timestamp>', created_at: '<timestamp>', durationMs: '<duration>', elapsed: '<duration>', total: 1764969359429, count: 3, time: 42 });
  });
});

describe('snapshotOf / compareSnapshot', () => {
  const outcome = (body: string, result: unknown): Outcome => ({
    outcome: 'Success', retryable: false, error: null, logs: [], logsTruncated: false, result, durationMs: 5,
    requests: [{ method: 'POST', url: 'https://x.example.com/', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, body, response: null, mocked: true, durationMs: 2 }],
  });

  it('keeps requests (JSON bodies parsed) and the result, without timings or content-length', () => {
    const snap = snapshotOf(outcome('{"a":1,"at":"2026-01-01T00:00:00Z"}', { ok: true }));
    expect(snap).toEqual({
      fnstudioSnapshot: 1,
      outcome: 'Success',
      result: { ok: true },
      requests: [{ method: 'POST', url: 'https://x.example.com/', headers: { 'content-type': 'application/json' }, body: { a: 1, at: '<timestamp>' } }],
    });
  });

  it('runs differing only in volatile values match; real changes are listed by path', () => {
    const first = snapshotOf(outcome('{"a":1,"at":"2026-01-01T00:00:00Z"}', { ok: true }));
    expect(compareSnapshot(first, snapshotOf(outcome('{"a":1,"at":"2027-06-01T10:11:12.345Z"}', { ok: true })))).toEqual([]);
    const diff = compareSnapshot(first, snapshotOf(outcome('{"a":2,"at":"2026-01-01T00:00:00Z","b":true}', { ok: true, extra: 1 })));
    expect(diff.map((m) => m.path)).toEqual(['snapshot.result.extra', 'snapshot.requests[0].body.a', 'snapshot.requests[0].body.b']);
  });

  it('lives beside the case', () => {
    expect(snapshotFileFor('tests/posts-order.test.json')).toBe('tests/posts-order.snapshot.json');
  });
});
