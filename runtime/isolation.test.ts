/**
 * Per-function isolation inside one worker: nothing one function does to a global may be
 * visible to another function. Every name on a compartment's global object is probed;
 * the list of names comes from the sandbox itself, so a global added later without a
 * probe fails the first test here instead of going unchecked.
 *
 * A probe writes state through a global in function A, reads it back in A (proving the
 * write took effect, so the probe can detect a leak) and reads it in a fresh function B
 * on the same worker, which must see exactly what a function sees on a new worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from './index';
import type { Runtime } from './api';
import type { Outcome } from '../common/outcome';
import { SEGMENT_GLOBALS } from './globals-list';
import { JS_BUILTINS, request, TRACK } from './test-support';

interface StatefulProbe {
  /** Handler body run once in function A: changes the global's state, returns 'wrote'. */
  write: string;
  /** Handler body returning what a function can observe of that state. */
  read: string;
}

const TIMER_IDS: StatefulProbe = {
  write: `for (let i = 0; i < 5; i++) clearTimeout(setTimeout(() => {}, 60000));
    clearInterval(setInterval(() => {}, 60000));
    return 'wrote';`,
  read: `const a = setTimeout(() => {}, 60000), b = setInterval(() => {}, 60000);
    clearTimeout(a); clearInterval(b);
    return [Number(a), Number(b), typeof a];`,
};

/** Globals whose state a function can change; each has its own write and read. */
const STATEFUL: Readonly<Record<string, StatefulProbe>> = {
  console: {
    write: `console.group('outer'); console.group('inner');
      console.count(); console.count('clicks'); console.count('clicks');
      console.time('t'); console.time();
      return 'wrote';`,
    read: `console.log('line'); console.count(); console.count('clicks');
      console.timeLog('t'); console.timeEnd(); console.groupEnd();
      console.info('after one groupEnd');
      return null;`,
  },
  setTimeout: TIMER_IDS,
  clearTimeout: TIMER_IDS,
  setInterval: TIMER_IDS,
  clearInterval: TIMER_IDS,
  cache: {
    write: `await cache.load('key', 600000, async () => 'from A'); return 'wrote';`,
    read: `return await cache.load('key', 600000, async () => 'computed here');`,
  },
  _: {
    write: `_.mixin({ leaked: () => 'from A' });
      _.templateSettings.interpolate = /\\[\\[([\\s\\S]+?)\\]\\]/g;
      for (let i = 0; i < 3; i++) _.delay(() => {}, 60000);
      return 'wrote';`,
    read: `const id = _.delay(() => {}, 60000);
      return [typeof _.leaked, _.template('[[x]] <%= x %>')({ x: 1 }), Number(id), Number(_.runInContext().delay(() => {}, 60000)),
        Number(_.runInContext().runInContext().delay(() => {}, 60000))];`,
  },
  AWS: {
    write: `AWS.config.region = 'leak-1'; AWS.leaked = 'from A'; AWS.config.update({ region: 'leak-2' }); return 'wrote';`,
    read: `return [AWS.config.region ?? null, AWS.leaked ?? null];`,
  },
};

/**
 * Segment globals without state of their own a function could change: they are frozen
 * facades or classes, so the generic probe (write to the value, its prototypes and its
 * members) must find every write refused or confined to the writer.
 */
const STATELESS_SEGMENT_GLOBALS = [
  'fetch', 'Headers', 'Request', 'Response', 'URL', 'URLSearchParams', 'FormData', 'OAuth', 'xml', 'atob', 'btoa', 'crypto',
  'Buffer', 'EventNotSupported', 'InvalidEventPayload', 'ValidationError', 'RetryError', 'DropEvent', 'require',
];

