import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

interface StartScript {
  OUTPUTS: readonly string[];
  buildIsStale(root: string): boolean;
  electronBinary(root: string, env: NodeJS.ProcessEnv): string | null;
  buildQuietly(root: string, out: { write(text: string): unknown }): number;
}

const scriptUrl = pathToFileURL(path.resolve(__dirname, '..', '..', 'scripts', 'start.mjs')).href;
let start: StartScript;
let root: string;

beforeEach(async () => {
  start = (await import(scriptUrl)) as StartScript;
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-start-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function touch(rel: string, when: Date): Promise<void> {
  const file = path.join(root, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, 'x');
  await fs.utimes(file, when, when);
}

describe('npm start (scripts/start.mjs)', () => {
  it('importing it starts nothing', () => {
    expect(typeof start.buildIsStale).toBe('function');
  });

  it('builds when outputs are missing or older than any source (tests excluded)', async () => {
    const old = new Date('2026-01-01T00:00:00Z');
    const later = new Date('2026-01-02T00:00:00Z');
    await touch('main/core/a.ts', old);
    expect(start.buildIsStale(root)).toBe(true);
    expect(start.OUTPUTS).toEqual(expect.arrayContaining(['out/main/cli/main.js', 'out/main/electron/main.js', 'out/renderer/index.html']));
    for (const out of start.OUTPUTS) await touch(out, later);
    expect(start.buildIsStale(root)).toBe(false);
    await touch('main/core/a.test.ts', new Date('2026-01-03T00:00:00Z'));
    await touch('renderer/node_modules/x.js', new Date('2026-01-03T00:00:00Z'));
    expect(start.buildIsStale(root)).toBe(false);
    await touch('renderer/src/App.tsx', new Date('2026-01-03T00:00:00Z'));
    expect(start.buildIsStale(root)).toBe(true);
  });

  it('builds in one line of output, and shows everything the build printed only when it fails', async () => {
    const noisy = "for (let i = 0; i < 120; i++) console.log('out/renderer/assets/chunk-' + i + '.js  12.3 kB')";
    const pkg = (exit: number) => JSON.stringify({ name: 'x', private: true, scripts: { build: `node -e "${noisy}; process.exit(${exit})"` } });
    await fs.writeFile(path.join(root, 'package.json'), pkg(0));
    let printed = '';
    const out = { write: (text: string) => (printed += text) };
    expect(start.buildQuietly(root, out)).toBe(0);
    expect(printed).toMatch(/^fnstudio: building \(npm run build\)\.\.\. done in \d+\.\d s\n$/);

    await fs.writeFile(path.join(root, 'package.json'), pkg(3));
    printed = '';
    expect(start.buildQuietly(root, out)).toBe(3);
    expect(printed).toMatch(/^fnstudio: building \(npm run build\)\.\.\. failed:\n/);
    expect(printed).toContain('chunk-119.js');
    expect(printed).toMatch(/the build failed; see the errors above\.\n$/);
  });

  it('finds Electron only where its binary really exists', async () => {
    expect(start.electronBinary(root, {})).toBeNull();
    await touch('node_modules/electron/path.txt', new Date());
    await fs.writeFile(path.join(root, 'node_modules/electron/path.txt'), 'electron');
    // path.txt alone (this machine: the binary was never downloaded) is not enough.
    expect(start.electronBinary(root, {})).toBeNull();
    await touch('node_modules/electron/dist/electron', new Date());
    expect(start.electronBinary(root, {})).toBe(path.join(root, 'node_modules/electron/dist/electron'));
    const override = path.join(root, 'custom-dist');
    expect(start.electronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: override })).toBeNull();
    await touch('custom-dist/electron', new Date());
    expect(start.electronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: override })).toBe(path.join(override, 'electron'));
  });
});
