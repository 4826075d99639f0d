/**
 * The dead-export check (`npm run lint` runs it on the repository) on a small project of its
 * own: what it must flag, what it must not, and its allow-list.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.join(__dirname, 'dead-exports.mjs');
/** Each check starts TypeScript on a project: seconds on a loaded machine. */
const SLOW = 120_000;
let dir: string;

function project(files: Record<string, string>, allowed: Record<string, string> = {}): void {
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'commonjs', target: 'es2022', lib: ['es2022'], types: [] }, include: ['*.ts'] }));
  writeFileSync(path.join(dir, 'dead-exports.json'), JSON.stringify({ projects: ['tsconfig.json'], allowed }));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}

function check(): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT, '--root', dir], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const LIB = [
  'export const used = 1;',
  'export function unusedFn(): number { return used; }',
  'export class UnusedClass {}',
  'export interface OnlyAType { a: number }',
  'export const viaNamespace = 2;',
  'export const reExported = 3;',
  '',
].join('\n');

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-dead-exports-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('scripts/dead-exports.mjs', () => {
  it('fails on exported values nothing imports, naming each; imports, namespaces and re-exports count as uses, types are left alone', () => {
    project({
      'lib.ts': LIB,
      'ns.ts': "export const a = 1;\nexport const b = 2;\n",
      'barrel.ts': "export { reExported } from './lib';\n",
      'main.ts': "import { used } from './lib';\nimport * as ns from './ns';\nimport { reExported } from './barrel';\nvoid [used, ns.a, reExported];\n",
    });
    const result = check();
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    // Exactly these: not `used` (imported), not ns.ts's (a namespace import uses them all),
    // not reExported (imported through a re-export), not the interface.
    expect(lines.filter((line) => /^\S+:\d+ /.test(line))).toEqual(['lib.ts:2 unusedFn', 'lib.ts:3 UnusedClass', 'lib.ts:5 viaNamespace']);
    expect(lines).toContain('3 exported value(s) that nothing imports');
  }, SLOW);

  it('passes once every export is used or allowed with a reason', () => {
    project(
      { 'lib.ts': 'export const used = 1;\nexport default function loadedByPath(): void {}\n', 'main.ts': "import { used } from './lib';\nvoid used;\n" },
      { 'lib.ts default': 'a tool loads lib.ts by path' },
    );
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('0 exported value(s) that nothing imports');
    expect(result.status).toBe(0);
  }, SLOW);

  it('fails on an allow-list entry that is no longer a dead export', () => {
    project({ 'lib.ts': 'export const used = 1;\n', 'main.ts': "import { used } from './lib';\nvoid used;\n" }, { 'lib.ts used': 'was loaded by path once' });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('"lib.ts used" is allowed but is no dead export');
  }, SLOW);

  it('refuses an allow-list entry without a reason', () => {
    project({ 'lib.ts': 'export const x = 1;\n' }, { 'lib.ts x': ' ' });
    const result = check();
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/"allowed" must map "<file> <name>" to the reason/);
  }, SLOW);
});
