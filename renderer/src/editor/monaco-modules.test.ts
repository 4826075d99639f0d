/**
 * Guards the bundle size: importing `monaco-editor` itself pulls in some 80 languages and
 * the CSS and HTML workers. Only monaco-modules.ts chooses Monaco's parts; everything else
 * imports Monaco from there.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]/g;

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

describe('Monaco imports', () => {
  it('no renderer file imports the whole of monaco-editor', () => {
    const offenders = sourceFiles(SRC).filter((file) => imports(file).some((spec) => spec === 'monaco-editor'));
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('monaco-modules.ts takes only the JavaScript, TypeScript and JSON languages', () => {
    const specs = imports(path.join(SRC, 'editor', 'monaco-modules.ts')).filter((spec) => spec.startsWith('monaco-editor/'));
    const languages = specs.filter((spec) => spec.includes('/languages/')).map((spec) => spec.split('/')[3]);
    expect(new Set(languages)).toEqual(new Set(['javascript', 'typescript', 'json']));
    // Every Monaco import of the renderer's code resolves to a real module of the installed package.
    for (const spec of specs) {
      const file = path.join(SRC, '..', '..', 'node_modules', 'monaco-editor', 'esm', 'vs', spec.slice('monaco-editor/'.length) + '.js');
      expect(statSync(file).isFile(), spec).toBe(true);
    }
  });
});
