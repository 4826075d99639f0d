import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { replaceKeepingLines, transformSource } from './source-transform';

const FORBIDDEN = [/<!--/, /-->/, /(^|[^.]|\.\.\.)\bimport(\s*(?:\(|\/[/*]))/, /(^|[^.])\beval(\s*\()/];

function evaluateSloppy(code: string): unknown {
  return new vm.Script(code).runInNewContext({});
}

describe('transformSource', () => {
  it('leaves ordinary code untouched', () => {
    const src = 'async function onTrack(e) { return e.a / 2 }';
    expect(transformSource(src)).toEqual({ code: src, dynamicImport: null });
  });

  it('rewrites strings, templates, comments and regexes without changing values or lines', () => {
    const src = [
      '// see <!-- and --> and import("x") and eval(y)',
      'const a = "<!-- hi -->";',
      "const b = 'import(\"x\")' + 'eval(1)';",
      'const c = `tpl import(1) ${"eval(2)"} <!--`;',
      '/* block import (x) */',
      'const d = /import\\(|eval\\(/.test("import(") ;',
      'let i = 3; while (i-->0) {}',
      '[a, b, c, d, i]',
    ].join('\n');
    const out = transformSource(src);
    expect(out.dynamicImport).toBeNull();
    for (const pattern of FORBIDDEN) expect(out.code).not.toMatch(pattern);
    expect(out.code.split('\n').length).toBe(src.split('\n').length);
    expect(evaluateSloppy(out.code)).toEqual(['<!-- hi -->', 'import("x")eval(1)', 'tpl import(1) eval(2) <!--', true, -1]);
  });

  it('reports a real dynamic import with its position', () => {
    const out = transformSource('const x = 1;\n  const m = await import("lodash");');
    expect(out.dynamicImport).toEqual({ line: 2, column: 19 });
  });

  it('turns direct eval into indirect eval', () => {
    const out = transformSource('var r = eval("1+1");');
    expect(out.code).toBe('var r = (0,eval)("1+1");');
  });

  it('does not mistake a division for a regex', () => {
    const out = transformSource('const x = a / b; const s = "eval(" ; const y = c / d;');
    expect(out.code).toBe('const x = a / b; const s = "ev\\al(" ; const y = c / d;');
  });
});

describe('replaceKeepingLines', () => {
  const at = (code: string, text: string) => code.indexOf(text);

  it('pads a shorter replacement so the rest of its line keeps its columns', () => {
    const code = 'a = typeof  (x) + 1;\nb = 2;';
    const start = at(code, 'typeof');
    const out = replaceKeepingLines(code, [{ start, end: at(code, ' + 1'), text: 'h("x")' }]);
    expect(out).toBe('a = h("x")      + 1;\nb = 2;');
    expect(out.indexOf('+ 1')).toBe(code.indexOf('+ 1'));
  });

  it('lets a longer replacement push only the rest of its own line', () => {
    const out = replaceKeepingLines('typeof x; y\nz', [{ start: 0, end: 8, text: 'longer("x")' }]);
    expect(out).toBe('longer("x"); y\nz');
  });

  it('keeps every kind of line break inside a replaced range and blanks its last line', () => {
    const code = 'v = typeof /* a\r\n b\u2028 */\n   x; after';
    const start = at(code, 'typeof');
    const end = at(code, '; after');
    const out = replaceKeepingLines(code, [{ start, end, text: 'h("x")' }]);
    expect(out).toBe('v = h("x")     \r\n\u2028\n    ; after');
    const lines = (text: string) => text.split(/\r\n|[\n\r\u2028\u2029]/);
    expect(lines(out).length).toBe(lines(code).length);
    expect(lines(out).at(-1)).toBe('    ; after');
    expect(lines(code).at(-1)).toBe('   x; after');
  });

  it('applies several replacements given in any order, and refuses overlaps and line breaks', () => {
    expect(replaceKeepingLines('typeof a, typeof b', [{ start: 10, end: 18, text: 'B' }, { start: 0, end: 8, text: 'A' }])).toBe('A       , B       ');
    expect(() => replaceKeepingLines('abcdef', [{ start: 0, end: 4, text: 'x' }, { start: 2, end: 5, text: 'y' }])).toThrow(RangeError);
    expect(() => replaceKeepingLines('abcdef', [{ start: 0, end: 4, text: 'x\ny' }])).toThrow(RangeError);
  });
});