/** Handler code of the generic probe over `names`: event 'write' marks every object it can reach. */
function genericProbeCode(names: readonly string[]): string {
  return `
const NAMES = ${JSON.stringify(names)};
function targetsOf(name) {
  const value = globalThis[name];
  const out = [];
  const add = (label, target) => {
    if (target !== null && (typeof target === 'object' || typeof target === 'function') && !out.some(([, t]) => t === target)) out.push([label, target]);
  };
  add(name, value);
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return out;
  let proto = value;
  for (let i = 1; i <= 3 && proto !== null; i++) { proto = Object.getPrototypeOf(proto); add(name + ' proto' + i, proto); }
  try { add(name + '.prototype', value.prototype); } catch (e) {}
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) add(name + '.' + String(key), descriptor.value);
  }
  return out;
}
// A value no other function can make: finding it proves it came from the writer.
const MARK = Object.freeze({ writtenBy: 'A' });
const isMark = (value) => value !== null && typeof value === 'object' && value.writtenBy === 'A';
// Own properties a write could change: writable data properties and accessors with a
// setter (e.g. Error.prepareStackTrace). The writer's own global object is left out.
function settable(target) {
  if (target === globalThis) return [];
  return Reflect.ownKeys(target).filter((key) => {
    const d = Reflect.getOwnPropertyDescriptor(target, key);
    return d && (d.set !== undefined || d.writable === true);
  });
}
async function onTrack(event) {
  if (event.event === 'write') {
    const attempted = {};
    const setters = [];
    for (const name of NAMES) {
      attempted[name] = 0;
      for (const [label, target] of targetsOf(name)) {
        attempted[name]++;
        try { target.__leakedFromA = 'A'; } catch (e) {}
        try { Object.defineProperty(target, '__definedByA', { value: 'A', configurable: true }); } catch (e) {}
        for (const key of settable(target)) {
          setters.push(label + '.' + String(key));
          try { target[key] = MARK; } catch (e) {}
        }
      }
    }
    return { attempted, setters };
  }
  const seen = {};
  for (const name of NAMES) {
    seen[name] = [];
    for (const [label, target] of targetsOf(name)) {
      let marked;
      try { marked = target.__leakedFromA === 'A' || target.__definedByA === 'A'; } catch (e) { marked = true; }
      if (marked) seen[name].push(label);
      if (target === globalThis) continue;
      for (const key of Reflect.ownKeys(target)) {
        let value;
        try { value = target[key]; } catch (e) { continue; }
        if (isMark(value)) seen[name].push(label + '.' + String(key));
      }
    }
  }
  return seen;
}`;
}

const normalise = (outcome: Outcome) => ({
  error: outcome.error?.message ?? null,
  result: outcome.result,
  logs: outcome.logs.map((l) => `${l.level} ${l.message.replace(/\d+(\.\d+)?ms/g, 'Nms')}`),
});

let runtime: Runtime;
let globalNames: string[] = [];
beforeAll(async () => {
  // One worker: every function below shares it, as functions share a warm worker.
  runtime = createRuntime({ workers: 1 });
  const outcome = await runtime.invoke(request('async function onTrack() { return Object.getOwnPropertyNames(globalThis) }', TRACK));
  globalNames = outcome.result as string[];
});
afterAll(async () => {
  await runtime.close();
});

const writeEvent = { ...TRACK, event: 'write' };
const readEvent = { ...TRACK, event: 'read' };

