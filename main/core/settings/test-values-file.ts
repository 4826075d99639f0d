/**
 * `settings.local.json` in a function folder: the author's non-secret test values, and the
 * NAMES of encrypted settings whose values this machine's keychain holds. It is local to
 * one machine (the keychain is), so it belongs in .gitignore. Encrypted values are never
 * written here; `writeTestValuesFile` refuses to.
 *
 *   { "values": { "endpoint": "https://example.test" }, "secretsSet": ["apiKey"],
 *     "keychainId": "0b5c…" }
 *
 * `keychainId` (created with the first secret) scopes this folder's keychain entries.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FnStudioError } from '../../contract/errors';
import type { FunctionSetting } from '../../contract/function';
import { settingNameProblem } from '../../contract/ids';
import { parseJsonText } from '../json-file';
import { KEYCHAIN_ID_PATTERN } from '../secrets/secret-store';

export const TEST_VALUES_FILE = 'settings.local.json';

export interface TestValuesFile {
  /** Non-secret test values by setting name. */
  values: Record<string, unknown>;
  /** Names of sensitive settings with a value in the keychain (never the values). */
  secretsSet: string[];
  /** Scopes this folder's keychain accounts; absent until the first secret is stored. */
  keychainId?: string;
}

export function emptyTestValues(): TestValuesFile {
  return { values: {}, secretsSet: [] };
}

/** A missing file is an empty one; a broken one is an error naming the file and problem. */
export async function readTestValuesFile(functionDir: string): Promise<TestValuesFile> {
  const file = path.join(functionDir, TEST_VALUES_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyTestValues();
    throw new FnStudioError('Internal', `${file}: cannot read the test values: ${(err as Error).message}`);
  }
  if (text.trim() === '') return emptyTestValues();
  let parsed: unknown;
  try {
    parsed = parseJsonText(text, file);
  } catch (err) {
    throw new FnStudioError('CorruptFunction', (err as Error).message);
  }
  return checkTestValues(parsed, file);
}

function checkTestValues(parsed: unknown, file: string): TestValuesFile {
  const bad = (problem: string) => new FnStudioError('CorruptFunction', `${file}: ${problem}`);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw bad('must contain a JSON object like {"values": {}, "secretsSet": []}');
  }
  const obj = parsed as Record<string, unknown>;
  const values = obj.values ?? {};
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw bad('"values" must be an object mapping setting names to test values');
  }
  const secretsSet = obj.secretsSet ?? [];
  if (!Array.isArray(secretsSet)) throw bad('"secretsSet" must be an array of setting names');
  for (const [i, name] of secretsSet.entries()) {
    const problem = settingNameProblem(name);
    if (problem) throw bad(`"secretsSet"[${i}] ${problem}`);
  }
  const keychainId = obj.keychainId;
  if (keychainId !== undefined && (typeof keychainId !== 'string' || !KEYCHAIN_ID_PATTERN.test(keychainId))) {
    throw bad('"keychainId" must be the UUID fnstudio wrote there (remove it only together with "secretsSet")');
  }
  return {
    values: { ...(values as Record<string, unknown>) },
    secretsSet: [...new Set(secretsSet as string[])],
    ...(keychainId === undefined ? {} : { keychainId }),
  };
}

/**
 * Writes the file atomically (temp file + rename). Refuses, as a programming error, to
 * write a value for a setting the schema marks sensitive.
 */
export async function writeTestValuesFile(functionDir: string, data: TestValuesFile, schema: readonly FunctionSetting[]): Promise<void> {
  for (const setting of schema) {
    if (setting.sensitive && Object.prototype.hasOwnProperty.call(data.values, setting.name)) {
      throw new Error(`refusing to write the value of encrypted setting "${setting.name}" to ${TEST_VALUES_FILE}`);
    }
  }
  const file = path.join(functionDir, TEST_VALUES_FILE);
  const sortedValues = Object.fromEntries(Object.entries(data.values).sort(([a], [b]) => a.localeCompare(b)));
  const content = { values: sortedValues, secretsSet: [...new Set(data.secretsSet)].sort(), ...(data.keychainId ? { keychainId: data.keychainId } : {}) };
  const text = `${JSON.stringify(content, null, 2)}\n`;
  const temp = path.join(functionDir, `.${TEST_VALUES_FILE}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(temp, text, { encoding: 'utf8', mode: 0o600 });
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}
