import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { transformSource } from './source-transform';

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
