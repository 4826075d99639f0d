/**
 * Every shipped template: declares exactly the settings its code reads (by the names the
 * code uses), ships valid mocks and test values, and a new function made from it passes
 * its own test cases offline, with an empty keychain, in the real runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tokenizer } from 'acorn';
import { createRuntime } from '../../runtime';
import type { Runtime } from '../../runtime/api';
import type { SecretStore } from './secrets/secret-store';
import { defaultResourcesDir } from './resources-dir';
import { createTemplates } from './templates';
import { runTests } from './tests/test-runner';
import { LocalWorkspace } from './workspace';

const templates = createTemplates(path.join(defaultResourcesDir(), 'templates'));

/** Every `settings.X` and `settings['X']` in the code (comments and strings are not code). */
function settingsRead(code: string): string[] {
  // A token's text is its source slice (acorn's typings omit `value`).
  const tokens = [...tokenizer(code, { ecmaVersion: 'latest', allowReturnOutsideFunction: true })].map((t) => ({
    type: t.type,
    value: t.type.label === 'string' ? String(JSON.parse(code.slice(t.start, t.end).replace(/^'|'$/g, '"'))) : code.slice(t.start, t.end),
  }));
  const names = new Set<string>();
  tokens.forEach((t, i) => {
    if (t.type.label !== 'name' || t.value !== 'settings') return;
    const next = tokens[i + 1];
    const prop = tokens[i + 2];
    if (next?.type.label === '.' && prop?.type.label === 'name') names.add(String(prop.value));
    if (next?.type.label === '[' && prop?.type.label === 'string' && tokens[i + 3]?.type.label === ']') names.add(String(prop.value));
    // Destructuring (`const { a } = settings`) would hide reads from this check: keep templates explicit.
    if (tokens[i - 1]?.type.label === '=' && tokens[i - 2]?.type.label === '}') throw new Error('a template destructures settings; read them as settings.X');
  });
  return [...names].sort();
}

const emptyKeychain: SecretStore = {
  get: async () => null,
  set: async () => {
    throw new Error('tests must not write to the keychain');
  },
  delete: async () => false,
  move: async () => false,
  available: async () => ({ available: true }),
};

describe('templates', () => {
  it('the reader finds settings reads, and only real ones', () => {
    expect(settingsRead("// settings.comment\nconst a = settings.apiKey + settings['endpoint']; const s = 'settings.inString';")).toEqual(['apiKey', 'endpoint']);
  });

  it('each template declares every setting its code reads, with the names the code uses, and nothing else', async () => {
    const list = await templates.list();
    expect(list.map((t) => t.id)).toEqual(['default', 'webhook', 'retry', 'validate', 'batch']);
    for (const t of list) {
      const declared = (await templates.files(t.id)).settings.map((s) => s.name).sort();
      expect({ template: t.id, reads: settingsRead(t.code) }).toEqual({ template: t.id, reads: declared });
    }
  });

  it('each template has mock rules, valid test values, and at least one test case', async () => {
    for (const t of await templates.list()) {
      const files = await templates.files(t.id);
      expect(files.tests.length, t.id).toBeGreaterThan(0);
      // A template whose code makes requests answers them with its own mocks.
      if (/\bfetch\(/.test(t.code)) expect(files.mocks.length, t.id).toBeGreaterThan(0);
      for (const name of Object.keys(files.testValues)) {
        expect(files.settings.find((s) => s.name === name)?.sensitive, `${t.id}.${name}`).toBe(false);
      }
    }
  });

  describe('a new function from each template', () => {
    let root: string;
    let runtime: Runtime;
    beforeAll(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-templates-'));
      runtime = createRuntime({ workers: 2 });
    });
    afterAll(async () => {
      await runtime.close();
      await fs.rm(root, { recursive: true, force: true });
    });

    it('gets settings, mocks.json, settings.local.json and tests/, and passes its own cases offline', async () => {
      const ws = new LocalWorkspace({ root, templates });
      const ids: string[] = [];
      for (const t of await templates.list()) {
        const fn = await ws.create({ displayName: `From ${t.id}`, templateId: t.id });
        ids.push(fn.id);
        const files = await templates.files(t.id);
        expect(fn.meta.settings).toEqual(files.settings);
        const dir = ws.functionDir(fn.id);
        const cases = (await fs.readdir(path.join(dir, 'tests'))).sort();
        expect(cases).toEqual(files.tests.map((c) => c.name));
        if (files.mocks.length > 0) expect(JSON.parse(await fs.readFile(path.join(dir, 'mocks.json'), 'utf8'))).toEqual(files.mocks);
        if (Object.keys(files.testValues).length > 0) {
          expect(JSON.parse(await fs.readFile(path.join(dir, 'settings.local.json'), 'utf8')).values).toEqual(files.testValues);
        }
      }
      const reports = await runTests(
        ids.map((id) => ({ functionId: id, dir: ws.functionDir(id) })),
        { runtime, secretStore: emptyKeychain },
      );
      for (const report of reports) {
        expect(report.cases.length, report.functionId).toBeGreaterThan(0);
        for (const c of report.cases) expect({ fn: report.functionId, case: c.name, mismatches: c.mismatches, malformed: c.malformed }).toEqual({ fn: report.functionId, case: c.name, mismatches: [], malformed: undefined });
      }
      // None of them tried the network: every request was answered by a mock.
      for (const c of reports.flatMap((r) => r.cases)) expect(c.outcome?.requests.every((r) => r.mocked)).toBe(true);
    });
  });
});
