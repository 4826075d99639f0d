import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { build } from 'esbuild';
import { CheckedInput, type InvokeRequest, type Runtime } from '../../../runtime/api';
import type { Outcome } from '../../contract/outcome';
import { createRuntimeClient, runtimeCrashOutcome, type RuntimeChannel } from './client';
import {
  decodeFromRuntime,
  decodeToRuntime,
  encodeCancel,
  encodeFailure,
  encodeInvoke,
  encodeInvokeMany,
  encodeOutcome,
  encodeOutcomes,
  encodeRetire,
  encodePrestart,
  encodePrestarted,
  RuntimeProtocolError,
} from './protocol';
import { serveRuntime } from './server';
import { SharedConfigurations } from './shared-config';

const request: InvokeRequest = {
  functionId: 'f1',
  code: 'echo',
  filename: 'handler.js',
  input: { type: 'track', event: 'Signed Up' },
  settings: { apiKey: 'k' },
  network: { mockRules: [], offline: true },
  timeoutMs: 1000,
};

const ok: Outcome = {
  outcome: 'Success', retryable: false, error: null, logs: [{ level: 'log', message: 'hi' }],
  logsTruncated: false, requests: [], result: { a: 1 }, durationMs: 3,
};

describe('runtime protocol encode/decode', () => {
  it('round-trips every message through structured clone', () => {
    const { port1, port2 } = new MessageChannel();
    const received: unknown[] = [];
    port2.on('message', (m) => received.push(m));
    const messages = [encodeInvoke(1, request), encodeCancel(1)];
    for (const m of messages) port1.postMessage(m);
    return new Promise<void>((resolve) => {
      setTimeout(() => {
        expect(received.map(decodeToRuntime)).toEqual(messages);
        port1.close();
        resolve();
      }, 50);
    });
  });

  it('round-trips prestart requests and answers', () => {
    expect(decodeToRuntime(encodePrestart(3))).toEqual({ type: 'prestart', id: 3 });
    expect(decodeToRuntime(encodePrestart(3, 256))).toEqual({ type: 'prestart', id: 3, memoryMb: 256 });
    expect(() => decodeToRuntime({ type: 'prestart', id: 3, memoryMb: -1 })).toThrow('prestart.memoryMb must be a positive number');
    expect(decodeFromRuntime(encodePrestarted(3, [120.5, 130]))).toEqual({ type: 'prestarted', id: 3, startupMs: [120.5, 130] });
    expect(() => decodeFromRuntime({ type: 'prestarted', id: 3, startupMs: ['fast'] })).toThrow('"startupMs" must be an array of numbers');
  });

  it('decodes outcomes and failures from the runtime', () => {
    expect(decodeFromRuntime(encodeOutcome(4, ok))).toEqual({ type: 'outcome', id: 4, outcome: ok });
    const err = new Error('boom');
    err.name = 'RunCancelled';
    expect(decodeFromRuntime(encodeFailure(5, err))).toEqual({
      type: 'failed', id: 5, error: { name: 'RunCancelled', message: 'boom' },
    });
    expect(encodeFailure(6, 'plain string')).toEqual({ type: 'failed', id: 6, error: { name: 'Error', message: 'plain string' } });
  });

  it('rejects malformed messages to the runtime with the problem named', () => {
    const bad: Array<[unknown, RegExp]> = [
      [null, /expected an object, got null/],
      [{ type: 'run', id: 1 }, /unknown message type the string "run"/],
      [{ type: 'cancel', id: -1 }, /"id" must be a non-negative integer/],
      [{ type: 'cancel', id: 1.5 }, /"id" must be a non-negative integer/],
      [{ type: 'invoke', id: 1 }, /"request" must be an object/],
      [{ type: 'invoke', id: 1, request: { ...request, code: 42 } }, /request\.code must be a string/],
      [{ type: 'invoke', id: 1, request: { ...request, input: undefined } }, /request\.input is missing/],
      [{ type: 'invoke', id: 1, request: { ...request, settings: [] } }, /request\.settings must be an object/],
      [{ type: 'invoke', id: 1, request: { ...request, network: { offline: 'yes' } } }, /request\.network/],
      [{ type: 'invoke', id: 1, request: { ...request, timeoutMs: 0 } }, /request\.timeoutMs must be a positive number/],
      [{ type: 'invoke', id: 1, request: { ...request, memoryMb: 'big' } }, /request\.memoryMb/],
    ];
    for (const [raw, message] of bad) {
      expect(() => decodeToRuntime(raw)).toThrow(RuntimeProtocolError);
      expect(() => decodeToRuntime(raw)).toThrow(message);
    }
  });

  it('round-trips bulks, streamed outcomes and retire requests', () => {
    expect(decodeToRuntime(encodeInvokeMany(7, [request, { ...request, input: { n: 2 } }]))).toEqual({
      type: 'invokeMany',
      id: 7,
      requests: [{ ...request, input: new CheckedInput(Buffer.from(JSON.stringify(request.input))) }, { ...request, input: { n: 2 } }],
    });
    expect(decodeFromRuntime(encodeOutcomes(7, [1, 0], [Buffer.from(JSON.stringify(ok)), new TextEncoder().encode(JSON.stringify(ok))]))).toEqual({ type: 'outcomes', id: 7, indexes: [1, 0], outcomes: [ok, ok] });
    expect(decodeFromRuntime(encodeRetire('stuck'))).toEqual({ type: 'retire', reason: 'stuck' });
    // Consecutive requests with the same configuration objects share one config on the wire.
    const settings = { k: 1 };
    const bulk: InvokeRequest[] = [1, 2, 3].map((n) => ({ ...request, settings, input: { type: 'track', n } }));
    const wire = encodeInvokeMany(8, [...bulk, { ...request, code: 'other', input: { type: 'track', n: 4 } }]);
    expect(wire).toMatchObject({ configs: [{ code: 'echo' }, { code: 'other' }], configOf: [0, 0, 0, 1] });
    // The inputs travel as one buffer of UTF-8, cut by their lengths in bytes.
    expect(wire).toMatchObject({ inputs: Buffer.from([1, 2, 3, 4].map((n) => `{"type":"track","n":${n}}`).join('')), lengths: [22, 22, 22, 22], invalid: [] });
    const accented = encodeInvokeMany(12, [{ ...request, input: { type: 'track', name: 'Zoë €' } }, request]);
    expect(accented).toMatchObject({ lengths: [JSON.stringify({ type: 'track', name: 'Zoë €' }).length + 3, JSON.stringify(request.input).length] });
    const decoded = decodeToRuntime(wire);
    if (decoded.type !== 'invokeMany') throw new Error('not a bulk');
    // Valid events cross as the JSON text of the runtime's own checks; an invalid one as given.
    expect(decoded.requests.map((r) => Buffer.from((r.input as CheckedInput).json).toString())).toEqual([1, 2, 3, 4].map((n) => `{"type":"track","n":${n}}`));
    expect(decoded.requests[2].settings).toBe(decoded.requests[0].settings);
    expect(decoded.requests[3].code).toBe('other');
    // Network options built afresh per request still share one config when their fields match.
    const rules = [{ url: 'https://api.test/*', status: 200 }];
    const fresh = [1, 2].map((n): InvokeRequest => ({ ...request, settings, network: { mockRules: rules, offline: true }, input: { type: 'track', n } }));
    expect(encodeInvokeMany(10, fresh)).toMatchObject({ configs: [{ network: { mockRules: rules } }], configOf: [0, 0] });
    const differing = [...fresh, { ...fresh[0], network: { mockRules: rules, offline: false } }, { ...fresh[0], network: { mockRules: [...rules], offline: false } }];
    expect(encodeInvokeMany(11, differing)).toMatchObject({ configOf: [0, 0, 1, 2] });
    const mixed = encodeInvokeMany(9, [request, { ...request, input: { no: 'type' } }, request]);
    expect(mixed).toMatchObject({ lengths: [JSON.stringify(request.input).length, -1, JSON.stringify(request.input).length], invalid: [{ index: 1, input: { no: 'type' } }] });
    const decodedMixed = decodeToRuntime(mixed);
    if (decodedMixed.type !== 'invokeMany') throw new Error('not a bulk');
    expect(decodedMixed.requests[1].input).toEqual({ no: 'type' });
    expect([0, 2].map((i) => Buffer.from((decodedMixed.requests[i].input as CheckedInput).json).toString())).toEqual([JSON.stringify(request.input), JSON.stringify(request.input)]);
    // A caller's checked input (replay's event text) travels as it is, spaces and escapes included.
    const own = ' { "type" : "track", "e": "caf\\u00e9" } ';
    const checked = encodeInvokeMany(13, [{ ...request, input: new CheckedInput(own) }, { ...request, input: new CheckedInput(Buffer.from(own)) }]);
    expect(checked).toMatchObject({ inputs: Buffer.from(own + own), lengths: [own.length, own.length], invalid: [] });
    // A single invoke cannot carry the class through the channel's clone: it sends the event.
    expect(structuredClone(encodeInvoke(14, { ...request, input: new CheckedInput(own) }))).toEqual({ type: 'invoke', id: 14, request: { ...request, input: { type: 'track', e: 'café' } } });
    const bulkOf = (fields: Record<string, unknown>): Record<string, unknown> => ({ type: 'invokeMany', id: 1, configs: [request], configOf: [0], inputs: Buffer.from('{}'), lengths: [2], invalid: [], ...fields });
    expect(decodeToRuntime(bulkOf({}))).toMatchObject({ requests: [{ code: 'echo', input: { json: Buffer.from('{}') } }] });
    // Electron's channel gives a plain Uint8Array back.
    expect(decodeToRuntime(bulkOf({ inputs: new Uint8Array([123, 125]) }))).toMatchObject({ requests: [{ input: { json: new Uint8Array([123, 125]) } }] });
    expect(() => decodeToRuntime(bulkOf({ inputs: '{}' }))).toThrow(/"inputs" must be bytes \(a Uint8Array\), got the string/);
    expect(() => decodeToRuntime(bulkOf({ configs: [request, { ...request, code: 3 }] }))).toThrow(/configs\[1\]: request\.code must be a string/);
    expect(() => decodeToRuntime(bulkOf({ configOf: [1] }))).toThrow(/configOf\[0\] must be an index into configs/);
    // A missing input travels as an invalid one (the runtime reports it) rather than as text.
    expect(decodeToRuntime(bulkOf({ inputs: Buffer.alloc(0), lengths: [-1], invalid: [{ index: 0 }] }))).toMatchObject({ requests: [{ code: 'echo', input: undefined }] });
    expect(() => decodeToRuntime(bulkOf({ inputs: Buffer.alloc(0), lengths: [-1] }))).toThrow(/invocation 0 has no input/);
    expect(() => decodeToRuntime(bulkOf({ invalid: [{ index: 0, input: {} }] }))).toThrow(/"invalid" must be \{ index, input \} for an invocation whose length is -1/);
    expect(() => decodeToRuntime(bulkOf({ lengths: [3] }))).toThrow(/lengths\[0\] must be a length within "inputs" \(2 bytes\), got number 3/);
    expect(() => decodeToRuntime(bulkOf({ inputs: Buffer.from('{}{}') }))).toThrow(/"lengths" cover 2 of the 4 bytes of "inputs"/);
    expect(() => decodeToRuntime(bulkOf({ lengths: [1, 1] }))).toThrow(/"lengths" must be an array of 1 numbers/);
    expect(() => decodeToRuntime({ type: 'invokeMany', id: 1, requests: 'all' })).toThrow(/"configs", "configOf" and "invalid" must be arrays/);
    const okText = Buffer.from(JSON.stringify(ok));
    const outcomesOf = (fields: Record<string, unknown>): Record<string, unknown> => ({ type: 'outcomes', id: 1, indexes: [0], text: okText, lengths: [okText.length], ...fields });
    expect(decodeFromRuntime(outcomesOf({}))).toEqual({ type: 'outcomes', id: 1, indexes: [0], outcomes: [ok] });
    expect(decodeFromRuntime(outcomesOf({ text: new Uint8Array(okText) }))).toEqual({ type: 'outcomes', id: 1, indexes: [0], outcomes: [ok] });
    const accentedOutcome = Buffer.from(JSON.stringify({ ...ok, logs: [{ level: 'log', message: 'Zoë €' }] }));
    expect(decodeFromRuntime(outcomesOf({ text: accentedOutcome, lengths: [accentedOutcome.length] }))).toMatchObject({ outcomes: [{ logs: [{ message: 'Zoë €' }] }] });
    expect(() => decodeFromRuntime(outcomesOf({ indexes: [0, 1] }))).toThrow(/"lengths" must be an array of 2 numbers/);
    expect(() => decodeFromRuntime(outcomesOf({ indexes: [-1] }))).toThrow(/non-negative integers/);
    const meh = Buffer.from(JSON.stringify({ ...ok, outcome: 'Meh' }));
    expect(() => decodeFromRuntime(outcomesOf({ text: meh, lengths: [meh.length] }))).toThrow(/outcome\.outcome must be one of/);
    expect(() => decodeFromRuntime(outcomesOf({ text: [okText] }))).toThrow(/"text" must be bytes \(a Uint8Array\), got an array/);
    expect(() => decodeFromRuntime(outcomesOf({ lengths: [-1], text: Buffer.alloc(0) }))).toThrow(/lengths\[0\] must be an outcome's length, got -1/);
    expect(() => decodeFromRuntime(outcomesOf({ text: Buffer.from('{nope'), lengths: [5] }))).toThrow(/outcomes\[0\] is not JSON/);
    expect(() => decodeFromRuntime({ type: 'retire' })).toThrow(/"reason" must be a string/);
  });

  it('rejects malformed messages from the runtime with the problem named', () => {
    const bad: Array<[unknown, RegExp]> = [
      ['hello', /expected an object/],
      [{ type: 'outcome', id: 1, outcome: { ...ok, outcome: 'Fine' } }, /outcome\.outcome must be one of Success/],
      [{ type: 'outcome', id: 1, outcome: { ...ok, logs: 'x' } }, /outcome\.logs must be an array/],
      [{ type: 'outcome', id: 1, outcome: { ...ok, retryable: 1 } }, /outcome\.retryable must be a boolean/],
      [{ type: 'failed', id: 1, error: 'boom' }, /"error" must be \{ name: string, message: string \}/],
      [{ type: 'log', id: 1 }, /unknown message type the string "log"/],
    ];
    for (const [raw, message] of bad) expect(() => decodeFromRuntime(raw)).toThrow(message);
  });
});

/** A runtime whose behaviour is picked by `code`, recording the signals it got. */
function scriptedRuntime(): Runtime & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    signals,
    invoke(req, signal) {
      if (signal) signals.push(signal);
      if (req.code === 'echo') return Promise.resolve({ ...ok, result: req.input });
      if (req.code === 'throw') return Promise.reject(Object.assign(new Error('runtime exploded'), { name: 'Internal' }));
      return new Promise((_, reject) =>
        signal?.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { name: 'RunCancelled' }))),
      );
    },
    prestart: (memoryMb?: number) => Promise.resolve(memoryMb === 999 ? Promise.reject(new Error('no memory')) : [10, 20]),
    close: () => Promise.resolve(),
  };
}

