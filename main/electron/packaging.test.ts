/**
 * electron-builder.yml, checked without packaging (no Electron binary here): the fuses are
 * flipped as the security checklist asks, and the `files` globs, applied as electron-builder
 * applies them to what the build produces, package no test code yet keep every module the
 * app loads.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';

const REPO = path.resolve(__dirname, '..', '..');
const config = parse(readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asar?: boolean;
  electronFuses: Record<string, boolean>;
};

const TEST_CODE = /(^|\/)[^/]*\.(test|spec)\.[^/]+$|(^|\/)test-fixtures\/|\.testkit\.|(^|\/)test-support\.|\.map$/;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

const rel = (file: string): string => path.relative(REPO, file).split(path.sep).join('/');

/** Every TypeScript module tsc compiles (or would, tests included) → its out/ files. */
const sources = ['common', 'main', 'runtime'].flatMap((d) => walk(path.join(REPO, d))).map(rel).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const compiled = sources.flatMap((f) => [`out/${f.replace(/\.ts$/, '.js')}`, `out/${f.replace(/\.ts$/, '.js.map')}`]);
const candidates = [...new Set([...compiled, ...walk(path.join(REPO, 'out')).map(rel), ...walk(path.join(REPO, 'resources')).map(rel), 'package.json', 'out/preload/preload.js'])];

/** electron-builder: a file is packaged when a pattern takes it and no "!" pattern drops it. */
function packaged(file: string): boolean {
  const take = config.files.filter((p) => !p.startsWith('!'));
  const drop = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return take.some((p) => minimatch(file, p, { dot: true })) && !drop.some((p) => minimatch(file, p, { dot: true }));
}

describe('electron-builder.yml', () => {
  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspect; cookie encryption; asar integrity, asar only', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // Only-load-from-asar and its integrity check need the app in an asar.
    expect(config.asar).not.toBe(false);
  });

  it('packages no test code, though the build puts some in out/', () => {
    const testFiles = candidates.filter((f) => TEST_CODE.test(f));
    // The exclusions are exercised: these exist (or would) next to the app's own files.
    for (const expected of [
      'out/main/core/runtime-process/test-fixtures/runtime-child.js',
      'out/main/core/secrets/private-keyring.testkit.js',
      'out/runtime/test-support.js',
      'out/main/cli/main.test.js',
      'resources/segment-typings.test.ts',
    ]) {
      expect(testFiles).toContain(expected);
    }
    expect(candidates.filter((f) => packaged(f) && TEST_CODE.test(f))).toEqual([]);
    expect(packaged('resources/tsconfig.json')).toBe(false);
  });

  it('packages the entry points, the runtime and the resources the app loads', () => {
    for (const file of [
      'package.json',
      'out/main/electron/main.js',
      'out/main/electron/runtime-process.js',
      'out/preload/preload.js',
      'out/runtime/index.js',
      'out/runtime/worker.js',
      'out/common/outcome.js',
      'out/renderer/index.html',
      'resources/templates/index.json',
      'resources/templates/default.js',
      'resources/types/segment-functions.d.ts',
    ]) {
      expect(packaged(file), file).toBe(true);
    }
  });

  it('keeps every module a packaged module imports', () => {
    const missing: string[] = [];
    for (const source of sources) {
      const out = `out/${source.replace(/\.ts$/, '.js')}`;
      if (!packaged(out)) continue;
      const text = readFileSync(path.join(REPO, source), 'utf8');
      for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?!type\b)[^;]*?from\s+'(\.[^']+)'|require\('(\.[^']+)'\)/g)) {
        const spec = match[1] ?? match[2];
        const target = rel(path.resolve(path.dirname(path.join(REPO, out)), spec));
        const file = [`${target}.js`, `${target}/index.js`, target].find((f) => candidates.includes(f));
        if (file === undefined || !packaged(file)) missing.push(`${out} → ${spec}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
