/**
 * The guard's pieces in isolation (no SES here: `harden` is stubbed with Object.freeze).
 * free-variables.test.ts covers the same behaviour end to end in real workers.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeScript } from '../scope-analysis';
import { createTypeofHelper, guardUndeclaredNames, hiddenHelperName } from './undeclared-names';

beforeAll(() => {
  vi.stubGlobal('harden', <T>(value: T): T => Object.freeze(value));
});
afterAll(() => {
  vi.unstubAllGlobals();
});

/** A stand-in for a compartment's global object holding one provided global. */
function guestGlobal(): Record<string, unknown> {
  return { fetch: () => null };
}

function ownNames(value: object): string[] {
  return Object.getOwnPropertyNames(value).sort();
}

describe('guardUndeclaredNames', () => {
  it('leaves a script without typeof-tested reads exactly as it is (no rewrite, no lexical scope)', () => {
    const code = 'async function onTrack(event) { if (typeof window === "undefined") return fetch(apiKey) }';
    const global = guestGlobal();
    const guarded = guardUndeclaredNames(global, code, { probed: ['onTrack', 'onPage'] });
    expect(guarded.code).toBe(code);
    expect(guarded.lexicals).toBeNull();
    expect(guarded.typeofExpression('onPage')).toBe('typeof onPage');
    // The read name gets today's throwing accessor; the typeof-only name nothing.
    expect(ownNames(global)).toEqual(['apiKey', 'fetch']);
    expect(() => global.apiKey).toThrow(new ReferenceError('apiKey is not defined'));
  });

  it('rewrites only the free typeof of a name that is also read, without moving lines or columns', () => {
    const code = [
      'function local(cfg) { return typeof cfg }',
      'async function onTrack() {',
      '  if (typeof cfg !== "undefined" && typeof fetch === "function") return cfg;',
      '  return [typeof   (cfg), typeof other];',
      '}',
    ].join('\n');
    const global = guestGlobal();
    const guarded = guardUndeclaredNames(global, code);
    const helper = hiddenHelperName(code, analyzeScript(code));
    expect(guarded.code.split('\n')).toEqual([
      'function local(cfg) { return typeof cfg }',
      'async function onTrack() {',
      `  if (${helper}("cfg") !== "undefined" && typeof fetch === "function") return cfg;`,
      `  return [${helper}("cfg")    , typeof other];`,
      '}',
    ]);
    expect(guarded.code.split('\n').map((line) => line.length)).toEqual(code.split('\n').map((line) => line.length));
    // The name lives in the lexical scope, not on the global object.
    expect(ownNames(global)).toEqual(['fetch']);
    expect(guarded.typeofExpression('cfg')).toBe(`${helper}("cfg")`);
  });

  it('gives the checked names lexical bindings that throw until the global exists, then forward to it', () => {
    const global = guestGlobal();
    const explanations = new Map([['process', 'process is not defined: no Node here']]);
    const guarded = guardUndeclaredNames(global, 'typeof token; token; typeof process; process.env', { explanations });
    const lexicals = guarded.lexicals as object;
    expect(Object.getPrototypeOf(lexicals)).toBeNull();
    expect(Object.keys(lexicals)).toEqual([]);
    expect(() => Reflect.get(lexicals, 'token')).toThrow(new ReferenceError('token is not defined'));
    expect(() => Reflect.get(lexicals, 'process')).toThrow(new ReferenceError('process is not defined: no Node here'));
    expect(Reflect.set(lexicals, 'token', 't-1')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(global, 'token')).toEqual({ value: 't-1', writable: true, enumerable: true, configurable: true });
    expect(Reflect.get(lexicals, 'token')).toBe('t-1');
    global.token = 't-2';
    expect(Reflect.get(lexicals, 'token')).toBe('t-2');
    Object.defineProperty(global, 'token', { value: 'fixed', writable: false, configurable: true });
    expect(() => Reflect.set(lexicals, 'token', 'x')).toThrow(TypeError);
  });

  it('keeps the cheap writable global for a name only tested and assigned, never read', () => {
    const global = guestGlobal();
    const guarded = guardUndeclaredNames(global, 'if (typeof lazy === "undefined") lazy = 1');
    expect(guarded.lexicals).toBeNull();
    expect(Object.getOwnPropertyDescriptor(global, 'lazy')).toEqual({ value: undefined, writable: true, enumerable: false, configurable: true });
  });

  it('probes a handler name the script reads but never declares through the helper', () => {
    const global = guestGlobal();
    const guarded = guardUndeclaredNames(global, 'async function onTrack(e) { return onPage(e) }', { probed: ['onTrack', 'onPage'] });
    expect(guarded.lexicals).not.toBeNull();
    expect(guarded.typeofExpression('onPage')).toMatch(/^\$..\("onPage"\)$/);
    expect(guarded.typeofExpression('onTrack')).toBe('typeof onTrack');
  });
});

describe('the typeof helper', () => {
  it('answers typeof for its own names, looking only at the given global object', () => {
    const global: Record<string, unknown> = {};
    const helper = createTypeofHelper(global, new Set(['cfg']));
    expect(helper('cfg')).toBe('undefined');
    global.cfg = { a: 1 };
    expect(helper('cfg')).toBe('object');
    global.cfg = () => 1;
    expect(helper('cfg')).toBe('function');
  });

  it('refuses every other name and every non-string, without converting it', () => {
    const global: Record<string, unknown> = { secret: 'host value', other: 1 };
    const helper = createTypeofHelper(global, new Set(['cfg'])) as (name: unknown) => unknown;
    const toString = vi.fn(() => 'cfg');
    const refused = ['secret', 'other', 'constructor', '__proto__', 'toString', 'process', '', { toString }, Symbol('cfg'), ['cfg'], null, undefined];
    refused.forEach((name, index) => expect(() => helper(name), `refused[${index}]`).toThrow(TypeError));
    expect(toString).not.toHaveBeenCalled();
  });

  it('is frozen and has nothing of its own beyond length and name', () => {
    const helper = createTypeofHelper({}, new Set(['cfg']));
    expect(Object.isFrozen(helper)).toBe(true);
    expect(Reflect.ownKeys(helper).sort()).toEqual(['length', 'name']);
    expect('prototype' in helper).toBe(false);
  });
});

describe('hiddenHelperName', () => {
  it('is three characters long and avoids names the script mentions, declares or reads', () => {
    const plain = 'typeof a';
    const first = hiddenHelperName(plain, analyzeScript(plain));
    expect(first).toMatch(/^\$[\w$]{2}$/);
    const mentioning = `const ${first} = 1; // ${first}`;
    const second = hiddenHelperName(mentioning, analyzeScript(mentioning));
    expect(second).not.toBe(first);
    // An escaped identifier never spells the name in the text, yet declares it.
    const escaped = `let \\u0024${first.slice(1)} = 1`;
    expect(escaped.includes(first)).toBe(false);
    expect(hiddenHelperName(escaped, analyzeScript(escaped))).not.toBe(first);
  });
});
