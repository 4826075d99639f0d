import { describe, expect, it } from 'vitest';
import { findForbiddenSyntax } from './forbidden-syntax';

const keywords = (code: string) => findForbiddenSyntax(code).map((f) => `${f.keyword}@${f.line}:${f.column}-${f.endColumn}`);

describe('findForbiddenSyntax', () => {
  it('flags require calls, import and export statements with their positions', () => {
    const code = [
      "const _ = require('lodash');",
      "import fetch from 'node-fetch';",
      "import { pick } from 'lodash';",
      "import * as ns from 'x';",
      "import 'side-effect';",
      'const m = await import("x");',
      'export async function onTrack() {}',
      'export { onTrack };',
    ].join('\n');
    expect(keywords(code)).toEqual([
      'require@1:11-18',
      'import@2:1-7',
      'import@3:1-7',
      'import@4:1-7',
      'import@5:1-7',
      'import@6:17-23',
      'export@7:1-7',
      'export@8:1-7',
    ]);
  });

  it('ignores comments, strings, template text, properties and other identifiers', () => {
    const code = [
      '// require("x") and import x from "y"',
      '/* export default 1; import("z") */',
      "const a = 'require(\"x\")';",
      'const b = "import x from y";',
      'const c = `export ${1} require(`;',
      'obj.require("x"); obj.import(1);',
      'const o = { import: 1, export: 2, require: 3 };',
      'const requireX = 1; const importer = 2; const exported = 3;',
      'import.meta;',
    ].join('\n');
    expect(keywords(code)).toEqual([]);
  });

  it('finds code inside template substitutions', () => {
    expect(keywords('const t = `a ${require("x")} b`;')).toEqual(['require@1:16-23']);
    expect(keywords('const t = `a ${ {x: 1}.x } b`; require("y")')).toEqual(['require@1:32-39']);
  });

  it('explains why in the message', () => {
    const [use] = findForbiddenSyntax("require('x')");
    expect(use.message).toMatch(/can't import dependencies/);
  });
});
