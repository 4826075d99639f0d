/**
 * Undeclared variables behave as in Node's sloppy scripts (Segment's runtime), against
 * the real sandbox in real workers: reads throw ReferenceError, assignments create
 * globals, `typeof` stays harmless.
 */
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from './index';
import type { Runtime } from './api';
import { request, TRACK } from './test-support';

/** The top frame in handler.js that Node itself reports for `code` (a sloppy script) calling onTrack. */
async function nodeFrame(code: string): Promise<string> {
  let stack = '';
  try {
    await vm.runInNewContext(`${code}\n;onTrack({}, {})`, {}, { filename: 'handler.js' });
  } catch (err) {
    stack = String((err as Error).stack);
  }
  const frame = /^\s*at .*handler\.js:\d+:\d+\)?$/m.exec(stack);
  if (!frame) throw new Error(`Node reported no frame in handler.js: ${stack}`);
  return frame[0].trim();
}

let runtime: Runtime;
beforeAll(() => {
  // One worker, so a function's consecutive invocations share its warm instance.
  runtime = createRuntime({ workers: 1 });
});
afterAll(async () => {
  await runtime.close();
});

describe('undeclared variables', () => {
  it('reading a misspelt name is a Bad Request ReferenceError at the right line and column', async () => {
    const code = ['const apiKey = "k";', 'async function onTrack(event, settings) {', '  const body = { key: apiKey };', '  return body.key + apikey;', '}'].join('\n');
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.retryable).toBe(false);
    expect(outcome.error?.name).toBe('ReferenceError');
    expect(outcome.error?.message).toBe('apikey is not defined');
    expect(outcome.error?.frames[0]).toEqual({ functionName: 'onTrack', line: 4, column: 21 });
    expect(outcome.error?.stack).toBe('ReferenceError: apikey is not defined\n    at onTrack (handler.js:4:21)');
    expect(await nodeFrame(code)).toBe('at onTrack (handler.js:4:21)');
  });

  it('a read at top level fails the run with its line', async () => {
    const outcome = await runtime.invoke(request('const ok = 1;\nconst client = makeClient(ok);\nasync function onTrack() { return 1 }', TRACK));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.message).toBe('makeClient is not defined');
    expect(outcome.error?.frames[0]).toMatchObject({ line: 2, column: 16 });
  });

  it('the thrown error is the guest\'s own ReferenceError and can be caught', async () => {
    const code = 'async function onTrack() { try { return missing } catch (err) { return [err instanceof ReferenceError, err.name, err.message, String(err.stack).split("\\n")[1].trim()] } }';
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.outcome).toBe('Success');
    // V8 places a `return x` lookup at the `return` keyword, natively too.
    expect(outcome.result).toEqual([true, 'ReferenceError', 'missing is not defined', 'at onTrack (handler.js:1:34)']);
  });

  it('reports the frame Node reports, wherever the name is read', async () => {
    const bodies = [
      'return missing',
      'const v = 1 + missing; return v',
      'return missing.prop',
      'missing()',
      'JSON.stringify(missing)',
      'counter += 1',
      'counter++',
      'return `${missing}`',
      'return { a: 1, b: missing }',
      'return { missing }',
      'const { a } = missing',
      'return [1, ...missing]',
      'if (missing) return 1',
      'return event && missing',
      'await missing',
    ];
    for (const body of bodies) {
      const code = `async function onTrack(event) {\n  ${body}\n}`;
      const outcome = await runtime.invoke(request(code, TRACK));
      expect(outcome.outcome, body).toBe('Bad Request');
      expect(outcome.error?.stack.split('\n')[1].trim(), body).toBe(await nodeFrame(code));
    }
  });

  it('typeof of an undeclared name is "undefined" and does not throw', async () => {
    const code = 'async function onTrack() { return [typeof notDeclared, typeof notDeclared === "undefined"] }';
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.outcome).toBe('Success');
    expect(outcome.result).toEqual(['undefined', true]);
  });

  it('the lazy `if (typeof x === "undefined") x = …` idiom works and persists', async () => {
    const req = request('async function onTrack() { if (typeof seen === "undefined") seen = 0; seen++; return seen }', TRACK);
    expect((await runtime.invoke(req)).result).toBe(1);
    expect((await runtime.invoke(req)).result).toBe(2);
  });

  it('top-level assignment to an undeclared name creates a global that persists while warm', async () => {
    const req = request('counter = 0;\nasync function onTrack() { counter++; return [counter, globalThis.counter, Object.keys(globalThis).includes("counter")] }', TRACK);
    expect((await runtime.invoke(req)).result).toEqual([1, 1, true]);
    expect((await runtime.invoke(req)).result).toEqual([2, 2, true]);
  });

  it('assignment inside a handler creates a global that a later invocation reads', async () => {
    const code = 'async function onTrack(event) { if (event.event === "set") { token = "t-1"; return "set" } return token }';
    const set = await runtime.invoke(request(code, { ...TRACK, event: 'set' }, { functionId: 'implicit-global' }));
    expect(set.result).toBe('set');
    const get = await runtime.invoke(request(code, TRACK, { functionId: 'implicit-global' }));
    expect(get.outcome).toBe('Success');
    expect(get.result).toBe('t-1');
  });

  it('reading before the first assignment throws, like Node', async () => {
    const outcome = await runtime.invoke(request('async function onTrack() { const before = later; later = 1; return before }', TRACK));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.message).toBe('later is not defined');
  });

  it('globals created through globalThis are readable by name', async () => {
    const outcome = await runtime.invoke(request('async function onTrack() { globalThis.viaGlobal = 3; return viaGlobal }', TRACK));
    expect(outcome.result).toBe(3);
  });

  it('an implicit global of one function is not defined in another', async () => {
    const writer = await runtime.invoke(request('leaked = 1; async function onTrack() { return leaked }', TRACK));
    expect(writer.result).toBe(1);
    const reader = await runtime.invoke(request('async function onTrack() { return leaked }', TRACK));
    expect(reader.error?.message).toBe('leaked is not defined');
  });

  it('names declared by parameters, let, catch, destructuring and loops do not trigger', async () => {
    const code = `
      const { properties: { title } } = { properties: { title: 'top' } };
      function helper(value, { nested: [first] = [1] } = {}, ...rest) { return value + first + rest.length }
      async function onTrack(event, settings) {
        let total = 0;
        for (const [key, item] of Object.entries({ a: 1, b: 2 })) total += item + key.length;
        for (let i = 0; i < 2; i++) total += i;
        try { throw new Error('x') } catch ({ message }) { total += message.length }
        try { JSON.parse('{') } catch (err) { total += err instanceof SyntaxError ? 1 : 0 }
        const fn = function named(n) { return n > 0 ? named(n - 1) : 0 };
        class Local { static make() { return new Local() } }
        return [title, helper(total, {}), fn(3), Local.make() instanceof Local, typeof settings, event.type, _.isArray([]), typeof fetch];
      }
    `;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual(['top', 9, 0, true, 'object', 'track', true, 'function']);
  });

  it('names the global object inherits stay readable', async () => {
    const code = 'async function onTrack() { return [hasOwnProperty === Object.prototype.hasOwnProperty, toString === Object.prototype.toString, constructor === Object] }';
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual([true, true, true]);
  });

  it('the Node-only names keep their explanation', async () => {
    const outcome = await runtime.invoke(request('async function onTrack() { return process.env }', TRACK));
    expect(outcome.error?.message).toMatch(/^process is not defined: functions cannot import dependencies/);
  });

  it('feature checks of the Node-only names see them absent, as on a platform without them', async () => {
    const code = `async function onTrack() {
      const env = typeof process !== 'undefined' && process.env ? 'node' : 'sandbox';
      return [env, typeof module, typeof exports, typeof __dirname, typeof require, globalThis.process];
    }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual(['sandbox', 'undefined', 'undefined', 'undefined', 'function', null]);
  });

  it('the guard accessors reach no host Function and leak nothing', async () => {
    const code = `
      const PROBE = 'try { return typeof process === "object" && process !== null ? process.pid : null } catch (e) { return null }';
      function reachesHost(F) { try { return typeof F === 'function' && F(PROBE)() != null } catch (e) { return false } }
      function neverDeclared() { return ghost }
      async function onTrack() {
        const findings = [];
        const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'ghost');
        let thrown;
        try { ghost } catch (err) { thrown = err }
        const candidates = { get: descriptor.get, set: descriptor.set, thrown };
        for (const [label, value] of Object.entries(candidates)) {
          const routes = {
            constructor: () => value.constructor,
            'constructor.constructor': () => value.constructor.constructor,
            'proto.constructor': () => Object.getPrototypeOf(value).constructor,
            'proto.proto.constructor': () => Object.getPrototypeOf(Object.getPrototypeOf(value)).constructor,
          };
          for (const [route, get] of Object.entries(routes)) {
            let F;
            try { F = get() } catch (e) { continue }
            if (reachesHost(F)) findings.push(label + '.' + route);
          }
        }
        const frozen = [Object.isFrozen(descriptor.get), Object.isFrozen(descriptor.set)];
        let setterThis = null;
        try { descriptor.set.call({}, 7); setterThis = ghost } catch (e) { setterThis = e.message }
        return { findings, frozen, ownKeys: Reflect.ownKeys(descriptor.get).sort(), setterThis, enumerable: descriptor.enumerable, stack: thrown.stack };
      }
    `;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error).toBeNull();
    const result = outcome.result as { findings: string[]; frozen: boolean[]; ownKeys: string[]; setterThis: unknown; enumerable: boolean; stack: string };
    expect(result.findings).toEqual([]);
    expect(result.frozen).toEqual([true, true]);
    expect(result.ownKeys).toEqual(['length', 'name']);
    // Calling the setter with a foreign `this` only defines the guest's own global.
    expect(result.setterThis).toBe(7);
    expect(result.enumerable).toBe(false);
    // No host file or path shows in the stack the guest sees.
    expect(result.stack).toBe('ReferenceError: ghost is not defined\n    at onTrack (handler.js:9:15)');
  });

  it('code too deeply nested for the analysis still runs', async () => {
    const code = `async function onTrack() { return 0${' + 1'.repeat(12000)} }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error).toBeNull();
    expect(outcome.result).toBe(12000);
  });

  it('a handler calling another, undeclared handler name fails as in Node', async () => {
    // The instance probes every handler name with typeof; that probe must not hide the read.
    const code = 'async function onTrack(event) {\n  return onPage(event)\n}';
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.message).toBe('onPage is not defined');
    expect(outcome.error?.stack.split('\n')[1].trim()).toBe(await nodeFrame(code));
  });

  it('handlers created as implicit globals are found, also when the script reads them', async () => {
    const assigned = await runtime.invoke(request('onTrack = async function (event) { return "implicit " + event.type }', TRACK));
    expect(assigned.result).toBe('implicit track');
    const read = await runtime.invoke(request('if (typeof onTrack === "undefined") onTrack = async (event) => "lazy " + event.type;\nconst original = onTrack;', TRACK));
    expect(read.error).toBeNull();
    expect(read.result).toBe('lazy track');
  });
});