describe('per-function isolation of globals', () => {
  it('has a probe for every name on the global object', () => {
    expect(globalNames.length).toBeGreaterThan(SEGMENT_GLOBALS.length);
    for (const name of SEGMENT_GLOBALS) expect(globalNames).toContain(name);
    const known = new Set([...Object.keys(STATEFUL), ...STATELESS_SEGMENT_GLOBALS, ...JS_BUILTINS]);
    const unprobed = globalNames.filter((name) => !known.has(name));
    expect(unprobed, 'globals without a probe: add each to STATEFUL or STATELESS_SEGMENT_GLOBALS').toEqual([]);
    // a probe for a global that no longer exists would test nothing
    for (const name of [...Object.keys(STATEFUL), ...STATELESS_SEGMENT_GLOBALS]) expect(globalNames).toContain(name);
  });

  for (const [name, probe] of Object.entries(STATEFUL)) {
    it(`${name}: state one function changes is its own`, async () => {
      const code = `async function onTrack(event) {\n if (event.event === 'write') {\n${probe.write}\n}\n${probe.read}\n}`;
      const before = normalise(await runtime.invoke(request(code, readEvent)));
      expect(before.error).toBeNull();
      const writer = request(code, writeEvent);
      const wrote = await runtime.invoke(writer);
      expect(wrote.error).toBeNull();
      expect(wrote.result).toBe('wrote');
      const seenByWriter = normalise(await runtime.invoke({ ...writer, input: readEvent }));
      // the probe does observe the state it wrote (else it could not see a leak either)
      expect(seenByWriter).not.toEqual(before);
      const seenByOther = normalise(await runtime.invoke(request(code, readEvent)));
      expect(seenByOther).toEqual(before);
      // and the writer still has its own state afterwards
      expect(normalise(await runtime.invoke({ ...writer, input: readEvent }))).not.toEqual(before);
    });
  }

  it("Math: each function instance has its own (its own random generator) with the whole of Math's API", async () => {
    // Math.random's state is the realm's, shared by every compartment of a worker: each
    // instance's Math is a copy with a generator of its own (math-facade.test.ts checks the
    // generator); here, that what a function gets is still Math, and lodash draws from it.
    const code = `async function onTrack() {
      const draws = Array.from({ length: 1000 }, () => Math.random());
      let constructed = 'no error';
      try { new Math.random(); } catch (e) { constructed = e.name; }
      return {
        keys: Reflect.ownKeys(Math).map(String).sort(),
        tag: Object.prototype.toString.call(Math),
        frozen: Object.isFrozen(Math) && Object.isFrozen(Math.random),
        inRange: draws.every((x) => x >= 0 && x < 1),
        distinct: new Set(draws).size,
        random: [Math.random.name, Math.random.length, constructed],
        // The realm's built-in (one state for the whole worker) is not what it draws from.
        builtIn: /\\[native code\\]/.test(Function.prototype.toString.call(Math.random)),
        others: [Math.max(1, 3), Math.PI, Math.floor(2.5)],
        lodash: [_.random(5, 5), _.random(0, 1, true) < 1, _.shuffle([1, 2, 3]).sort(), _.runInContext().random(7, 7)],
      };
    }`;
    const first = await runtime.invoke(request(code, TRACK));
    expect(first.error).toBeNull();
    expect(first.result).toEqual({
      keys: Reflect.ownKeys(Math).map(String).sort(),
      tag: '[object Math]',
      frozen: true,
      inRange: true,
      distinct: 1000,
      random: ['random', 0, 'TypeError'],
      builtIn: false,
      others: [3, Math.PI, 2],
      lodash: [5, true, [1, 2, 3], 7],
    });
    const second = await runtime.invoke(request(code, TRACK));
    expect(second.result).toEqual(first.result);
  });

  it('every other global (Segment facades and JS built-ins) carries nothing from one function to another', async () => {
    const names = globalNames.filter((name) => !(name in STATEFUL));
    const code = genericProbeCode(names);
    const before = await runtime.invoke(request(code, readEvent));
    expect(before.error).toBeNull();
    const writer = request(code, writeEvent);
    const wrote = await runtime.invoke(writer);
    expect(wrote.error).toBeNull();
    // the writes were attempted on every object reachable from each non-primitive global,
    // and on every property with a setter (SES's Error.prepareStackTrace is one)
    const { attempted, setters } = wrote.result as { attempted: Record<string, number>; setters: string[] };
    expect(setters).toContain('Error.prepareStackTrace');
    for (const name of names) {
      const primitive = name === 'undefined' || name === 'NaN' || name === 'Infinity';
      if (primitive) expect(attempted[name], name).toBe(0);
      else expect(attempted[name], name).toBeGreaterThanOrEqual(2);
    }
    const other = await runtime.invoke(request(code, readEvent));
    expect(other.error).toBeNull();
    const seen = other.result as Record<string, string[]>;
    expect(Object.keys(seen).sort()).toEqual([...names].sort());
    for (const name of names) expect(seen[name], `${name} carried a write from another function`).toEqual([]);
    expect(other.result).toEqual(before.result);
    // only the writer's own global object may show its writes (e.g. on globalThis)
    const own = (await runtime.invoke({ ...writer, input: readEvent })).result as Record<string, string[]>;
    expect(own.globalThis).toContain('globalThis');
  });
});
