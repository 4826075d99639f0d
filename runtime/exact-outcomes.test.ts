/**
 * Every invocation gets its own outcome, exactly once, whatever its neighbours do: one
 * worker, many events that each report to a local server, and one or more of them loop
 * forever (or kill their worker). Counting the server's hits proves what really ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from './index';
import type { InvokeRequest, Runtime } from './api';
import type { Outcome } from '../common/outcome';
import { startTestServer, TRACK, type TestServer } from './test-support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/**
 * Only the runaway gets the tight limit under test. Every neighbour that must succeed makes a
 * live request to the local server, and on a loaded 2-core machine that alone can take
 * seconds: it gets a generous limit, so load cannot turn it into a Timeout. (Were the bug
 * back, the host would still blame the runaway's neighbour: it would time the neighbour,
 * whose outcome was lost with the worker, and report it as a Timeout after its own limit.)
 */
const RUNAWAY_TIMEOUT_MS = 1500;
const NEIGHBOUR_TIMEOUT_MS = 15_000;

const HANDLER = `async function onTrack(event, settings) {
  if (settings.loops.includes(event.event)) for (;;) {}
  if (settings.hogs.includes(event.event)) { const keep = []; for (;;) keep.push({ a: Math.random(), b: 'x' + Math.random() }) }
  if ((settings.bombs || []).includes(event.event)) { const keep = []; for (;;) keep.push(new Uint8Array(16 * 1024 * 1024).fill(1)) }
  await fetch(settings.url + '/ran/' + event.event);
  return event.event;
}
async function onBatch(events, settings) {
  const names = events.map((e) => e.event);
  if (names.some((n) => settings.loops.includes(n))) for (;;) {}
  await fetch(settings.url + '/ran/' + names.join('+'));
  return names.map((n) => ({ status: 200, body: n }));
}`;

let run = 0;

function ranCount(event: string, tag: string): number {
  return server.requests.filter((r) => r.url === `/ran/${tag}-${event}`).length;
}

async function invokeAll(
  runtime: Runtime,
  count: number,
  bad: { loops?: number[]; hogs?: number[]; bombs?: number[] },
  limits: { memoryMb?: number; timeoutMs?: number } = {},
): Promise<{ outcomes: Outcome[]; tag: string }> {
  const tag = `x${++run}`;
  const name = (i: number) => `${tag}-${i}`;
  const settings = { url: server.url, loops: (bad.loops ?? []).map(name), hogs: (bad.hogs ?? []).map(name), bombs: (bad.bombs ?? []).map(name) };
  // Numbered from 1 as in the issue: event #25 is requests[24].
  const requests: InvokeRequest[] = Array.from({ length: count }, (_, i) => ({
    functionId: `exact-${tag}`,
    code: HANDLER,
    filename: 'handler.js',
    input: { ...TRACK, event: name(i + 1) },
    settings,
    timeoutMs: limits.timeoutMs ?? ((bad.loops ?? []).includes(i + 1) ? RUNAWAY_TIMEOUT_MS : NEIGHBOUR_TIMEOUT_MS),
    ...(limits.memoryMb ? { memoryMb: limits.memoryMb } : {}),
  }));
  const outcomes = await runtime.invokeMany!(requests);
  return { outcomes, tag };
}

function expectExact(outcomes: Outcome[], tag: string, bad: number[], badCategory: string): void {
  const expected = outcomes.map((_, i) => (bad.includes(i + 1) ? badCategory : 'Success'));
  expect(outcomes.map((o) => o.outcome)).toEqual(expected);
  const hits = outcomes.map((_, i) => ranCount(String(i + 1), tag));
  expect(hits).toEqual(outcomes.map((_, i) => (bad.includes(i + 1) ? 0 : 1)));
  for (let i = 0; i < outcomes.length; i++) if (!bad.includes(i + 1)) expect(outcomes[i].result).toBe(`${tag}-${i + 1}`);
}

