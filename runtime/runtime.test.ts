import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from './index';
import type { Runtime } from './api';
import { request, TRACK } from './test-support';

let runtime: Runtime;
beforeAll(() => {
  runtime = createRuntime({ workers: 2 });
});
afterAll(async () => {
  await runtime.close();
});

describe('dispatch and categories', () => {
  it('dispatches each event type to its handler', async () => {
    const code = ['Identify', 'Track', 'Page', 'Screen', 'Group', 'Alias', 'Delete']
      .map((name) => `async function on${name}(event, settings) { return { handler: 'on${name}', type: event.type, key: settings.apiKey } }`)
      .join('\n');
    const fn = request(code, null);
    for (const type of ['identify', 'track', 'page', 'screen', 'group', 'alias', 'delete']) {
      const outcome = await runtime.invoke({ ...fn, input: { type }, settings: { apiKey: 'k' } });
      expect(outcome.outcome).toBe('Success');
      expect(outcome.result).toEqual({ handler: `on${type[0].toUpperCase()}${type.slice(1)}`, type, key: 'k' });
    }
  });

  it('reports a missing handler as Unsupported Event Type "<type> not supported"', async () => {
    const outcome = await runtime.invoke(request('async function onTrack() {}', { type: 'screen' }));
    expect(outcome.outcome).toBe('Unsupported Event Type');
    expect(outcome.error?.name).toBe('EventNotSupported');
    expect(outcome.error?.message).toBe('screen not supported');
    expect(outcome.retryable).toBe(false);
  });

  it.each([
    ['throw new Error("boom")', 'Bad Request', 'Error', false],
    ['null.x', 'Bad Request', 'TypeError', false],
    ['throw new InvalidEventPayload("no email")', 'Message Rejected', 'InvalidEventPayload', false],
    ['throw new ValidationError("bad")', 'Message Rejected', 'ValidationError', false],
    ['throw new EventNotSupported("nope")', 'Unsupported Event Type', 'EventNotSupported', false],
    ['throw new RetryError("later")', 'Retry', 'RetryError', true],
    ['throw new DropEvent("drop")', 'Dropped', 'DropEvent', false],
  ])('%s → %s', async (statement, category, name, retryable) => {
    const outcome = await runtime.invoke(request(`async function onTrack(event) {\n  ${statement}\n}`, TRACK));
    expect(outcome.outcome).toBe(category);
    expect(outcome.error?.name).toBe(name);
    expect(outcome.retryable).toBe(retryable);
  });

  it('gives each error class its class name and Error as base', async () => {
    const code = `async function onTrack() {
      return [EventNotSupported, InvalidEventPayload, ValidationError, RetryError, DropEvent].map((C) => {
        const e = new C('m');
        return [C.name, e.name, e.message, e instanceof Error, e instanceof C];
      });
    }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.result).toEqual(
      ['EventNotSupported', 'InvalidEventPayload', 'ValidationError', 'RetryError', 'DropEvent'].map((n) => [n, n, 'm', true, true]),
    );
  });

  it('captures the returned event of an insert function as result', async () => {
    const outcome = await runtime.invoke(request('async function onTrack(event) { event.properties.enriched = true; return event }', TRACK));
    expect(outcome.result).toEqual({ ...TRACK, properties: { title: 'Intro', enriched: true } });
  });

  it('rejects oversize, non-object and typeless events before running', async () => {
    const big = { type: 'track', properties: { blob: 'x'.repeat(33 * 1024) } };
    const tooBig = await runtime.invoke(request('async function onTrack() {}', big));
    expect(tooBig.outcome).toBe('Message Rejected');
    expect(tooBig.error?.message).toMatch(/over 32 KB/);
    const notObject = await runtime.invoke(request('async function onTrack() {}', 'hello'));
    expect(notObject.outcome).toBe('Message Rejected');
    expect(notObject.error?.message).toBe('the event must be a JSON object, got a string');
    const batchItem = await runtime.invoke(request('async function onBatch() {}', [TRACK, 5]));
    expect(batchItem.error?.message).toBe('batch event [1] must be a JSON object, got a number');
    const noType = await runtime.invoke(request('async function onTrack() {}', { event: 'x' }));
    expect(noType.error?.message).toMatch(/has no "type"/);
  });

  it('rejects events or settings that are not plain data, without disturbing others', async () => {
    const others = [runtime.invoke(request('async function onTrack() { return 1 }', TRACK)), runtime.invoke(request('async function onTrack() { return 2 }', TRACK))];
    const bad = await runtime.invoke({ ...request('async function onTrack() {}', TRACK), settings: { callback: () => 1 } });
    expect(bad.outcome).toBe('Message Rejected');
    expect(bad.error?.message).toMatch(/only JSON data/);
    expect((await Promise.all(others)).map((o) => o.result)).toEqual([1, 2]);
    expect((await runtime.invoke(request('async function onTrack() { return 3 }', TRACK))).result).toBe(3);
  });

  it('reports non-object settings as Invalid Settings', async () => {
    const outcome = await runtime.invoke({ ...request('async function onTrack() {}', TRACK), settings: 'x' as unknown as Record<string, unknown> });
    expect(outcome.outcome).toBe('Invalid Settings');
  });
});

describe('batches', () => {
  it('maps per-item statuses to categories', async () => {
    const code = `async function onBatch(events) {
      return events.map((e, i) => i === 0 ? { status: 200 } : i === 1 ? { status: 400, errormessage: 'bad' } : i === 2 ? { status: 500, errormessage: 'down' } : undefined);
    }`;
    const outcome = await runtime.invoke(request(code, [TRACK, TRACK, TRACK, TRACK]));
    expect(outcome.outcome).toBe('Success');
    expect(outcome.items).toEqual([
      { index: 0, status: 200, category: 'Success' },
      { index: 1, status: 400, errormessage: 'bad', category: 'Message Rejected' },
      { index: 2, status: 500, errormessage: 'down', category: 'Retry' },
      { index: 3, status: 200, category: 'Success' },
    ]);
  });

  it('fails every item when onBatch throws', async () => {
    const outcome = await runtime.invoke(request('async function onBatch() { throw new RetryError("busy") }', [TRACK, TRACK]));
    expect(outcome.outcome).toBe('Retry');
    expect(outcome.items).toEqual([
      { index: 0, status: 500, errormessage: 'busy', category: 'Retry' },
      { index: 1, status: 500, errormessage: 'busy', category: 'Retry' },
    ]);
  });

  it('says so when a batch reaches a function without onBatch', async () => {
    const outcome = await runtime.invoke(request('async function onTrack() {}', [TRACK]));
    expect(outcome.outcome).toBe('Unsupported Event Type');
    expect(outcome.error?.message).toMatch(/does not define onBatch/);
  });
});

describe('console capture', () => {
  it('formats like Node and keeps levels', async () => {
    const code = `async function onTrack(event) {
      console.log('hello %s', 'world', { a: [1, 2] }, 3);
      console.info('info'); console.warn('warn'); console.error(new Error('e1').message); console.debug('dbg'); console.trace('tr');
    }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.logs).toEqual([
      { level: 'log', message: 'hello world { a: [ 1, 2 ] } 3' },
      { level: 'info', message: 'info' },
      { level: 'warn', message: 'warn' },
      { level: 'error', message: 'e1' },
      { level: 'debug', message: 'dbg' },
      { level: 'trace', message: 'Trace: tr' },
    ]);
    expect(outcome.logsTruncated).toBe(false);
  });

  it('prints errors as their stack in the user\'s file, like Node', async () => {
    const code = 'async function onTrack() {\n  console.error("failed:", new TypeError("bad input"));\n}';
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.logs[0].message).toBe('failed: TypeError: bad input\n    at onTrack (handler.js:2:28)');
  });

  it('prints errors nested in objects and arrays like Node', async () => {
    const code = 'async function onTrack() {\n  const e = new RangeError("too far");\n  console.log({ e, list: [e] });\n}';
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.logs[0].message).toMatch(/^\{\n {2}e: RangeError: too far\n {6}at onTrack \(handler\.js:2:13\),\n {2}list: \[/);
  });

  it('caps output at 4 KB with a visible marker', async () => {
    const code = `async function onTrack() { for (let i = 0; i < 200; i++) console.log('line ' + i + ' ' + 'x'.repeat(50)) }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.logsTruncated).toBe(true);
    const text = outcome.logs.slice(0, -1).map((l) => l.message).join('');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    expect(outcome.logs[outcome.logs.length - 1].message).toMatch(/truncated/);
  });
});

describe('errors point at the user\'s lines', () => {
  it('maps stack frames to the user file and strips host frames', async () => {
    const code = ['function helper(x) {', '  return x.missing.deep;', '}', 'async function onTrack(event) {', '  return helper(event);', '}'].join('\n');
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error?.name).toBe('TypeError');
    expect(outcome.error?.frames[0]).toEqual({ functionName: 'helper', line: 2, column: 20 });
    expect(outcome.error?.frames[1]).toMatchObject({ functionName: 'onTrack', line: 5 });
    expect(outcome.error?.stack).toMatch(/^TypeError: .*\n {4}at helper \(handler\.js:2:20\)/);
    expect(outcome.error?.stack).not.toMatch(/ses|node:|out\/runtime|\/work\//);
  });

  it('reports a syntax error with its line', async () => {
    const code = 'async function onTrack(event) {\n  const a = 1;\n  return a +;\n}';
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.name).toBe('SyntaxError');
    expect(outcome.error?.frames[0]?.line).toBe(3);
    expect(outcome.error?.stack).toMatch(/handler\.js:3/);
  });

  it('reports errors thrown at top level', async () => {
    const outcome = await runtime.invoke(request('const x = 1;\nthrow new Error("top")\nasync function onTrack() {}', TRACK));
    expect(outcome.error?.message).toBe('top');
    expect(outcome.error?.frames[0]?.line).toBe(2);
  });
});

describe('state', () => {
  it('keeps top-level state across invocations of the same function and code', async () => {
    const fn = request('let count = 0;\nasync function onTrack() { count++; return count }', TRACK);
    const results: unknown[] = [];
    for (let i = 0; i < 3; i++) results.push((await runtime.invoke(fn)).result);
    expect(results).toEqual([1, 2, 3]);
    const changed = await runtime.invoke({ ...fn, code: fn.code + '\n// edited' });
    expect(changed.result).toBe(1);
  });

  it('never shares state or globals between functions', async () => {
    const a = request('globalThis.secret = "from a"; var shared = 41;\nasync function onTrack() { return [typeof globalThis.leak, shared] }', TRACK);
    const b = request('async function onTrack() { globalThis.leak = 1; return [typeof globalThis.secret, typeof shared] }', TRACK);
    expect((await runtime.invoke(a)).result).toEqual(['undefined', 41]);
    expect((await runtime.invoke(b)).result).toEqual(['undefined', 'undefined']);
    expect((await runtime.invoke(a)).result).toEqual(['undefined', 41]);
  });

  it("gives each function its own lodash state (uniqueId counter, mixins, template settings)", async () => {
    const code = `async function onTrack() {
      const mine = typeof _.fromOtherFunction;
      _.mixin({ fromOtherFunction: () => 1 });
      _.templateSettings.interpolate = /\\[\\[(.+?)\\]\\]/g;
      return [_.uniqueId('id-'), mine];
    }`;
    const a = request(code, TRACK);
    const b = request(code, TRACK);
    expect((await runtime.invoke(a)).result).toEqual(['id-1', 'undefined']);
    expect((await runtime.invoke(b)).result).toEqual(['id-1', 'undefined']);
    expect((await runtime.invoke(a)).result).toEqual(['id-2', 'function']);
  });
});
