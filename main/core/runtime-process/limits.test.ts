/**
 * The hard limits, through the real runtime process as the web host and the CLI start it
 * (child_process.fork of the compiled entry): a native call that overruns its time limit,
 * ArrayBuffer bombs, a huge response body, the process killed under a bulk, and exact
 * outcomes for every neighbour. Every event reports to a local server, so what really
 * ran is counted. Needs `npm run build:node` first (npm test does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InvokeRequest, Runtime } from '../../../runtime/api';
import type { Outcome } from '../../contract/outcome';
import { createChildProcessRuntime } from './fork';

interface Hits {
  url: string;
  count(path: string): number;
  close(): Promise<void>;
}

/** 127.0.0.1:0; `/ran/<name>` is counted, `/huge/<MB>` answers with that many megabytes. */
async function startServer(): Promise<Hits> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const huge = /^\/huge\/(\d+)$/.exec(req.url ?? '');
    if (huge) {
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let left = Number(huge[1]);
      res.writeHead(200, { 'content-type': 'text/plain' });
      const more = (): void => {
        while (left > 0) {
          left--;
          if (!res.write(chunk)) {
            res.once('drain', more);
            return;
          }
        }
        res.end();
      };
      more();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: (path) => seen.filter((u) => u === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `body` runs when the event's name is in settings.bad; every other event just reports. */
function handler(body: string): string {
  return `async function onTrack(event, settings) {
  if (settings.bad.includes(event.event)) { ${body} }
  await fetch(settings.url + '/ran/' + event.event);
  return event.event;
}`;
}

/**
 * The limit under test is given to the one invocation that overruns it. Every neighbour that
 * must succeed (each makes a live request, maybe on a replacement process a loaded machine is
 * slow to start) gets a generous one, so load cannot turn it into a Timeout.
 */
const TIGHT_TIMEOUT_MS = 1500;
const NEIGHBOUR_TIMEOUT_MS = 15_000;

let server: Hits;
let runtime: Runtime;
const pids: number[] = [];
const retired: string[] = [];
let tags = 0;

beforeAll(async () => {
  server = await startServer();
  runtime = createChildProcessRuntime({ workers: 1, onSpawn: (pid) => pids.push(pid), onRetire: (reason) => retired.push(reason) });
});

afterAll(async () => {
  await runtime.close();
  await server.close();
});

function requests(code: string, count: number, bad: number[], extra: Partial<InvokeRequest> = {}): { tag: string; list: InvokeRequest[] } {
  const tag = `p${++tags}`;
  const name = (i: number) => `${tag}-${i}`;
  const settings = { url: server.url, bad: bad.map(name) };
  return {
    tag,
    list: Array.from({ length: count }, (_, i) => ({
      functionId: `limits-${tag}`,
      code,
      filename: 'handler.js',
      input: { type: 'track', event: name(i + 1), userId: 'u1' },
      settings,
      timeoutMs: NEIGHBOUR_TIMEOUT_MS,
      ...extra,
    })),
  };
}

/** Every event but the bad ones succeeded and reported exactly once; the bad ones never did. */
function expectOthersRanOnce(outcomes: Outcome[], tag: string, bad: number[]): void {
  outcomes.forEach((outcome, i) => {
    const n = i + 1;
    if (bad.includes(n)) return;
    expect(outcome.outcome, `#${n}: ${outcome.error?.message}`).toBe('Success');
    expect(outcome.result).toBe(`${tag}-${n}`);
  });
  expect(outcomes.map((_, i) => server.count(`/ran/${tag}-${i + 1}`))).toEqual(outcomes.map((_, i) => (bad.includes(i + 1) ? 0 : 1)));
}

describe('the runtime process enforces its limits', () => {
  it('50 events, #25 loops forever: #25 alone is Timeout, the rest ran exactly once', async () => {
    const { tag, list } = requests(handler('for (;;) {}'), 50, [25]);
    list[24].timeoutMs = TIGHT_TIMEOUT_MS;
    const outcomes = await runtime.invokeMany!(list);
    expect(outcomes[24].outcome).toBe('Timeout');
    expect(outcomes[24].error?.message).toMatch(/time limit of 1500 ms/);
    expectOthersRanOnce(outcomes, tag, [25]);
  }, 60_000);

  it('a synchronous native call past the limit: Timeout in time, the process replaced, the queued events run once', async () => {
    const before = pids.length;
    // pbkdf2Sync with 1e9 iterations keeps its thread for many minutes.
    const { tag, list } = requests(handler("crypto.pbkdf2Sync('password', 'salt', 1e9, 64, 'sha512')"), 6, [2]);
    list[1].timeoutMs = TIGHT_TIMEOUT_MS;
    const started = Date.now();
    const outcomes = await runtime.invokeMany!(list);
    expect(outcomes[1].outcome).toBe('Timeout');
    expect(outcomes[1].error?.message).toMatch(/time limit of 1500 ms/);
    // Limit + the pool's 400 ms grace, with seconds of room for a loaded machine; still far
    // below what the call itself would take.
    expect(outcomes[1].durationMs).toBeLessThan(TIGHT_TIMEOUT_MS + 400 + 5000);
    expectOthersRanOnce(outcomes, tag, [2]);
    expect(Date.now() - started).toBeLessThan(40_000);
    // The thread that could not be stopped goes with its process: no stuck threads pile up.
    await waitFor(() => retired.length > 0, 10_000);
    expect(retired[0]).toMatch(/native call/);
    const stuckPid = pids[before > 0 ? before - 1 : 0];
    await waitFor(() => !alive(stuckPid), 10_000);
    // The next run gets a fresh process.
    const after = await runtime.invoke(requests(handler(''), 1, []).list[0]);
    expect(after.outcome).toBe('Success');
    expect(pids.length).toBeGreaterThan(Math.max(before, 1));
  }, 60_000);

  it('a synchronous ArrayBuffer bomb ends with the memory limit; the host survives and the next run works', async () => {
    const bomb = 'const keep = []; for (;;) keep.push(new Uint8Array(16 * 1024 * 1024).fill(1));';
    const { tag, list } = requests(handler(bomb), 4, [2], { memoryMb: 64, timeoutMs: 20_000 });
    const outcomes = await runtime.invokeMany!(list);
    expect(outcomes[1]).toMatchObject({ outcome: 'Bad Request', error: { name: 'MemoryLimitExceeded' } });
    expect(outcomes[1].error?.message).toMatch(/memory limit of 64 MB/);
    expectOthersRanOnce(outcomes, tag, [2]);
  }, 60_000);

  it('a synchronous loop reserving ArrayBuffers it never writes ends with the memory limit, long before the time limit', async () => {
    // Zero-filled and never touched: the buffers cost address space, not resident memory.
    const bomb = 'const keep = []; for (;;) keep.push(new ArrayBuffer(64 * 1024 * 1024));';
    const { tag, list } = requests(handler(bomb), 3, [2], { memoryMb: 64, timeoutMs: NEIGHBOUR_TIMEOUT_MS });
    const outcomes = await runtime.invokeMany!(list);
    expect(outcomes[1]).toMatchObject({ outcome: 'Bad Request', error: { name: 'MemoryLimitExceeded' } });
    expect(outcomes[1].error?.message).toMatch(/memory limit of 64 MB/);
    // Detection takes a few 50 ms samples; seconds of room for a loaded machine, still far
    // from the 15 s time limit it would otherwise run into.
    expect(outcomes[1].durationMs).toBeLessThan(NEIGHBOUR_TIMEOUT_MS / 3);
    expectOthersRanOnce(outcomes, tag, [2]);
    const after = await runtime.invoke(requests(handler(''), 1, []).list[0]);
    expect(after.outcome).toBe('Success');
  }, 60_000);

  it('Buffers kept across awaits count against the limit too', async () => {
    const bomb = 'const keep = []; for (;;) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 1)); }';
    const { tag, list } = requests(handler(bomb), 3, [2], { memoryMb: 48, timeoutMs: 20_000 });
    const outcomes = await runtime.invokeMany!(list);
    expect(outcomes[1]).toMatchObject({ outcome: 'Bad Request', error: { name: 'MemoryLimitExceeded' } });
    expect(outcomes[1].error?.message).toMatch(/memory limit of 48 MB \(it held \d+ MB outside the JavaScript heap/);
    expectOthersRanOnce(outcomes, tag, [2]);
  }, 60_000);

  it('caps a huge response body by default', async () => {
    const code = `async function onTrack(event, settings) {
  try {
    const res = await fetch(settings.url + '/huge/' + settings.mb);
    return (await res.text()).length;
  } catch (err) {
    return 'refused: ' + err.message;
  }
}`;
    const [outcome] = await runtime.invokeMany!([{ functionId: 'limits-huge', code, filename: 'handler.js', input: { type: 'track', event: 'e', userId: 'u' }, settings: { url: server.url, mb: 64 }, timeoutMs: 20_000 }]);
    expect(outcome.outcome).toBe('Success');
    expect(outcome.result).toMatch(/^refused: .*over limit: 33554432/);
    // A body under the cap still arrives whole.
    const small = await runtime.invoke({ functionId: 'limits-huge', code, filename: 'handler.js', input: { type: 'track', event: 'e', userId: 'u' }, settings: { url: server.url, mb: 2 }, timeoutMs: 20_000 });
    expect(small).toMatchObject({ outcome: 'Success', result: 2 * 1024 * 1024 });
  }, 60_000);

  it('the process killed under a bulk: every invocation gets an outcome, none hangs, and the next run works', async () => {
    const slow = `async function onTrack(event, settings) {
  await new Promise((r) => setTimeout(r, 150));
  await fetch(settings.url + '/ran/' + event.event);
  return event.event;
}`;
    const { tag, list } = requests(slow, 20, []);
    const running = runtime.invokeMany!(list);
    // Kill it once a few have reported.
    await waitFor(() => server.count(`/ran/${tag}-3`) === 1, 20_000);
    process.kill(pids[pids.length - 1], 'SIGKILL');
    const outcomes = await running;
    expect(outcomes).toHaveLength(20);
    const crashed = outcomes.filter((o) => o.error?.name === 'RuntimeCrashed');
    expect(crashed.length).toBeGreaterThan(0);
    expect(crashed[0].error?.message).toMatch(/was killed/);
    // What finished before the kill kept its own outcome (#1 finished well before it); every
    // outcome is either that event's own success or the crash, never another's.
    expect(outcomes[0]).toMatchObject({ outcome: 'Success', result: `${tag}-1` });
    outcomes.forEach((outcome, i) => {
      if (outcome.outcome === 'Success') {
        expect(outcome.result).toBe(`${tag}-${i + 1}`);
        expect(server.count(`/ran/${tag}-${i + 1}`)).toBe(1);
      } else {
        expect(outcome.error?.name).toBe('RuntimeCrashed');
      }
    });
    const after = await runtime.invoke(requests(handler(''), 1, []).list[0]);
    expect(after.outcome).toBe('Success');
  }, 60_000);

  it('aborting a bulk rejects it with RunCancelled, stops what it had left, and the process keeps serving', async () => {
    const slow = `async function onTrack(event, settings) {
  await new Promise((r) => setTimeout(r, 100));
  await fetch(settings.url + '/ran/' + event.event);
  return event.event;
}`;
    const { tag, list } = requests(slow, 30, []);
    const controller = new AbortController();
    const pidsBefore = pids.length;
    const running = runtime.invokeMany!(list, controller.signal);
    await waitFor(() => server.count(`/ran/${tag}-2`) === 1, 20_000);
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'RunCancelled' });
    // Nothing after the abort keeps running in the process. The first wait lets the one
    // invocation already running finish even on a loaded machine; in the second, were the
    // rest still running (100 ms each, one after another), several more would report.
    await new Promise((r) => setTimeout(r, 1500));
    const ran = list.filter((_, i) => server.count(`/ran/${tag}-${i + 1}`) === 1).length;
    expect(ran).toBeLessThan(30);
    await new Promise((r) => setTimeout(r, 1000));
    expect(list.filter((_, i) => server.count(`/ran/${tag}-${i + 1}`) === 1).length).toBe(ran);
    const after = await runtime.invokeMany!(requests(handler(''), 2, []).list);
    expect(after.map((o) => o.outcome)).toEqual(['Success', 'Success']);
    expect(pids.length).toBe(pidsBefore);
  }, 60_000);

  it('a bulk through the process rejects bad events alone, as in one process', async () => {
    const { list } = requests(handler(''), 3, []);
    const outcomes = await runtime.invokeMany!([list[0], { ...list[1], input: undefined }, { ...list[2], input: { no: 'type' } }]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['Success', 'Message Rejected', 'Message Rejected']);
    expect(outcomes[2].error?.message).toMatch(/has no "type"/);
    await expect(runtime.invokeMany!([{ ...list[0], functionId: '' }])).rejects.toThrow(/requests\[0\]: request\.functionId must be a non-empty string/);
  }, 60_000);
});