describe('exact outcomes on a pool of one worker', () => {
  let runtime: Runtime;
  beforeAll(() => {
    runtime = createRuntime({ workers: 1 });
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('50 events, only #25 loops: #25 alone is Timeout and every other event ran once', async () => {
    const { outcomes, tag } = await invokeAll(runtime, 50, { loops: [25] });
    expectExact(outcomes, tag, [25], 'Timeout');
    expect(outcomes[24].error?.message).toMatch(/time limit of 1500 ms/);
    // Stopped after its own limit (+ the 400 ms grace, with room for a loaded machine), not
    // after the longer limit of the neighbour that finished just before it.
    expect(outcomes[24].durationMs).toBeLessThan(RUNAWAY_TIMEOUT_MS + 400 + 5000);
  }, 60_000);

  it('the first event loops', async () => {
    const { outcomes, tag } = await invokeAll(runtime, 10, { loops: [1] });
    expectExact(outcomes, tag, [1], 'Timeout');
  }, 60_000);

  it('the last event loops', async () => {
    const { outcomes, tag } = await invokeAll(runtime, 10, { loops: [10] });
    expectExact(outcomes, tag, [10], 'Timeout');
  }, 60_000);

  it('several events loop, two of them next to each other', async () => {
    const { outcomes, tag } = await invokeAll(runtime, 20, { loops: [3, 4, 12, 20] });
    expectExact(outcomes, tag, [3, 4, 12, 20], 'Timeout');
  }, 90_000);

  it('an event exhausts its memory (its worker dies) instead of looping', async () => {
    // A generous time limit: filling a heap takes long on a loaded machine, and it is the memory limit under test.
    const { outcomes, tag } = await invokeAll(runtime, 20, { hogs: [8] }, { memoryMb: 32, timeoutMs: 30_000 });
    expectExact(outcomes, tag, [8], 'Bad Request');
    expect(outcomes[7].error?.message).toMatch(/memory limit of 32 MB/);
  }, 90_000);

  it('an event fills ArrayBuffers in a loop that never yields: it alone ends with the memory limit', async () => {
    const { outcomes, tag } = await invokeAll(runtime, 12, { bombs: [5] }, { memoryMb: 64, timeoutMs: 30_000 });
    expectExact(outcomes, tag, [5], 'Bad Request');
    expect(outcomes[4].error).toMatchObject({ name: 'MemoryLimitExceeded' });
    expect(outcomes[4].error?.message).toMatch(/memory limit of 64 MB/);
  }, 90_000);

  it('batches (onBatch): only the batch that loops is Timeout', async () => {
    const tag = `x${++run}`;
    const batch = (names: string[]) => names.map((n) => ({ ...TRACK, event: `${tag}-${n}` }));
    const inputs = [batch(['a', 'b']), batch(['c', 'd']), batch(['loop', 'e']), batch(['f']), batch(['g', 'h'])];
    const outcomes = await runtime.invokeMany!(
      inputs.map((input) => ({
        functionId: `exact-${tag}`,
        code: HANDLER,
        filename: 'handler.js',
        input,
        settings: { url: server.url, loops: [`${tag}-loop`], hogs: [] },
        timeoutMs: input.some((e) => e.event === `${tag}-loop`) ? RUNAWAY_TIMEOUT_MS : NEIGHBOUR_TIMEOUT_MS,
      })),
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['Success', 'Success', 'Timeout', 'Success', 'Success']);
    const hits = (names: string[]) => server.requests.filter((r) => r.url === `/ran/${names.map((n) => `${tag}-${n}`).join('+')}`).length;
    expect([hits(['a', 'b']), hits(['c', 'd']), hits(['loop', 'e']), hits(['f']), hits(['g', 'h'])]).toEqual([1, 1, 0, 1, 1]);
  }, 60_000);

  it('single invocations queued behind a runaway run exactly once', async () => {
    const tag = `x${++run}`;
    const settings = { url: server.url, loops: [`${tag}-2`], hogs: [] };
    const outcomes = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        runtime.invoke({ functionId: `exact-${tag}`, code: HANDLER, filename: 'handler.js', input: { ...TRACK, event: `${tag}-${i}` }, settings, timeoutMs: i === 2 ? RUNAWAY_TIMEOUT_MS : NEIGHBOUR_TIMEOUT_MS }),
      ),
    );
    expectExact(outcomes, tag, [2], 'Timeout');
  }, 60_000);
});
