/**
 * `fnstudio check` end to end (the built binary) on fixture folders: diagnostics at the
 * exact lines of the user's file, and the exit status CI relies on.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Scratch, assertBuilt, runCli } from './test-support';

const FIXTURES = path.join(__dirname, 'test-fixtures', 'check');
let scratch: Scratch;
beforeAll(() => assertBuilt());
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(() => scratch.remove());

describe('fnstudio check', () => {
  it('passes a clean JavaScript function with exit 0', async () => {
    const r = await runCli(['check', 'clean-js'], { cwd: FIXTURES });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('fnstudio check: 1 function checked, no errors\n');
    expect(r.code).toBe(0);
  });

  it('reports a JavaScript type error at file:line:col and exits 1', async () => {
    const r = await runCli(['check', 'js-type-error'], { cwd: FIXTURES });
    expect(r.stdout.split('\n')[0]).toBe(
      `${path.join('js-type-error', 'handler.js')}:4:65 error TS2551: Property 'toFixed' does not exist on type 'string'. Did you mean 'fixed'?`,
    );
    expect(r.stdout).toContain('fnstudio check: 1 error in 1 of 1 function\n');
    expect(r.code).toBe(1);
  });

  it('flags a setting that function.json does not declare', async () => {
    const r = await runCli(['check', 'undeclared-setting', 'clean-js'], { cwd: FIXTURES });
    expect(r.stdout).toBe(
      `${path.join('undeclared-setting', 'handler.js')}:3:50 error TS2339: 'apiToken' is not a declared setting of this function (declared: endpoint, headers). Declare it in function.json's settings, or settings.apiToken is undefined at run time.\n` +
        'fnstudio check: 1 error in 1 of 2 functions\n',
    );
    expect(r.code).toBe(1);
  });

  it('checks handler.ts strictly with the event and settings typed from the handler', async () => {
    const r = await runCli(['check', path.join(FIXTURES, 'ts-error')]);
    const file = path.join(FIXTURES, 'ts-error', 'handler.ts');
    expect(r.stdout).toBe(
        `${file}:8:9 error TS2322: Type 'string' is not assignable to type 'number'.\n` +
        'fnstudio check: 1 error in 1 of 1 function\n',
    );
    expect(r.code).toBe(1);
  });

  it('checks every function of a workspace, and refuses bad usage with exit 2', async () => {
    const ws = scratch.path('ws');
    cpSync(FIXTURES, ws, { recursive: true });
    const all = await runCli(['check', '--workspace', ws]);
    expect(all.stdout).toContain('fnstudio check: 3 errors in 3 of 4 functions\n');
    expect(all.code).toBe(1);

    writeFileSync(path.join(ws, 'clean-js', 'handler.ts'), 'export {};\n');
    const both = await runCli(['check', path.join(ws, 'clean-js')]);
    expect(both.stderr).toContain('has both handler.js and handler.ts');
    expect(both.code).toBe(2);

    const notFunction = await runCli(['check', scratch.path('.')]);
    expect(notFunction.stderr).toContain('not a function folder: it has no handler.js or handler.ts');
    expect(notFunction.code).toBe(2);

    const unknown = await runCli(['check', '--strictest']);
    expect(unknown.stderr).toContain("Run 'fnstudio check --help' for usage.");
    expect(unknown.code).toBe(2);

    const help = await runCli(['check', '--help']);
    expect(help.stdout).toContain('Usage: fnstudio check [<function-folder>...]');
    expect(help.code).toBe(0);
  });
});
