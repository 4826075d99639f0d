import { describe, expect, it } from 'vitest';
import { analyzeFreeNames, analyzeScript, type FreeNameUse } from './scope-analysis';

function free(code: string): string[] {
  return [...analyzeFreeNames(code).keys()].sort();
}

function use(code: string, name: string): Omit<FreeNameUse, 'typeofRanges'> | undefined {
  const found = analyzeFreeNames(code).get(name);
  if (!found) return undefined;
  const { read, written, typeofChecked } = found;
  return { read, written, typeofChecked };
}

/** The source text of each free `typeof name` the analysis reports. */
function typeofTexts(code: string, name: string): string[] {
  return (analyzeFreeNames(code).get(name)?.typeofRanges ?? []).map(([start, end]) => code.slice(start, end));
}

describe('analyzeFreeNames', () => {
  it('finds a name read but never declared', () => {
    expect(free('async function onTrack(event) { return notDeclared + 1 }')).toEqual(['notDeclared']);
    expect(use('async function onTrack(event) { return notDeclared + 1 }', 'notDeclared')).toEqual({ read: true, written: false, typeofChecked: false });
  });

  it('counts globals as free (the sandbox drops the ones it provides)', () => {
    expect(free('async function onTrack(e) { await fetch(URL); console.log(_.get(e, "a")) }')).toEqual(['URL', '_', 'console', 'fetch']);
  });

  it('sees top-level and hoisted declarations of every kind', () => {
    const code = `
      onTrack(); later(); Later; v; w;
      async function onTrack(event, settings) { return helper(event) + total }
      const helper = (e) => e.type;
      let total = 0;
      var v = 1;
      class Later {}
      function later() { return inner; var inner = 1 }
      { var w = 2 }
    `;
    expect(free(code)).toEqual([]);
  });

  it('sees parameters, including destructured, defaulted and rest ones', () => {
    const code = `
      function f(a, { b, c: [d, ...e] }, [g = h, { i } = {}], ...rest) { return a + b + d + e + g + i + rest }
      const arrow = ({ x = y }) => x;
    `;
    expect(free(code)).toEqual(['h', 'y']);
  });

  it('sees block, loop, catch and switch scopes', () => {
    const code = `
      function f(list) {
        for (let i = 0; i < list.length; i++) { const item = list[i]; use(item) }
        for (const [k, v] of Object.entries(list)) use(k, v);
        for (const key in list) use(key);
        try { risky() } catch ({ message }) { use(message) }
        try { risky() } catch (err) { use(err) } finally { use(list) }
        try { risky() } catch { use(list) }
        switch (list.length) { case 0: let z = 1; use(z); break; default: use(z) }
      }
    `;
    expect(free(code)).toEqual(['Object', 'risky', 'use']);
  });

  it('reports names used outside the block that declares them', () => {
    expect(free('function f() { { let inner = 1 } return inner }')).toEqual(['inner']);
    expect(free('function f() { try {} catch (err) {} return err }')).toEqual(['err']);
    expect(free('for (let i = 0; i < 2; i++) {} i')).toEqual(['i']);
  });

  it('binds function and class expression names only inside them', () => {
    expect(free('const f = function self() { return self }; self')).toEqual(['self']);
    expect(free('const C = class Named { m() { return Named } }')).toEqual([]);
    expect(free('const C = class Named {}; Named')).toEqual(['Named']);
  });

  it('never treats property keys, member names, labels or meta properties as references', () => {
    const code = `
      function F() { return new.target }
      const o = { key: 1, 'quoted': 2, method() { return this.prop }, get g() { return 1 } };
      o.member.deep;
      outer: for (;;) { inner: for (;;) { break outer; continue inner } }
      class K { field = 1; static s = 2; #priv = 3; m() { return #priv in this && this.#priv } static { this.s = 3 } }
    `;
    expect(free(code)).toEqual([]);
  });

  it('treats computed keys, shorthand properties and spreads as references', () => {
    expect(free('const o = { [keyName]: 1, shorthand, ...spread }; o[index]; o?.[optional]')).toEqual(['index', 'keyName', 'optional', 'shorthand', 'spread']);
    expect(free('class K { [computed]() {} [field] = initial }')).toEqual(['computed', 'field', 'initial']);
  });

  it('resolves arguments inside functions and never reports it', () => {
    expect(free('function f() { return arguments.length } const g = () => arguments; arguments')).toEqual([]);
  });

  it('separates typeof checks, reads and writes', () => {
    expect(use('typeof maybe === "undefined"', 'maybe')).toEqual({ read: false, written: false, typeofChecked: true });
    expect(use('counter = 1', 'counter')).toEqual({ read: false, written: true, typeofChecked: false });
    expect(use('counter += 1', 'counter')).toEqual({ read: true, written: true, typeofChecked: false });
    expect(use('counter++', 'counter')).toEqual({ read: true, written: true, typeofChecked: false });
    expect(use('if (typeof lazy === "undefined") lazy = {}; lazy.x = 1', 'lazy')).toEqual({ read: true, written: true, typeofChecked: true });
    expect(use('typeof (paren)', 'paren')).toEqual({ read: false, written: false, typeofChecked: true });
    expect(use('typeof a.b', 'a')).toEqual({ read: true, written: false, typeofChecked: false });
  });

  it('sees assignment targets in destructuring and for-in/of heads', () => {
    const code = '({ a, b: [c], ...d } = obj); [e = dflt] = list; for (f of list) {} for (g in obj) {} h.prop = 1';
    const uses = analyzeFreeNames(code);
    for (const name of ['a', 'c', 'd', 'e', 'f', 'g']) expect(uses.get(name), name).toEqual({ read: false, written: true, typeofChecked: false, typeofRanges: [] });
    for (const name of ['obj', 'list', 'dflt', 'h']) expect(uses.get(name)?.read, name).toBe(true);
  });

  it('counts sloppy block functions as declared in the enclosing function', () => {
    expect(free('function f() { if (true) { function inBlock() {} } return inBlock() }')).toEqual([]);
  });

  it('handles templates, tagged templates, async, generators and optional chaining', () => {
    const code = 'async function* gen() { yield await tag`x${value}y`; return a?.b?.(c) }';
    expect(free(code)).toEqual(['a', 'c', 'tag', 'value']);
  });

  it('sees a default value referring to an earlier parameter', () => {
    expect(free('function f(a, b = a) { return b }')).toEqual([]);
  });

  it('locates every free typeof of a name, in nested functions, arrows and parentheses', () => {
    const code = [
      'if (typeof cfg !== "undefined") use(cfg);',
      'function outer() { return () => function () { return typeof  (cfg) } }',
      'const t = `${typeof cfg}`; class K { f = typeof cfg; static { typeof cfg } }',
      'function param(p = typeof cfg) { return p }',
    ].join('\n');
    expect(typeofTexts(code, 'cfg')).toEqual(['typeof cfg', 'typeof  (cfg)', 'typeof cfg', 'typeof cfg', 'typeof cfg', 'typeof cfg']);
    expect(use(code, 'cfg')).toEqual({ read: true, written: false, typeofChecked: true });
  });

  it('leaves typeof of a shadowing local, parameter or catch binding out', () => {
    const code = [
      'typeof x; x;',
      'function f(x) { return typeof x }',
      'function g() { let x = 1; return typeof x }',
      'const h = (x) => typeof x;',
      'try {} catch (x) { typeof x }',
      '{ const x = 2; typeof x }',
      'function hoisted() { return typeof x; var x }',
    ].join('\n');
    expect(typeofTexts(code, 'x')).toEqual(['typeof x']);
    expect(analyzeFreeNames(code).get('x')?.typeofRanges).toEqual([[0, 8]]);
  });

  it('does not report typeof of a member expression or another operator', () => {
    expect(typeofTexts('typeof a.b; void a; typeof a', 'a')).toEqual(['typeof a']);
  });

  it('lists every declared name of every scope, escaped identifiers decoded', () => {
    const { declared } = analyzeScript('const top = 1; function f(p, { q }) { let \\u0024ab = 2; try {} catch (e) {} } class C {} (function named() {})');
    expect([...declared].sort()).toEqual(['$ab', 'C', 'e', 'f', 'named', 'p', 'q', 'top']);
  });

  it('throws the parser error for code it cannot parse', () => {
    expect(() => analyzeFreeNames('function (')).toThrow(SyntaxError);
  });
});
