import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRuntime } from './index';
import { WorkerPool } from './pool';
import type { Runtime } from './api';
import { request, TRACK } from './test-support';

let runtime: Runtime;
beforeAll(() => {
  runtime = createRuntime({ workers: 1 });
});
afterAll(async () => {
  await runtime.close();
});

const OK = 'async function onTrack() { return "ok" }';
/**
 * For invocations that must succeed next to the one whose limit is under test: generous, so a
 * loaded machine cannot turn them into Timeouts.
 */
const ROOMY = { timeoutMs: 15_000 };

describe('time limit', () => {
  it('stops an infinite loop as Timeout (retryable) and the next invocation works', async () => {
    const outcome = await runtime.invoke(request('async function onTrack() { for (;;) {} }', TRACK, { timeoutMs: 300 }));
    expect(outcome.outcome).toBe('Timeout');
    expect(outcome.retryable).toBe(true);
    expect(outcome.error?.message).toMatch(/time limit of 300 ms/);
    // Stopped soon after limit + the 400 ms kill grace, as the outcome itself reports (a wall
    // clock here would also count the worker's start, which a loaded machine stretches).
    expect(outcome.durationMs).toBeGreaterThanOrEqual(300);
    expect(outcome.durationMs).toBeLessThan(300 + 400 + 4000);
    expect((await runtime.invoke(request(OK, TRACK, ROOMY))).result).toBe('ok');
  });

  it('ends a never-settling promise as Timeout, keeping logs written so far', async () => {
    const code = 'async function onTrack() { console.log("before"); await new Promise(() => {}) }';
    const outcome = await runtime.invoke(request(code, TRACK, { timeoutMs: 500 }));
    expect(outcome.outcome).toBe('Timeout');
    expect(outcome.logs).toEqual([{ level: 'log', message: 'before' }]);
    expect((await runtime.invoke(request(OK, TRACK, ROOMY))).result).toBe('ok');
  });

  it('gives timers Node-like handles that clear by handle or number', async () => {
    const code = `async function onTrack() {
      let fired = [];
      const a = setTimeout(() => fired.push('a'), 20).unref();
      const b = setTimeout(() => fired.push('b'), 20);
      const c = setInterval(() => fired.push('c'), 5);
      clearTimeout(b); clearInterval(+c);
      await new Promise((r) => setTimeout(r, 60));
      return [fired, typeof +a, a.hasRef()];
    }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.result).toEqual([['a'], 'number', true]);
  });

  it('treats finishing after the limit (busy, but under the kill grace) as Timeout', async () => {
    const code = 'async function onTrack() { const end = Date.now() + 250; while (Date.now() < end) {} return "late" }';
    const outcome = await runtime.invoke(request(code, TRACK, { timeoutMs: 100 }));
    expect(outcome.outcome).toBe('Timeout');
    expect((await runtime.invoke(request(OK, TRACK, ROOMY))).result).toBe('ok');
  });

  it("starts the time limit after the function's initialisation (compile and top-level code), as a Lambda does", async () => {
    const busy = (ms: number) => `{ const end = Date.now() + ${ms}; while (Date.now() < end) {} }`;
    // Initialisation and handler together overrun the limit, each alone is well within it:
    // Success only if the limit starts after initialisation. The host allows initialisation
    // the limit plus its 400 ms kill grace; both leave a loaded machine a second or more.
    const code = `${busy(1000)}\nasync function onTrack() { ${busy(1050)} return "in time" }`;
    const first = await runtime.invoke(request(code, TRACK, { functionId: 'slow-init', timeoutMs: 2000 }));
    expect(first.outcome, first.error?.message).toBe('Success');
    // The busy loops count Date.now's whole milliseconds, the duration a finer clock: allow 10 ms.
    expect(first.durationMs).toBeGreaterThanOrEqual(2040); // the duration still tells the whole story
    // warm: no initialisation, the handler alone (with it, at least 2050 ms)
    const warm = await runtime.invoke(request(code, TRACK, { functionId: 'slow-init', timeoutMs: 2000 }));
    expect(warm.outcome).toBe('Success');
    expect(warm.durationMs).toBeGreaterThanOrEqual(1040);
    expect(warm.durationMs).toBeLessThan(1850);
  });

  it('stops top-level code that never ends as Timeout; the next invocation works', async () => {
    const outcome = await runtime.invoke(request('for (;;) {}\nasync function onTrack() { return 1 }', TRACK, { timeoutMs: 200 }));
    expect(outcome.outcome).toBe('Timeout');
    expect(outcome.retryable).toBe(true);
    expect((await runtime.invoke(request(OK, TRACK, ROOMY))).result).toBe('ok');
  });

  it('defaults to 5000 ms (and 128 MB)', async () => {
    // What reaches the pool is what the pool enforces (the limits above go the same way), so
    // the default is seen there instead of by waiting 5 s for a Timeout.
    const submit = vi.spyOn(WorkerPool.prototype, 'submit');
    try {
      const outcome = await runtime.invoke(request('async function onTrack() { await new Promise((r) => setTimeout(r, 50)); return 1 }', TRACK));
      expect(outcome.result).toBe(1);
      expect(submit).toHaveBeenCalledTimes(1);
      const [job] = submit.mock.calls[0];
      expect(job.shared.timeoutMs).toBe(5000);
      expect(job.memoryMb).toBe(128);
    } finally {
      submit.mockRestore();
    }
  });

  it('never lets timers of a finished invocation fire into the next one', async () => {
    const fn = request(
      `let fired = 0;
       async function onTrack(event) {
         if (event.event === 'first') {
           setTimeout(() => { fired++; console.log('late timer'); }, 50);
           setInterval(() => console.log('late interval'), 10);
           return 'first';
         }
         await new Promise((r) => setTimeout(r, 150));
         return fired;
       }`,
      { ...TRACK, event: 'first' },
    );
    const first = await runtime.invoke(fn);
    expect(first.result).toBe('first');
    const second = await runtime.invoke({ ...fn, input: { ...TRACK, event: 'second' } });
    expect(second.result).toBe(0);
    expect(second.logs).toEqual([]);
  });

  it('drops a late fetch result of a finished invocation', async () => {
    const fn = request(
      `async function onTrack(event) {
         if (event.event === 'first') {
           fetch('https://slow.example.com/').then(() => console.log('late response'));
           return 'first';
         }
         await new Promise((r) => setTimeout(r, 200));
         return 'second';
       }`,
      { ...TRACK, event: 'first' },
      { network: { offline: true, mockRules: [{ url: 'https://slow.example.com/*', delayMs: 100 }] } },
    );
    expect((await runtime.invoke(fn)).requests).toHaveLength(1);
    const second = await runtime.invoke({ ...fn, input: { ...TRACK, event: 'second' } });
    expect(second.logs).toEqual([]);
    expect(second.requests).toEqual([]);
  });

  it('ends the invocation when a timer callback throws', async () => {
    const code = 'async function onTrack() { setTimeout(() => { throw new RetryError("from timer") }, 10); await new Promise(() => {}) }';
    const outcome = await runtime.invoke(request(code, TRACK, { timeoutMs: 2000 }));
    expect(outcome.outcome).toBe('Retry');
    expect(outcome.error?.message).toBe('from timer');
  });
});

describe('memory limit', () => {
  it('stops a function over its heap limit as Bad Request naming the limit; the next one works', async () => {
    const code = 'async function onTrack() { const keep = []; for (;;) keep.push({ a: Math.random(), b: [1, 2, 3], c: "x" + Math.random() }) }';
    const outcome = await runtime.invoke(request(code, TRACK, { memoryMb: 32, timeoutMs: 20000 }));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.message).toMatch(/memory limit of 32 MB/);
    expect((await runtime.invoke(request(OK, TRACK, ROOMY))).result).toBe('ok');
  }, 60_000);
});

describe('cancellation', () => {
  it('rejects with RunCancelled and the runtime keeps working', async () => {
    const controller = new AbortController();
    const pending = runtime.invoke(request('async function onTrack() { for (;;) {} }', TRACK, { timeoutMs: 20000 }), controller.signal);
    setTimeout(() => controller.abort(), 200);
    await expect(pending).rejects.toMatchObject({ name: 'RunCancelled' });
    expect((await runtime.invoke(request(OK, TRACK, ROOMY))).result).toBe('ok');
  });

  it('rejects at once for an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runtime.invoke(request(OK, TRACK, ROOMY), controller.signal)).rejects.toMatchObject({ name: 'RunCancelled' });
  });
});

describe('cache', () => {
  it('loads once per key within the ttl, per function instance, and deletes', async () => {
    const code = `let computed = 0;
      async function onTrack(event) {
        if (event.event === 'delete') { cache.delete('token'); return 'deleted' }
        const value = await cache.load('token', 60000, async () => { computed++; return 'tok-' + computed });
        return [value, computed];
      }`;
    const fn = request(code, TRACK);
    expect((await runtime.invoke(fn)).result).toEqual(['tok-1', 1]);
    expect((await runtime.invoke(fn)).result).toEqual(['tok-1', 1]);
    await runtime.invoke({ ...fn, input: { ...TRACK, event: 'delete' } });
    expect((await runtime.invoke(fn)).result).toEqual(['tok-2', 2]);
    const other = request(code, TRACK);
    expect((await runtime.invoke(other)).result).toEqual(['tok-1', 1]);
  });

  it('expires entries after the ttl and validates arguments', async () => {
    const code = `let n = 0;
      async function onTrack() {
        const a = await cache.load('k', 30, async () => ++n);
        await new Promise((r) => setTimeout(r, 60));
        const b = await cache.load('k', 30, async () => ++n);
        let err; try { await cache.load('k', -1, async () => 1) } catch (e) { err = e.message }
        return [a, b, err];
      }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.result).toEqual([1, 2, 'cache.load: ttl must be a positive number of milliseconds']);
  });
});

