import { describe, expect, it } from 'vitest';
import type { Outcome, ReplayEventDetail, ReplayEventRecord } from '../../../main/contract';
import { eventsCsv, requestsHar } from './export';

const record = (over: Partial<ReplayEventRecord>): ReplayEventRecord => ({
  seq: 0, file: 'a.ndjson', line: 1, type: 'track', category: 'Success', end: 'delivered', attempts: 1, latencyMs: 1.5, virtualMs: 0, ...over,
});

describe('replay exports', () => {
  it('CSV: one row per event, quoted where needed, no spreadsheet formulas', () => {
    const csv = eventsCsv([record({ event: 'Order, "big"' }), record({ seq: 1, category: 'Bad Request', end: 'discarded', error: '=HYPERLINK("x")\nline 2' })]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('seq,file,line,type,event,messageId,category,end,attempts,latencyMs,virtualMs,error,filteredBy');
    expect(lines[1]).toBe('0,a.ndjson,1,track,"Order, ""big""",,Success,delivered,1,1.5,0,,');
    expect(csv).toContain(`"'=HYPERLINK(""x"")\nline 2"`);
  });

  it('HAR 1.2: every recorded request with its response or network error', () => {
    const outcome: Outcome = {
      outcome: 'Bad Request', retryable: false, error: null, logs: [], logsTruncated: false, result: null, durationMs: 3,
      requests: [
        { method: 'POST', url: 'https://api.test/v1?x=1', headers: { 'content-type': 'application/json' }, body: '{"a":1}', mocked: true, durationMs: 2, response: { status: 201, statusText: 'Created', headers: { 'content-type': 'application/json' }, body: '{"ok":true}' } },
        { method: 'GET', url: 'https://down.test/', headers: {}, body: null, mocked: false, durationMs: 0, response: null, error: 'blocked (offline)' },
      ],
    };
    const details: ReplayEventDetail[] = [{ seq: 4, event: { type: 'track' }, outcome }];
    const har = JSON.parse(requestsHar(details, '2026-01-01T00:00:00.000Z'));
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries).toHaveLength(2);
    expect(har.log.entries[0]).toMatchObject({
      request: { method: 'POST', url: 'https://api.test/v1?x=1', queryString: [{ name: 'x', value: '1' }], postData: { mimeType: 'application/json', text: '{"a":1}' } },
      response: { status: 201, content: { text: '{"ok":true}', mimeType: 'application/json' } },
      comment: 'event 4 · Bad Request · mocked',
    });
    expect(har.log.entries[1].response).toMatchObject({ status: 0, _error: 'blocked (offline)' });
  });
});