function portChannel(port: MessagePort, onKill: () => void): RuntimeChannel {
  const exitListeners: Array<(code: number | null) => void> = [];
  return {
    postMessage: (m) => port.postMessage(m),
    onMessage: (l) => port.on('message', l),
    onExit: (l) => exitListeners.push(l),
    kill: () => {
      port.close();
      onKill();
      for (const l of exitListeners) l(null);
    },
  };
}

describe('RuntimeClient ↔ serveRuntime over a MessageChannel', () => {
  it('runs invocations and passes outcomes and named failures through', async () => {
    const runtime = scriptedRuntime();
    const client = createRuntimeClient(() => {
      const { port1, port2 } = new MessageChannel();
      serveRuntime(runtime, { postMessage: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) });
      return portChannel(port1, () => port2.close());
    });
    const outcomes = await Promise.all([1, 2, 3].map((n) => client.invoke({ ...request, input: { n } })));
    expect(outcomes.map((o) => o.result)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await expect(client.invoke({ ...request, code: 'throw' })).rejects.toMatchObject({ name: 'Internal', message: 'runtime exploded' });
    await client.close();
    await expect(client.invoke(request)).rejects.toMatchObject({ name: 'RuntimeClosed' });
  });

  it('cancels: rejects with RunCancelled and aborts the run inside the runtime', async () => {
    const runtime = scriptedRuntime();
    let server: ReturnType<typeof serveRuntime> | undefined;
    const client = createRuntimeClient(() => {
      const { port1, port2 } = new MessageChannel();
      server = serveRuntime(runtime, { postMessage: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) });
      return portChannel(port1, () => port2.close());
    });
    const controller = new AbortController();
    const run = client.invoke({ ...request, code: 'hang' }, controller.signal);
    await waitFor(() => runtime.signals.length === 1);
    controller.abort();
    await expect(run).rejects.toMatchObject({ name: 'RunCancelled' });
    await waitFor(() => runtime.signals[0].aborted && server?.pending() === 0);
    // An already-aborted signal never reaches the runtime.
    await expect(client.invoke(request, AbortSignal.abort())).rejects.toMatchObject({ name: 'RunCancelled' });
    expect(runtime.signals).toHaveLength(1);
    await client.close();
  });

  it('prestarts the runtime through the client, passing its failures on', async () => {
    const runtime = scriptedRuntime();
    const client = createRuntimeClient(() => {
      const { port1, port2 } = new MessageChannel();
      serveRuntime(runtime, { postMessage: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) });
      return portChannel(port1, () => port2.close());
    });
    await expect(client.prestart!()).resolves.toEqual([10, 20]);
    await expect(client.prestart!(999)).rejects.toMatchObject({ message: 'no memory' });
    // A runtime without prestart answers at once with no workers started.
    const bare = createRuntimeClient(() => {
      const { port1, port2 } = new MessageChannel();
      serveRuntime({ invoke: (r) => runtime.invoke(r), close: () => runtime.close() }, { postMessage: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) });
      return portChannel(port1, () => port2.close());
    });
    await expect(bare.prestart!()).resolves.toEqual([]);
    await client.close();
    await bare.close();
    await expect(client.prestart!()).rejects.toMatchObject({ name: 'RuntimeClosed' });
  });

  it('answers a malformed invoke with a failure naming the problem', async () => {
    const { port1, port2 } = new MessageChannel();
    serveRuntime(scriptedRuntime(), { postMessage: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) });
    const reply = new Promise<unknown>((resolve) => port1.once('message', resolve));
    port1.postMessage({ type: 'invoke', id: 9, request: { code: 1 } });
    expect(decodeFromRuntime(await reply)).toMatchObject({
      type: 'failed', id: 9, error: { name: 'RuntimeProtocolError', message: expect.stringContaining('request.functionId must be a string') },
    });
    port1.close();
  });
});

