/**
 * Function templates shipped in resources/templates. index.json lists
 * `{id, name, description, file, settings, testValues, mocks, tests}`: `file` is the
 * handler.js starting point, `settings` the settings schema its code reads (function.json),
 * `testValues` test values of its ordinary settings (settings.local.json), `mocks` the mock
 * rules that make its main path succeed offline (mocks.json), and `tests` a folder of
 * `*.test.json` cases that pass on a new function (copied to its tests/).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FnStudioError } from '../contract/errors';
import type { FunctionSetting, TemplateInfo } from '../contract/function';
import type { MockRule } from '../contract/mock';
import type { TemplatesService } from '../contract/api';
import { isPlainObject } from '../contract/checks';
import { settingsListCheck } from '../contract/methods';
import { TEST_CASE_SUFFIX } from '../contract/tests';
import { readJsonFile, readTextFile } from './json-file';
import { MockRulesError, validateMockRules } from './mock-rules';

export const DEFAULT_TEMPLATE_ID = 'default';

/** What a new function gets from its template besides handler.js. */
export interface TemplateFiles {
  settings: FunctionSetting[];
  /** Test values of ordinary (not encrypted) settings. */
  testValues: Record<string, unknown>;
  /** Rules as written in index.json (mocks.json keeps them as written). */
  mocks: unknown[];
  /** Test cases: file name (`<name>.test.json`) and text. */
  tests: Array<{ name: string; text: string }>;
}

export interface TemplateSource extends TemplatesService {
  get(id: string): Promise<TemplateInfo>;
  /** Rejects NotFound for an unknown id, Internal for a broken template. */
  files(id: string): Promise<TemplateFiles>;
}

interface IndexEntry {
  info: TemplateInfo;
  raw: Record<string, unknown>;
}

export function createTemplates(templatesDir: string): TemplateSource {
  const indexFile = path.join(templatesDir, 'index.json');
  async function entries(): Promise<IndexEntry[]> {
    const index = await readJsonFile(indexFile);
    if (!Array.isArray(index)) throw new FnStudioError('Internal', `${indexFile}: must be an array of templates`);
    return Promise.all(
      index.map(async (entry: unknown, i: number) => {
        if (!isPlainObject(entry) || ![entry.id, entry.name, entry.description, entry.file].every((v) => typeof v === 'string')) {
          throw new FnStudioError('Internal', `${indexFile}: entry ${i} needs string fields id, name, description and file`);
        }
        const file = entry.file as string;
        if (path.basename(file) !== file) throw new FnStudioError('Internal', `${indexFile}: entry ${i} file must be a plain file name`);
        const code = await readTextFile(path.join(templatesDir, file));
        return { info: { id: entry.id as string, name: entry.name as string, description: entry.description as string, code }, raw: entry };
      }),
    );
  }
  async function entry(id: string): Promise<IndexEntry> {
    const found = (await entries()).find((t) => t.info.id === id);
    if (!found) throw new FnStudioError('NotFound', `No template with id "${id}"`);
    return found;
  }
  return {
    list: async () => (await entries()).map((e) => e.info),
    get: async (id) => (await entry(id)).info,
    async files(id) {
      return templateFiles(templatesDir, indexFile, (await entry(id)).raw);
    },
  };
}

async function templateFiles(templatesDir: string, indexFile: string, raw: Record<string, unknown>): Promise<TemplateFiles> {
  const broken = (problem: string) => new FnStudioError('Internal', `${indexFile}: template "${String(raw.id)}": ${problem}`);
  const settings = raw.settings ?? [];
  const settingsProblem = settingsListCheck(settings);
  if (settingsProblem) throw broken(`settings ${settingsProblem}`);
  const schema = settings as FunctionSetting[];

  const testValues = raw.testValues ?? {};
  if (!isPlainObject(testValues)) throw broken('testValues must be an object of setting names to values');
  for (const name of Object.keys(testValues)) {
    const setting = schema.find((s) => s.name === name);
    if (!setting) throw broken(`testValues.${name} is not a declared setting`);
    // Encrypted values live only in the keychain, never in a file.
    if (setting.sensitive) throw broken(`testValues.${name} is an encrypted setting; it cannot have a stored test value`);
  }

  const mocks = raw.mocks ?? [];
  try {
    validateMockRules(mocks);
  } catch (err) {
    if (err instanceof MockRulesError) throw broken(`mocks ${err.message}`);
    throw err;
  }

  const tests: TemplateFiles['tests'] = [];
  if (raw.tests !== undefined) {
    if (typeof raw.tests !== 'string' || path.isAbsolute(raw.tests) || raw.tests.split(/[\\/]/).includes('..')) {
      throw broken('tests must be a folder inside resources/templates');
    }
    const dir = path.join(templatesDir, raw.tests);
    const names = (await fs.readdir(dir)).filter((n) => n.endsWith(TEST_CASE_SUFFIX)).sort();
    for (const name of names) tests.push({ name, text: await readTextFile(path.join(dir, name)) });
  }
  return { settings: schema.map((s) => ({ ...s })), testValues: { ...testValues }, mocks: mocks as MockRule[], tests };
}
