import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from './index';
import type { InvokeRequest, Runtime } from './api';
import { request, startTestServer, TRACK, type TestServer } from './test-support';

let runtime: Runtime;
let server: TestServer;
beforeAll(async () => {
  runtime = createRuntime({ workers: 2 });
  server = await startTestServer();
});
afterAll(async () => {
  await runtime.close();
  await server.close();
});

function many(requests: InvokeRequest[], signal?: AbortSignal) {
  if (!runtime.invokeMany) throw new Error('the runtime has no invokeMany');
  return runtime.invokeMany(requests, signal);
}

const ECHO = 'async function onTrack(event) { console.log("seen " + event.event); return event.event }';

/** A function that reports every event it runs to the test server, so runs can be counted. */
function reporting(body: string, functionId: string): (event: string, extra?: Partial<InvokeRequest>) => InvokeRequest {
  const code = `async function onTrack(event, settings) {
  await fetch(settings.url + '/ran/' + event.event);
  ${body}
  return event.event;
}`;
  return (event, extra = {}) => ({ ...request(code, { ...TRACK, event }, { settings: { url: server.url } }), functionId, ...extra });
}

function ranCount(event: string): number {
  return server.requests.filter((r) => r.url === `/ran/${event}`).length;
}

describe('invokeMany', () => {
  it('resolves one outcome per request, in order, each with its own logs', async () => {
    const code = ECHO;
    const events = Array.from({ length: 300 }, (_, i) => `e${i}`);
    const outcomes = await many(events.map((event) => ({ ...request(code, { ...TRACK, event }), functionId: 'many-echo' })));
    expect(outcomes.map((o) => o.result)).toEqual(events);
    expect(outcomes.every((o) => o.outcome === 'Success')).toBe(true);
    expect(outcomes.map((o) => o.logs)).toEqual(events.map((event) => [{ level: 'log', message: `seen ${event}` }]));
  });

  it('gives every invocation its own copy of the settings (flat or nested)', async () => {
    const code = 'async function onTrack(event, settings) { const before = [settings.n, settings.nested && settings.nested.k]; settings.n = 99; if (settings.nested) settings.nested.k = 99; return before }';
    const flat = { n: 1 };
    const nested = { n: 1, nested: { k: 2 } };
    const outcomes = await many([
      ...Array.from({ length: 20 }, () => ({ ...request(code, TRACK, { settings: flat }), functionId: 'many-settings' })),
      ...Array.from({ length: 20 }, () => ({ ...request(code, TRACK, { settings: nested }), functionId: 'many-settings' })),
    ]);
    expect(outcomes.map((o) => o.result)).toEqual([...Array.from({ length: 20 }, () => [1, null]), ...Array.from({ length: 20 }, () => [1, 2])]);
    expect(flat).toEqual({ n: 1 });
    expect(nested).toEqual({ n: 1, nested: { k: 2 } });
  });

  it('keeps top-level state across the invocations of one function, as invoke does', async () => {
    const single = createRuntime({ workers: 1 });
    try {
      const code = 'let runs = 0;\nasync function onTrack() { return ++runs }';
      const outcomes = await single.invokeMany!(Array.from({ length: 5 }, () => ({ ...request(code, TRACK), functionId: 'many-state' })));
      expect(outcomes.map((o) => o.result)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await single.close();
    }
  });

  it('mixes functions and rejects invalid events alone, without running them', async () => {
    const outcomes = await many([
      request('async function onTrack() { return "a" }', TRACK),
      request('async function onTrack() { return "never" }', { event: 'no type' }),
      request('async function onIdentify() { return "b" }', { type: 'identify', userId: 'u' }),
      request('async function onTrack() { return "never" }', TRACK, { settings: 'nope' as unknown as Record<string, unknown> }),
      request('async function onTrack() { return "never" }', { ...TRACK, big: 1n }),
      request('async function onTrack() { return "d" }', TRACK),
    ]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['Success', 'Message Rejected', 'Success', 'Invalid Settings', 'Message Rejected', 'Success']);
    expect(outcomes[1].error?.name).toBe('InvalidEventPayload');
    expect(outcomes[4].error?.message).toMatch(/the event is not JSON-serialisable: Do not know how to serialize a BigInt/);
    expect([outcomes[0].result, outcomes[2].result, outcomes[5].result]).toEqual(['a', 'b', 'd']);
  });

  it('hands the function the event as Segment would: its JSON text, parsed', async () => {
    const code = 'async function onTrack(event) { return { keys: Object.keys(event).sort(), at: typeof event.at, when: event.at, nested: event.properties.list } }';
    const [outcome] = await many([
      request(code, { ...TRACK, at: new Date(0), fn: () => 1, gone: undefined, properties: { list: [1, undefined, Number.NaN] } }),
    ]);
    expect(outcome.outcome).toBe('Success');
    expect(outcome.result).toEqual({
      keys: [...Object.keys(TRACK), 'at', 'properties'].filter((k, i, all) => all.indexOf(k) === i).sort(),
      at: 'string',
      when: '1970-01-01T00:00:00.000Z',
      nested: [1, null, null],
    });
  });

  it('rejects a malformed request naming its index, and resolves [] for no requests', async () => {
    await expect(many([request(ECHO, TRACK), { ...request(ECHO, TRACK), functionId: '' }])).rejects.toThrow(/requests\[1\]: request.functionId/);
    await expect(many([])).resolves.toEqual([]);
  });

  it('times out one invocation that never settles; the others run exactly once', async () => {
    const single = createRuntime({ workers: 1 });
    try {
      const make = reporting('if (event.event === "t-hang") await new Promise(() => {});', 'many-timeout');
      const events = ['t-1', 't-2', 't-hang', 't-3', 't-4'];
      // Only the hanging event gets the tight limit; the others fetch from the test server and
      // get a generous one, so a loaded machine cannot turn them into Timeouts.
      const outcomes = await single.invokeMany!(events.map((event) => make(event, { timeoutMs: event === 't-hang' ? 1500 : 15_000 })));
      expect(outcomes.map((o) => o.outcome)).toEqual(['Success', 'Success', 'Timeout', 'Success', 'Success']);
      expect(outcomes[2].error?.message).toMatch(/time limit of 1500 ms/);
      expect(events.map(ranCount)).toEqual([1, 1, 1, 1, 1]);
    } finally {
      await single.close();
    }
  });

  it('stops a runaway invocation; the ones queued behind it run exactly once on a fresh worker', async () => {
    const single = createRuntime({ workers: 1 });
    try {
      const make = reporting('if (event.event === "r-loop") for (;;) {}', 'many-runaway');
      const events = ['r-1', 'r-loop', 'r-2', 'r-3'];
      const outcomes = await single.invokeMany!(events.map((event) => make(event, { timeoutMs: event === 'r-loop' ? 1500 : 15_000 })));
      expect(outcomes.map((o) => o.outcome)).toEqual(['Success', 'Timeout', 'Success', 'Success']);
      expect(outcomes[1].error?.message).toMatch(/time limit of 1500 ms/);
      expect(outcomes.map((o) => o.result)).toEqual(['r-1', null, 'r-2', 'r-3']);
      expect(events.map(ranCount)).toEqual([1, 1, 1, 1]);
    } finally {
      await single.close();
    }
  });

  it('fails only the invocation that exhausted memory', async () => {
    const single = createRuntime({ workers: 1 });
    try {
      const hog = 'async function onTrack(e) { if (e.event === "hog") { const k = []; for (;;) k.push({ a: Math.random(), b: "x" + Math.random() }) } return e.event }';
      const outcomes = await single.invokeMany!(
        ['m-1', 'hog', 'm-2'].map((event) => ({ ...request(hog, { ...TRACK, event }, { memoryMb: 32, timeoutMs: 20000 }), functionId: 'many-hog' })),
      );
      expect(outcomes[1].error?.message).toMatch(/memory limit of 32 MB/);
      expect([outcomes[0].result, outcomes[2].result]).toEqual(['m-1', 'm-2']);
    } finally {
      await single.close();
    }
  }, 60_000);

  it('rejects with RunCancelled when aborted; the runtime keeps working', async () => {
    const controller = new AbortController();
    const slow = 'async function onTrack() { await new Promise((r) => setTimeout(r, 50)); return "slow" }';
    const pending = many(Array.from({ length: 40 }, () => ({ ...request(slow, TRACK), functionId: 'many-abort' })), controller.signal);
    setTimeout(() => controller.abort(), 120);
    await expect(pending).rejects.toMatchObject({ name: 'RunCancelled' });
    await expect(many([request(ECHO, TRACK)], AbortSignal.abort())).rejects.toMatchObject({ name: 'RunCancelled' });
    const after = await many([request(ECHO, { ...TRACK, event: 'after' })]);
    expect(after[0].result).toBe('after');
    expect((await runtime.invoke(request(ECHO, { ...TRACK, event: 'single' }))).result).toBe('single');
  });

  it('shares the pool with single invocations', async () => {
    const bulk = many(Array.from({ length: 200 }, (_, i) => ({ ...request(ECHO, { ...TRACK, event: `b${i}` }), functionId: 'many-shared' })));
    const single = runtime.invoke(request(ECHO, { ...TRACK, event: 'alone' }));
    expect((await single).result).toBe('alone');
    expect((await bulk).map((o) => o.result)).toEqual(Array.from({ length: 200 }, (_, i) => `b${i}`));
  });
});