describe('RuntimeClient: bulks and retiring processes (over MessageChannels)', () => {
  /** A runtime whose invocations finish when the test says so. */
  function heldRuntime(): Runtime & { release(n: number): void; started: number } {
    const waiting: Array<() => void> = [];
    const held = {
      started: 0,
      release(n: number) {
        for (const resolve of waiting.splice(0, n)) resolve();
      },
      invoke(req: InvokeRequest) {
        held.started++;
        return new Promise<Outcome>((resolve) => waiting.push(() => resolve({ ...ok, result: req.input })));
      },
      close: () => Promise.resolve(),
    };
    return held;
  }

  it('streams a bulk through a runtime without invokeEach, in request order', async () => {
    const runtime = heldRuntime();
    const client = createRuntimeClient(() => {
      const { port1, port2 } = new MessageChannel();
      serveRuntime(runtime, { postMessage: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) });
      return portChannel(port1, () => port2.close());
    });
    const bulk = client.invokeMany!([1, 2, 3].map((n) => ({ ...request, input: { n } })));
    await waitFor(() => runtime.started === 3);
    runtime.release(3);
    expect((await bulk).map((o) => o.result)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await expect(client.invokeMany!([])).resolves.toEqual([]);
    await client.close();
  });

  it('a process that asks to retire finishes what it has, gets nothing new, and is then stopped', async () => {
    const runtimes: Array<ReturnType<typeof heldRuntime>> = [];
    const servers: Array<ReturnType<typeof serveRuntime>> = [];
    const killed: number[] = [];
    const reasons: string[] = [];
    const client = createRuntimeClient(
      () => {
        const n = runtimes.length;
        const runtime = heldRuntime();
        runtimes.push(runtime);
        const { port1, port2 } = new MessageChannel();
        servers.push(serveRuntime(runtime, { postMessage: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) }));
        return portChannel(port1, () => {
          killed.push(n);
          port2.close();
        });
      },
      { onRetire: (reason) => reasons.push(reason) },
    );
    const first = client.invokeMany!([1, 2].map((n) => ({ ...request, input: { n } })));
    await waitFor(() => runtimes[0]?.started === 2);
    servers[0].retire('a thread is stuck');
    await waitFor(() => reasons.length === 1);
    expect(reasons).toEqual(['a thread is stuck']);
    // New work goes to a fresh process while the retiring one finishes its own.
    const second = client.invoke({ ...request, input: { n: 3 } });
    await waitFor(() => runtimes[1]?.started === 1);
    expect(killed).toEqual([]);
    runtimes[0].release(2);
    expect((await first).map((o) => o.result)).toEqual([{ n: 1 }, { n: 2 }]);
    await waitFor(() => killed.length === 1);
    expect(killed).toEqual([0]);
    runtimes[1].release(1);
    expect((await second).result).toEqual({ n: 3 });
    expect(runtimes[0].started).toBe(2);
    await client.close();
  });

  it('a process that dies mid-bulk: what it answered stands, the rest get RuntimeCrashed', async () => {
    const runtime = heldRuntime();
    let channel: RuntimeChannel | undefined;
    const client = createRuntimeClient(() => {
      const { port1, port2 } = new MessageChannel();
      serveRuntime(runtime, { postMessage: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', l) });
      channel = portChannel(port1, () => port2.close());
      return channel;
    });
    const bulk = client.invokeMany!([1, 2, 3].map((n) => ({ ...request, input: { n } })));
    await waitFor(() => runtime.started === 3);
    runtime.release(1);
    // Let the first outcome cross before the "process" dies.
    await new Promise((r) => setTimeout(r, 50));
    channel!.kill();
    const outcomes = await bulk;
    expect(outcomes[0].result).toEqual({ n: 1 });
    expect(outcomes.slice(1).map((o) => o.error?.name)).toEqual(['RuntimeCrashed', 'RuntimeCrashed']);
    await client.close();
  });
});

describe('SharedConfigurations', () => {
  it('gives equal configurations of a function the same objects, and a changed one its own', () => {
    const configs = new SharedConfigurations();
    const a = configs.canonical({ ...request, settings: { k: 1 } });
    const b = configs.canonical({ ...request, settings: { k: 1 }, input: { other: true } });
    expect(b.settings).toBe(a.settings);
    expect(b.network).toBe(a.network);
    expect(b.input).toEqual({ other: true });
    const c = configs.canonical({ ...request, settings: { k: 2 } });
    expect(c.settings).not.toBe(a.settings);
    expect(c.settings).toEqual({ k: 2 });
    const d = configs.canonical({ ...request, code: 'other', settings: { k: 2 } });
    expect(d.settings).not.toBe(c.settings);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('RuntimeClient against a real runtime process', () => {
  let dir: string;
  let entry: string;
  const spawned: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fnstudio-runtime-child-'));
    entry = path.join(dir, 'runtime-child.cjs');
    await build({
      entryPoints: [path.join(__dirname, 'test-fixtures', 'runtime-child.ts')],
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: entry, logLevel: 'warning',
    });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function spawnChild(): RuntimeChannel {
    const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    if (child.pid !== undefined) spawned.push(child.pid);
    child.on('error', () => undefined); // sends racing a death are answered by 'exit'
    return {
      postMessage: (m) => child.send(m),
      onMessage: (l) => child.on('message', l),
      onExit: (l) => child.once('exit', (code) => l(code)),
      kill: () => child.kill(),
    };
  }

  it('a crash resolves pending runs to an error outcome and the next run restarts the process', async () => {
    const client = createRuntimeClient(spawnChild);
    const first = await client.invoke(request);
    expect(first.outcome).toBe('Success');
    const firstPid = (first.result as { pid: number }).pid;

    const crashed = await client.invoke({ ...request, code: 'crash' });
    expect(crashed.outcome).toBe('Bad Request');
    expect(crashed.error).toMatchObject({ name: 'RuntimeCrashed', message: expect.stringContaining('exited with code 7') });

    const after = await client.invoke(request);
    expect(after.outcome).toBe('Success');
    expect((after.result as { pid: number }).pid).not.toBe(firstPid);
    expect(spawned.length).toBeGreaterThanOrEqual(2);
    await client.close();
  });

  it('cancelling keeps the process; garbage from it kills and replaces it', async () => {
    const protocolErrors: Error[] = [];
    const client = createRuntimeClient(spawnChild, { onProtocolError: (e) => protocolErrors.push(e) });
    const pid = ((await client.invoke(request)).result as { pid: number }).pid;

    const controller = new AbortController();
    const hanging = client.invoke({ ...request, code: 'hang' }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(hanging).rejects.toMatchObject({ name: 'RunCancelled' });
    expect(((await client.invoke(request)).result as { pid: number }).pid).toBe(pid);

    const garbage = await client.invoke({ ...request, code: 'garbage' });
    expect(garbage.error?.name).toBe('RuntimeCrashed');
    expect(protocolErrors[0]?.message).toMatch(/"id" must be a non-negative integer/);
    expect(((await client.invoke(request)).result as { pid: number }).pid).not.toBe(pid);
    await client.close();
  });

  it('close() rejects pending runs and stops the process', async () => {
    const client = createRuntimeClient(spawnChild);
    await client.invoke(request);
    const hanging = client.invoke({ ...request, code: 'hang' });
    await client.close();
    await expect(hanging).rejects.toMatchObject({ name: 'RuntimeClosed' });
  });

  it('runtimeCrashOutcome says how the process ended', () => {
    expect(runtimeCrashOutcome(null, 5).error?.message).toContain('was killed');
    expect(runtimeCrashOutcome(134, 5)).toMatchObject({ outcome: 'Bad Request', retryable: false, durationMs: 5 });
  });
});