describe('pool', () => {
  it('runs invocations concurrently across workers', async () => {
    const pool = createRuntime({ workers: 2 });
    try {
      const code = 'async function onTrack(e) { await new Promise((r) => setTimeout(r, 100)); return e.event }';
      const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((event) => pool.invoke(request(code, { ...TRACK, event }))));
      expect(outcomes.map((o) => o.result)).toEqual(['a', 'b', 'c', 'd']);
      const startup = await pool.prestart?.();
      expect(startup).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });
});

describe('pipelined invocations', () => {
  it('re-runs invocations queued behind a runaway one on a fresh worker', async () => {
    const pool = createRuntime({ workers: 1 });
    try {
      const loop = pool.invoke(request('async function onTrack() { for (;;) {} }', TRACK, { timeoutMs: 300 }));
      const quick = ['a', 'b', 'c'].map((event) => pool.invoke(request('async function onTrack(e) { return e.event }', { ...TRACK, event }, ROOMY)));
      expect((await loop).outcome).toBe('Timeout');
      expect((await Promise.all(quick)).map((o) => o.result)).toEqual(['a', 'b', 'c']);
    } finally {
      await pool.close();
    }
  });

  it('cancels an invocation waiting behind another without disturbing it', async () => {
    const pool = createRuntime({ workers: 1 });
    try {
      const slow = pool.invoke(request('async function onTrack() { await new Promise((r) => setTimeout(r, 300)); return "slow" }', TRACK, ROOMY));
      const controller = new AbortController();
      const queued = pool.invoke(request('async function onTrack() { return "should not run" }', TRACK), controller.signal);
      controller.abort();
      await expect(queued).rejects.toMatchObject({ name: 'RunCancelled' });
      expect((await slow).result).toBe('slow');
      expect((await pool.invoke(request(OK, TRACK, ROOMY))).result).toBe('ok');
    } finally {
      await pool.close();
    }
  });

  it('fails only the invocation that exhausted memory; the ones behind it still run', async () => {
    const pool = createRuntime({ workers: 1 });
    try {
      const hog = pool.invoke(request('async function onTrack() { const k = []; for (;;) k.push({ a: Math.random(), b: "x" + Math.random() }) }', TRACK, { memoryMb: 32, timeoutMs: 20000 }));
      const after = pool.invoke(request(OK, TRACK, { memoryMb: 32 }));
      expect((await hog).error?.message).toMatch(/memory limit of 32 MB/);
      expect((await after).result).toBe('ok');
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe('after a timeout', () => {
  it('runs each queued invocation exactly once', async () => {
    const pool = createRuntime({ workers: 1 });
    try {
      const hang = pool.invoke(request('async function onTrack() { await new Promise(() => {}) }', TRACK, { timeoutMs: 200 }));
      const counted = request('let runs = 0;\nasync function onTrack() { runs++; console.log("run " + runs); return runs }', TRACK, ROOMY);
      const behind = [pool.invoke(counted), pool.invoke(counted), pool.invoke(counted)];
      expect((await hang).outcome).toBe('Timeout');
      const outcomes = await Promise.all(behind);
      expect(outcomes.map((o) => o.result)).toEqual([1, 2, 3]);
      expect(outcomes.map((o) => o.logs.length)).toEqual([1, 1, 1]);
    } finally {
      await pool.close();
    }
  });
});