describe('undeclared variables tested with typeof and also read', () => {
  it('typeof gives "undefined" and the read throws a Bad Request ReferenceError at Node\'s line and column', async () => {
    const code = [
      'async function onTrack(event, settings) {',
      '  const seen = [typeof maybeConfig, typeof maybeConfig === "undefined"];',
      '  if (typeof maybeConfig !== "undefined") return maybeConfig;',
      '  return seen.join() + typeof maybeConfig + maybeConfig;',
      '}',
    ].join('\n');
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.retryable).toBe(false);
    expect(outcome.error?.name).toBe('ReferenceError');
    expect(outcome.error?.message).toBe('maybeConfig is not defined');
    expect(outcome.error?.frames[0]).toMatchObject({ functionName: 'onTrack', line: 4 });
    // The rewritten typeof on the same line keeps its width: the column is Node's too.
    expect(outcome.error?.stack.split('\n')[1].trim()).toBe(await nodeFrame(code));
    expect(await nodeFrame(code)).toMatch(/handler\.js:4:/);
  });

  it('the script can catch the read and still test the name', async () => {
    const code = 'async function onTrack() {\n  try { return mispelled } catch (err) { return [typeof mispelled, err instanceof ReferenceError, err.message, String(err.stack).split("\\n")[1].trim()] }\n}';
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual(['undefined', true, 'mispelled is not defined', 'at onTrack (handler.js:2:9)']);
  });

  it('a top-level read fails the run with its line', async () => {
    const code = 'const flags = typeof featureFlags === "object" ? featureFlags : {};\nconst client = featureFlags.client;\nasync function onTrack() { return flags }';
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.message).toBe('featureFlags is not defined');
    expect(outcome.error?.frames[0]).toMatchObject({ line: 2, column: 16 });
  });

  it('typeof works inside nested functions, arrows and closures, before and after the name is assigned', async () => {
    const code = `
      function outer() {
        return function middle() {
          const arrow = () => typeof lateGlobal;
          return [typeof lateGlobal, arrow(), (() => () => typeof (lateGlobal))()()];
        };
      }
      const probe = outer();
      class Holder { kind = typeof lateGlobal; static check() { return typeof lateGlobal } }
      function readIt() { return lateGlobal.n }
      async function onTrack(event) {
        if (event.event === 'set') lateGlobal = { n: 1 };
        if (event.event === 'read') return readIt();
        return [probe(), new Holder().kind, Holder.check(), typeof lateGlobal === 'undefined' ? 'missing' : lateGlobal.n, 'lateGlobal' in globalThis];
      }`;
    const functionId = 'typeof-nested';
    const before = await runtime.invoke(request(code, TRACK, { functionId }));
    expect(before.result).toEqual([['undefined', 'undefined', 'undefined'], 'undefined', 'undefined', 'missing', false]);
    const early = await runtime.invoke(request(code, { ...TRACK, event: 'read' }, { functionId }));
    expect(early.outcome).toBe('Bad Request');
    expect(early.error?.message).toBe('lateGlobal is not defined');
    expect(early.error?.frames[0]).toMatchObject({ functionName: 'readIt', line: 10 });
    const set = await runtime.invoke(request(code, { ...TRACK, event: 'set' }, { functionId }));
    expect(set.result).toEqual([['object', 'object', 'object'], 'object', 'object', 1, true]);
    // The implicit global persists while the instance is warm.
    const later = await runtime.invoke(request(code, { ...TRACK, event: 'read' }, { functionId }));
    expect(later.result).toBe(1);
  });

  it('globals created through globalThis, and deleted again, are seen by typeof and reads', async () => {
    const code = `async function onTrack() {
      const log = [typeof viaGlobal];
      globalThis.viaGlobal = 'g';
      log.push(typeof viaGlobal, viaGlobal);
      viaGlobal = 42;
      log.push(typeof viaGlobal, viaGlobal, globalThis.viaGlobal, Object.keys(globalThis).includes('viaGlobal'));
      delete globalThis.viaGlobal;
      log.push(typeof viaGlobal);
      try { viaGlobal } catch (err) { log.push(err.message) }
      return log;
    }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual(['undefined', 'string', 'g', 'number', 42, 42, true, 'undefined', 'viaGlobal is not defined']);
  });

  it('shadowing locals, parameters and catch bindings are untouched', async () => {
    const code = `
      function param(shadow) { return [typeof shadow, shadow] }
      const arrow = (shadow) => [typeof shadow, shadow];
      async function onTrack() {
        const results = [param(5), arrow(null)];
        { let shadow = 'block'; results.push([typeof shadow, shadow]) }
        try { throw 'caught' } catch (shadow) { results.push([typeof shadow, shadow]) }
        (function () { var shadow = true; results.push([typeof shadow, shadow]) })();
        results.push(typeof shadow);
        try { results.push(shadow) } catch (err) { results.push(err.message) }
        // Only the free typeof is rewritten: the functions' own text still shows theirs.
        results.push(String(param).includes('typeof shadow'), String(arrow).includes('typeof shadow'));
        return results;
      }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual([
      ['number', 5], ['object', null], ['string', 'block'], ['string', 'caught'], ['boolean', true],
      'undefined', 'shadow is not defined', true, true,
    ]);
  });

  it('the Node-only names stay absent for feature checks, and reading one still explains why', async () => {
    const code = `async function onTrack(event) {
      const env = typeof process !== 'undefined' ? process.env : 'none';
      if (event.event === 'read') return process.env.HOME;
      return [env, typeof process, globalThis.process, 'process' in globalThis, typeof module, typeof require];
    }`;
    const functionId = 'typeof-process';
    const check = await runtime.invoke(request(code, TRACK, { functionId }));
    expect(check.error).toBeNull();
    expect(check.result).toEqual(['none', 'undefined', null, false, 'undefined', 'function']);
    const read = await runtime.invoke(request(code, { ...TRACK, event: 'read' }, { functionId }));
    expect(read.outcome).toBe('Bad Request');
    expect(read.error?.name).toBe('ReferenceError');
    expect(read.error?.message).toMatch(/^process is not defined: functions cannot import dependencies/);
    expect(read.error?.frames[0]).toMatchObject({ line: 3 });
  });

  it('the hidden helper shows nowhere on the global object and code built at run time cannot reach it', async () => {
    const listing = `
      const keys = [];
      for (const key in globalThis) keys.push(key);
      return [Object.getOwnPropertyNames(globalThis).sort(), Object.keys(globalThis).sort(), Reflect.ownKeys(globalThis).map(String).sort(), keys.sort()];`;
    const plain = await runtime.invoke(request(`async function onTrack() {${listing}\n}`, TRACK));
    expect(plain.error).toBeNull();
    const code = `
      async function onTrack() {
        const probes = [typeof hidden];
        try { hidden } catch (err) { probes.push(err.message) }
        // Every name the helper could have, built at run time so the script never spells one.
        const chars = 'tabcdefghijklmnopqrsuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_' + String.fromCharCode(36);
        const names = [];
        for (const a of chars) for (const b of chars) names.push(String.fromCharCode(36) + a + b);
        const seen = Function('return [' + names.map((n) => 'typeof ' + n).join(',') + ']')();
        const indirect = (0, eval)('[' + names.map((n) => 'typeof ' + n).join(',') + ']');
        probes.push(seen.filter((t) => t !== 'undefined').length, indirect.filter((t) => t !== 'undefined').length);
        return [probes, (() => {${listing}\n})()];
      }`;
    const rewritten = await runtime.invoke(request(code, TRACK));
    expect(rewritten.error).toBeNull();
    const [probes, lists] = rewritten.result as [unknown[], unknown];
    expect(probes).toEqual(['undefined', 'hidden is not defined', 0, 0]);
    expect(lists).toEqual(plain.result);
  });

  it('a script using the helper\'s likely names keeps its own bindings', async () => {
    const code = `
      const $tt = 'mine', $ta = 'mine too';
      function $tb() { return 'my function' }
      async function onTrack() {
        let $tc = 'local';
        const before = typeof optional;
        try { optional } catch (err) { return [before, err.message, $tt, $ta, $tb(), $tc, typeof $td] }
      }`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual(['undefined', 'optional is not defined', 'mine', 'mine too', 'my function', 'local', 'undefined']);
  });
});
