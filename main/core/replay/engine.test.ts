/**
 * Fidelity of replay's delivery rules against the real runtime (worker threads, SES):
 * integrations object, each destination filter action, batching and partial batch
 * failures, the retry schedule on the virtual clock, offline requests, the run record.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../../runtime';
import { CheckedInput, type Runtime } from '../../../runtime/api';
import type { DestinationFilter, ReplayEventDetail, ReplayEventRecord, ReplayProgress } from '../../contract/replay';
import { replay, type ReplayRequest } from './engine';
import { resolveInputs } from './input';
import { seededRandom } from './random';
import { FIRST_RETRY_MS, RETRY_WINDOW_MS, segmentRetryPolicy } from './retry-policy';
import { deleteRun, listRuns, readDetail, readOutcomes, RunRecordWriter } from './run-record';

const HANDLER = `
const seen = {};
async function onTrack(event, settings) {
  const p = event.properties || {};
  if (p.mode === 'keys') throw new ValidationError('keys=' + Object.keys(p).sort().join(',') + ' context=' + Object.keys(event.context || {}).sort().join(','));
  if (p.mode === 'retry-until') {
    seen[event.messageId] = (seen[event.messageId] || 0) + 1;
    if (seen[event.messageId] < p.n) throw new RetryError('not yet ' + seen[event.messageId]);
    return 'ok';
  }
  if (p.mode === 'retry') throw new RetryError('always busy');
  if (p.mode === 'fetch') { const r = await fetch(p.url, { method: 'POST' }); return r.status; }
  if (p.mode === 'slow') await new Promise((r) => setTimeout(r, 10000));
  if (p.mode === 'bad') throw new Error('boom ' + settings.apiKey);
  return 'ok';
}
async function onIdentify(event) {}
`;

const BATCH_HANDLER = `
const tries = {};
async function onBatch(events, settings) {
  return events.map((e) => {
    const p = e.properties || {};
    if (p.status === 500) {
      tries[e.messageId] = (tries[e.messageId] || 0) + 1;
      if (p.okAfter && tries[e.messageId] >= p.okAfter) return { status: 200 };
      return { status: 500, errormessage: 'upstream 500 (size ' + events.length + ')' };
    }
    if (p.status) return { status: p.status, errormessage: 'rejected ' + e.messageId + ' (size ' + events.length + ')' };
    return { status: 200 };
  });
}
`;

let runtime: Runtime;
let dir: string;
let fileNo = 0;
beforeAll(() => {
  // One worker: top-level state (the retry counters above) is shared by every attempt.
  runtime = createRuntime({ workers: 1 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-replay-engine-'));
});
afterAll(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

function track(i: number, properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'track', event: `E${i}`, messageId: `m${i}`, userId: `u${i}`, properties, ...extra };
}

async function run(events: unknown[], options: Partial<ReplayRequest> & { code?: string } = {}) {
  const file = path.join(dir, `in-${fileNo++}.ndjson`);
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const recordDir = path.join(dir, 'fn', '.fnstudio', 'replays', `run-${fileNo}`);
  const summary = await replay({
    runtime,
    target: { functionId: `replay-test-${fileNo}`, code: options.code ?? HANDLER, filename: 'handler.js' },
    sources: await resolveInputs([file]),
    settings: { apiKey: 'sk_live_abcdefgh12345678' },
    secrets: ['sk_live_abcdefgh12345678'],
    mockRules: [],
    destinationName: 'My Fn (Acme)',
    recordDir,
    seed: 42,
    ...options,
  });
  const outcomes = readFileSync(path.join(recordDir, 'outcomes.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ReplayEventRecord)
    .sort((a, b) => a.seq - b.seq);
  return { summary, outcomes, recordDir };
}

describe('replay: integrations object', () => {
  it('does not deliver events that disable the destination, by name or with All: false', async () => {
    const { summary, outcomes } = await run([
      track(0),
      track(1, {}, { integrations: { All: false } }),
      track(2, {}, { integrations: { All: false, 'My Fn (Acme)': true } }),
      track(3, {}, { integrations: { 'My Fn (Acme)': false } }),
      track(4, {}, { integrations: { All: false, 'My Fn (Acme)': { someOption: 1 } } }),
      track(5, {}, { integrations: { 'my fn (acme)': false } }),
      { type: 'delete', userId: 'u', integrations: [], context: [] },
    ]);
    expect(outcomes.map((o) => [o.seq, o.category, o.end, o.attempts])).toEqual([
      [0, 'Success', 'delivered', 1],
      [1, 'Filtered', 'filtered', 0],
      [2, 'Success', 'delivered', 1],
      [3, 'Filtered', 'filtered', 0],
      [4, 'Success', 'delivered', 1],
      [5, 'Success', 'delivered', 1],
      [6, 'Unsupported Event Type', 'discarded', 1],
    ]);
    expect(outcomes[1].filteredBy).toBe('integrations');
    expect(summary).toMatchObject({ total: 7, delivered: 4, filtered: 2, invocations: 5, byOutcome: { Success: 4, Filtered: 2, 'Unsupported Event Type': 1 } });
  });
});

describe('replay: destination filters', () => {
  const keys = (i: number, extra: Record<string, unknown> = {}) => track(i, { mode: 'keys', email: 'a@b.c', plan: 'pro', total: i, ...extra }, { context: { ip: '1.2.3.4', locale: 'en' } });

  it('DROP drops matching events (FQL with and/or, parentheses, functions, in)', async () => {
    const filters: DestinationFilter[] = [
      { title: 'no big or tests', if: '(properties.total > 2 and properties.total < 5) or contains(event, "9") or event in ["E0"]', actions: [{ type: 'DROP' }], enabled: true },
      { title: 'disabled', if: 'all', actions: [{ type: 'DROP' }], enabled: false },
    ];
    const { outcomes, summary } = await run([0, 1, 2, 3, 4, 5, 9].map((i) => keys(i)), { filters });
    expect(outcomes.map((o) => [o.event, o.category])).toEqual([
      ['E0', 'Filtered'],
      ['E1', 'Message Rejected'],
      ['E2', 'Message Rejected'],
      ['E3', 'Filtered'],
      ['E4', 'Filtered'],
      ['E5', 'Message Rejected'],
      ['E9', 'Filtered'],
    ]);
    expect(outcomes[0].filteredBy).toBe('filter: no big or tests');
    expect(summary.options.filters).toBe(1);
  });

  it('"Only send" is a DROP of the negation', async () => {
    const filters: DestinationFilter[] = [{ if: '!(event = "E1")', actions: [{ type: 'DROP' }], enabled: true }];
    const { outcomes } = await run([keys(0), keys(1), keys(2)], { filters });
    expect(outcomes.map((o) => o.category)).toEqual(['Filtered', 'Message Rejected', 'Filtered']);
  });

  it('DROP_PROPERTIES and ALLOW_PROPERTIES change the event the function receives', async () => {
    const filters: DestinationFilter[] = [
      { if: 'event = "E1"', actions: [{ type: 'DROP_PROPERTIES', fields: { properties: ['email'], context: ['ip'] } }], enabled: true },
      { if: 'event = "E2"', actions: [{ type: 'ALLOW_PROPERTIES', fields: { properties: ['mode', 'plan'] } }], enabled: true },
    ];
    const { outcomes } = await run([keys(0), keys(1), keys(2)], { filters });
    expect(outcomes.map((o) => o.error)).toEqual([
      'keys=email,mode,plan,total context=ip,locale',
      'keys=mode,plan,total context=locale',
      'keys=mode,plan context=ip,locale',
    ]);
  });

  it('SAMPLE keeps about its percent, reproducibly for a seed, and consistently by path', async () => {
    const events = Array.from({ length: 400 }, (_, i) => track(i, {}, { userId: `user-${i % 20}` }));
    const random = await run(events, { filters: [{ if: 'all', actions: [{ type: 'SAMPLE', percent: 0.25 }], enabled: true }] });
    expect(random.summary.delivered).toBeGreaterThan(60);
    expect(random.summary.delivered).toBeLessThan(140);
    expect(random.summary.delivered + random.summary.filtered).toBe(400);
    const again = await run(events, { filters: [{ if: 'all', actions: [{ type: 'SAMPLE', percent: 0.25 }], enabled: true }] });
    expect(again.outcomes.map((o) => o.category)).toEqual(random.outcomes.map((o) => o.category));

    const byUser = await run(events, { filters: [{ if: 'all', actions: [{ type: 'SAMPLE', percent: 0.5, path: 'userId' }], enabled: true }] });
    const decision = new Map<string, string>();
    for (const o of byUser.outcomes) {
      const user = `user-${o.seq % 20}`;
      expect(decision.get(user) ?? o.category).toBe(o.category);
      decision.set(user, o.category);
    }
    // 20 users at 50 %: both decisions occur (the chance of one only is 2 in a million).
    expect(new Set(decision.values()).size).toBe(2);
    expect(byUser.outcomes.find((o) => o.category === 'Filtered')?.filteredBy).toBe('filter: #0 (sample)');
  });
});

describe('replay: batching', () => {
  it('delivers onBatch functions in batches of the configured size with per-item outcomes', async () => {
    const events = Array.from({ length: 45 }, (_, i) => track(i, i === 3 ? { status: 400 } : i === 30 ? { status: 404 } : {}));
    const { summary, outcomes } = await run(events, { code: BATCH_HANDLER, batchSize: 20 });
    expect(summary.invocations).toBe(3);
    expect(summary.options.batchSize).toBe(20);
    expect(outcomes[3]).toMatchObject({ category: 'Message Rejected', end: 'discarded', error: 'rejected m3 (size 20)', attempts: 1 });
    expect(outcomes[30]).toMatchObject({ category: 'Message Rejected', error: 'rejected m30 (size 20)' });
    expect(summary).toMatchObject({ total: 45, delivered: 43, byOutcome: { Success: 43, 'Message Rejected': 2 } });
  });

  it('the last, short batch goes out at the end of the input; the size is capped at 400', async () => {
    const events = Array.from({ length: 5 }, (_, i) => track(i, i === 4 ? { status: 400 } : {}));
    const { outcomes, summary } = await run(events, { code: BATCH_HANDLER, batchSize: 1000 });
    expect(summary.options.batchSize).toBe(400);
    expect(outcomes[4].error).toBe('rejected m4 (size 5)');
  });

  it('retries only the failed (5xx) items of a batch, as a smaller batch', async () => {
    const events = Array.from({ length: 10 }, (_, i) => track(i, i === 2 ? { status: 500, okAfter: 3 } : i === 7 ? { status: 500 } : {}));
    const { outcomes, summary } = await run(events, { code: BATCH_HANDLER, batchSize: 10 });
    expect(outcomes[2]).toMatchObject({ category: 'Success', end: 'delivered', attempts: 3 });
    expect(outcomes[7]).toMatchObject({ category: 'Retry', end: 'gave-up' });
    expect(outcomes[7].attempts).toBeGreaterThan(5);
    // After the first attempt only the two failed items are sent again, then only m7.
    expect(outcomes[7].error).toBe('upstream 500 (size 1)');
    expect(outcomes[0]).toMatchObject({ attempts: 1, end: 'delivered' });
    expect(summary.retried).toEqual({ delivered: 1, gaveUp: 1 });
  });
});

describe('replay: retries on a virtual clock', () => {
  it('retries Retry outcomes with exponential backoff within 4 hours, then gives up', async () => {
    const started = Date.now();
    const { outcomes, summary } = await run([track(0, { mode: 'retry' })], { seed: 7 });
    // The same schedule, computed from the policy with the same seed.
    const policy = segmentRetryPolicy(seededRandom(7));
    const times = [0];
    for (let attempt = 1; ; attempt++) {
      const at = policy.next(attempt, times[times.length - 1]);
      if (at === null) break;
      times.push(at);
    }
    expect(times.length).toBeGreaterThanOrEqual(7);
    expect(times[1]).toBeGreaterThanOrEqual(FIRST_RETRY_MS / 2);
    expect(times[1]).toBeLessThan(FIRST_RETRY_MS * 1.5);
    for (let i = 2; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThan((times[i - 1] - times[i - 2]) * 0.6);
    expect(outcomes[0]).toMatchObject({ category: 'Retry', end: 'gave-up', attempts: times.length, virtualMs: times[times.length - 1], error: 'always busy' });
    expect(outcomes[0].virtualMs).toBeLessThanOrEqual(RETRY_WINDOW_MS);
    expect(summary.simulatedDeliveryMs).toBe(times[times.length - 1]);
    expect(summary.retried).toEqual({ delivered: 0, gaveUp: 1 });
    // Virtual: hours of simulated backoff take no real waiting.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('an event delivered on its third attempt counts as delivered after retry', async () => {
    const { outcomes, summary } = await run([track(0, { mode: 'retry-until', n: 3 }), track(1)], { seed: 11 });
    const policy = segmentRetryPolicy(seededRandom(11));
    const second = policy.next(1, 0) as number;
    const third = policy.next(2, second) as number;
    expect(outcomes[0]).toMatchObject({ category: 'Success', end: 'delivered', attempts: 3, virtualMs: third });
    expect(summary).toMatchObject({ delivered: 2, retried: { delivered: 1, gaveUp: 0 }, attempts: 4, invocations: 4 });
  });

  it('retries Timeout outcomes too', async () => {
    const { outcomes } = await run([track(0, { mode: 'slow' })], { timeoutMs: 150, seed: 3 });
    expect(outcomes[0]).toMatchObject({ category: 'Timeout', end: 'gave-up' });
    expect(outcomes[0].attempts).toBeGreaterThan(5);
  }, 60_000);

  it('--no-retries: the first Retry is final', async () => {
    const { outcomes, summary } = await run([track(0, { mode: 'retry' })], { retries: false });
    expect(outcomes[0]).toMatchObject({ category: 'Retry', end: 'discarded', attempts: 1, virtualMs: 0 });
    expect(summary.retried).toEqual({ delivered: 0, gaveUp: 0 });
    expect(summary.options.retries).toBe(false);
  });
});

describe('replay: network, secrets and the run record', () => {
  it('answers requests from mock rules; others fail offline and are counted by host', async () => {
    const events = [
      track(0, { mode: 'fetch', url: 'https://api.partner.test/v1/ingest' }),
      track(1, { mode: 'fetch', url: 'https://unmocked.test/a' }),
      track(2, { mode: 'fetch', url: 'https://unmocked.test/b' }),
    ];
    const { outcomes, summary } = await run(events, { mockRules: [{ method: 'POST', url: 'https://api.partner.test/*', status: 202 }] });
    expect(outcomes.map((o) => o.category)).toEqual(['Success', 'Bad Request', 'Bad Request']);
    expect(outcomes[1].error).toMatch(/blocked \(offline\)/);
    expect(summary.offlineHosts).toEqual({ 'unmocked.test': 2 });
    expect(summary.options.live).toBe(false);
  });

  it('writes summary, outcomes and details (secrets masked), lists, reads and deletes runs', async () => {
    const events = [track(0), track(1, { mode: 'bad' }), 'not an event', track(3, { mode: 'bad' })];
    const progress: ReplayProgress[] = [];
    const { summary, outcomes, recordDir } = await run(events, { runId: 'run-record-test', onProgress: (p) => progress.push(p) });
    const functionDir = path.join(dir, 'fn');
    expect(summary.skipped).toMatchObject({ count: 1, byReason: { 'not-an-object': 1 } });
    expect(summary.topErrors).toEqual([{ message: 'boom ••••#', example: 'boom ••••5678', category: 'Bad Request', count: 2 }]);
    expect(outcomes[1].error).toBe('boom ••••5678');
    expect(readFileSync(path.join(recordDir, 'details.ndjson'), 'utf8')).not.toContain('sk_live_abcdefgh12345678');
    const detail: ReplayEventDetail = await readDetail(functionDir, path.basename(recordDir), outcomes[1].detail as { offset: number; length: number });
    expect(detail.seq).toBe(1);
    expect(detail.outcome.outcome).toBe('Bad Request');
    expect((detail.event as { messageId: string }).messageId).toBe('m1');
    expect(progress.at(-1)).toMatchObject({ finished: 3, delivered: 1, failed: 2, skipped: 1 });

    const runs = await listRuns(functionDir);
    expect(runs.map((r) => r.runId)).toContain(summary.runId);
    const page = await readOutcomes(functionDir, path.basename(recordDir), 0, 10, (r) => r.category === 'Bad Request');
    expect(page.matched).toBe(2);
    expect(page.records.map((r) => [r.seq, r.line])).toEqual([[1, 2], [2, 4]]);
    await deleteRun(functionDir, path.basename(recordDir));
    expect(existsSync(recordDir)).toBe(false);
    await expect(deleteRun(functionDir, 'nope')).rejects.toThrow(/no replay run "nope"/);
  });

  it('keeps .fnstudio out of git and never writes a record over another', async () => {
    const functionDir = path.join(dir, 'fn2');
    const at = await RunRecordWriter.pathFor(functionDir, 'r1');
    expect(readFileSync(path.join(functionDir, '.fnstudio', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    const writer = await RunRecordWriter.createAt(at);
    await writer.close();
    await expect(RunRecordWriter.createAt(at)).rejects.toThrow(/never written over another/);
  });

  it('stops when cancelled and says so', async () => {
    const controller = new AbortController();
    const events = Array.from({ length: 3000 }, (_, i) => track(i));
    let aborted = false;
    const { summary } = await run(events, {
      signal: controller.signal,
      concurrency: 50,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (!aborted && p.finished >= 100) {
          aborted = true;
          controller.abort();
        }
      },
    });
    expect(summary.cancelled).toBe(true);
    expect(summary.finished).toBe(false);
    expect(summary.total).toBeGreaterThanOrEqual(100);
    expect(summary.total).toBeLessThan(3000);
  });
});

describe('replay: chunks sent to the runtime', () => {
  it('sends full chunks when the input takes several reads, and every event exactly once', async () => {
    const sizes: number[] = [];
    const counting: Runtime = {
      invoke: (r, signal) => runtime.invoke(r, signal),
      invokeMany: (requests, signal) => {
        sizes.push(requests.length);
        return (runtime.invokeMany as NonNullable<Runtime['invokeMany']>)(requests, signal);
      },
      close: () => Promise.resolve(),
    };
    // ~6.5 MB of NDJSON: many 256 KB reads of ~330 events, so chunks cross read boundaries.
    const padding = 'x'.repeat(700);
    const events = Array.from({ length: 8300 }, (_, i) => track(i, { padding }));
    const { summary, outcomes } = await run(events, { runtime: counting });
    expect(summary.delivered).toBe(8300);
    expect(outcomes.map((o) => o.seq)).toEqual(events.map((_, i) => i));
    expect(outcomes.map((o) => o.messageId)).toEqual(events.map((e) => e.messageId));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(8300);
    expect(Math.max(...sizes)).toBe(500);
    // The first window goes out as the first reads arrive; from then on the input is read
    // ahead and a chunk is sent when a whole one fits, so chunks are full (1000 in flight,
    // two of 500). A slow read on a busy machine may still cut one now and then.
    const steady = sizes.slice(2, -1);
    expect(steady.filter((n) => n === 500).length).toBeGreaterThanOrEqual(Math.ceil(steady.length * 0.8));
    expect(sizes.length).toBeLessThanOrEqual(22);
  });
});

describe('replay: the text an event travels as', () => {
  // The function returns what it received, so each outcome's result is the event as the function saw it.
  const ECHO = 'async function onTrack(event) { return event; }\n';
  const lines = [
    // Whitespace, escapes, a trailing zero, a key given twice: the function sees the line parsed.
    '{ "type" : "track", "event": "caf\\u00e9 \\/ \\"q\\"", "properties": { "price": 1.50, "n": -1 }, "n": 1, "n": 2 }',
    '{"type":"track","event":"E","messageId":"ajs-1e5","timestamp":"2015-01-05T00:00:00.000Z"}',
    // V8 would write these numbers differently from the line: they travel as the event written out.
    '{"type":"track","event":"big","properties":{"seats":1e3}}',
    '{"type":"track","event":"zero","properties":{"delta":-0}}',
  ];

  async function received(filters: DestinationFilter[] = []) {
    const file = path.join(dir, `in-${fileNo++}.ndjson`);
    writeFileSync(file, lines.join('\n') + '\n');
    const inputs: unknown[] = [];
    const results: unknown[] = [];
    const spying: Runtime = {
      invoke: (r, signal) => runtime.invoke(r, signal),
      invokeMany: async (requests, signal) => {
        inputs.push(...requests.map((r) => r.input));
        const outcomes = await (runtime.invokeMany as NonNullable<Runtime['invokeMany']>)(requests, signal);
        results.push(...outcomes.map((o) => o.result));
        return outcomes;
      },
      close: () => Promise.resolve(),
    };
    const summary = await replay({
      runtime: spying,
      target: { functionId: `replay-text-${fileNo}`, code: ECHO, filename: 'handler.js' },
      sources: await resolveInputs([file]),
      settings: {},
      mockRules: [],
      destinationName: 'Echo',
      recordDir: null,
      filters,
    });
    expect(summary.delivered).toBe(lines.length);
    return { inputs, results };
  }

  it("sends a line's own text when nothing changed the event, and the function sees the line parsed", async () => {
    const { inputs, results } = await received();
    expect(inputs.slice(0, 2).map((input) => (input instanceof CheckedInput ? input.json : input))).toEqual(lines.slice(0, 2));
    expect(inputs.slice(2).every((input) => !(input instanceof CheckedInput))).toBe(true);
    expect(results.slice(0, 3)).toEqual(lines.slice(0, 3).map((line) => JSON.parse(line)));
    expect(results[2]).toMatchObject({ properties: { seats: 1000 } });
    // Written out, -0 is 0: the function gets 0, as it did before events travelled as text.
    expect(results[3]).toEqual({ type: 'track', event: 'zero', properties: { delta: 0 } });
    expect(Object.is((results[3] as { properties: { delta: number } }).properties.delta, 0)).toBe(true);
  });

  it('sends the event itself when filters could have changed it', async () => {
    const filters: DestinationFilter[] = [{ if: 'event = "never"', actions: [{ type: 'DROP' }], enabled: true }];
    const { inputs, results } = await received(filters);
    expect(inputs.some((input) => input instanceof CheckedInput)).toBe(false);
    expect(results.slice(0, 2)).toEqual(lines.slice(0, 2).map((line) => JSON.parse(line)));
  });
});
