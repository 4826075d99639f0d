/**
 * Test values of one function's settings: non-secret ones in settings.local.json,
 * encrypted ones in the keychain, and the bookkeeping that keeps the two consistent when
 * settings are renamed, deleted, or the function goes away.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FnStudioError } from '../../contract/errors';
import { settingNameProblem } from '../../contract/ids';
import type { FunctionSetting, SettingsTestValues } from '../../contract/function';
import {
  KeychainLockedError,
  KeychainUnavailableError,
  KEYCHAIN_ID_PATTERN,
  secretKey,
  type KeychainStatus,
  type SecretStore,
} from '../secrets/secret-store';
import { findSetting, settingDisplay, settingValueProblem } from './schema';
import { TEST_VALUES_FILE, readTestValuesFile, writeTestValuesFile, type TestValuesFile } from './test-values-file';

export interface FunctionSettingsContext {
  /** The function's folder (holds function.json and settings.local.json). */
  functionDir: string;
  /** Function id (= folder name); keys its secrets in the keychain. */
  functionId: string;
  secretStore: SecretStore;
}

// Read-modify-write of settings.local.json is serialised per folder within this process.
const queues = new Map<string, Promise<unknown>>();

function exclusive<T>(functionDir: string, work: () => Promise<T>): Promise<T> {
  const key = path.resolve(functionDir);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

/** The keychain account of a setting's secret, scoped by the folder's keychain id. */
function accountOf(ctx: FunctionSettingsContext, file: TestValuesFile, name: string): string {
  return secretKey(ctx.functionId, name, file.keychainId);
}

/** The keychain account a function folder's setting is stored under (for tools and tests). */
export async function secretAccount(functionDir: string, functionId: string, name: string): Promise<string> {
  return secretKey(functionId, name, (await readTestValuesFile(functionDir)).keychainId);
}

/** Gives the folder its keychain id before its first secret is stored. */
function ensureKeychainId(file: TestValuesFile): void {
  if (!file.keychainId) file.keychainId = randomUUID();
}

/** Secrets of settings that are not STRING are kept as JSON text. */
function encodeSecret(setting: FunctionSetting, value: unknown): string {
  return setting.type === 'STRING' ? (value as string) : JSON.stringify(value);
}

export function decodeSecret(setting: FunctionSetting, stored: string): unknown {
  if (setting.type === 'STRING') return stored;
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    throw new FnStudioError('CorruptFunction', `the keychain value of encrypted setting ${settingDisplay(setting)} is not valid JSON for a ${setting.type} setting; set it again`);
  }
}

/**
 * Reads a secret the bookkeeping says is set. keytar answers null on a locked keyring,
 * so a null here is an error: locked/unavailable when the keychain says so, else
 * "missing" (deleted outside fnstudio). Never an empty value.
 */
export async function readKnownSecret(ctx: FunctionSettingsContext, name: string, file?: TestValuesFile): Promise<string> {
  const stored = file ?? (await readTestValuesFile(ctx.functionDir));
  const value = await ctx.secretStore.get(accountOf(ctx, stored, name));
  if (value !== null) return value;
  const status = await ctx.secretStore.available();
  if (!status.available) throw keychainError(status, `cannot read encrypted setting "${name}"`);
  throw new FnStudioError(
    'NotFound',
    `encrypted setting "${name}" of function ${ctx.functionId} is recorded as set, but the keychain has no value for it (removed outside fnstudio?); set it again`,
  );
}

function keychainError(status: KeychainStatus, what: string): KeychainUnavailableError {
  const problem = status.problem ?? 'keychain unavailable';
  return /^keychain locked/.test(problem) ? new KeychainLockedError(`${problem} (${what})`, problem) : new KeychainUnavailableError(`${problem} (${what})`, 'unavailable', problem);
}

export async function getTestValues(ctx: FunctionSettingsContext, schema: readonly FunctionSetting[]): Promise<SettingsTestValues> {
  const file = await readTestValuesFile(ctx.functionDir);
  const values: Record<string, unknown> = {};
  const secretsSet: Record<string, boolean> = {};
  for (const setting of schema) {
    if (setting.sensitive) {
      secretsSet[setting.name] = file.secretsSet.includes(setting.name);
    } else if (Object.prototype.hasOwnProperty.call(file.values, setting.name)) {
      values[setting.name] = file.values[setting.name];
    }
  }
  const keychain = await ctx.secretStore.available();
  return { values, secretsSet, keychain };
}

/**
 * Stores one test value: encrypted settings' values go to the keychain only, the rest to
 * settings.local.json. `null` clears the value.
 */
export async function setTestValue(
  ctx: FunctionSettingsContext,
  schema: readonly FunctionSetting[],
  name: string,
  value: unknown,
): Promise<void> {
  const setting = findSetting(schema, name);
  if (!setting) throw new FnStudioError('NotFound', `function ${ctx.functionId} has no setting named "${name}"`);
  if (value !== null) {
    const problem = settingValueProblem(setting.type, value);
    if (problem) throw new FnStudioError('InvalidArgument', `test value of setting ${settingDisplay(setting)} ${problem}`);
  }
  await exclusive(ctx.functionDir, async () => {
    const file = await readTestValuesFile(ctx.functionDir);
    if (setting.sensitive) {
      if (value === null) {
        await deleteKnownSecret(ctx, file, name);
        file.secretsSet = file.secretsSet.filter((n) => n !== name);
      } else {
        ensureKeychainId(file);
        await ctx.secretStore.set(accountOf(ctx, file, name), encodeSecret(setting, value));
        if (!file.secretsSet.includes(name)) file.secretsSet.push(name);
      }
      // A plaintext value left from before the setting became encrypted must not survive.
      delete file.values[name];
    } else if (value === null) {
      delete file.values[name];
    } else {
      file.values[name] = value;
    }
    await writeTestValuesFile(ctx.functionDir, stripSensitive(file, schema), schema);
  });
}

/** The plaintext of an encrypted setting's test value, for an explicit "reveal". */
export async function revealSecret(ctx: FunctionSettingsContext, schema: readonly FunctionSetting[], name: string): Promise<string | null> {
  const setting = findSetting(schema, name);
  if (!setting) throw new FnStudioError('NotFound', `function ${ctx.functionId} has no setting named "${name}"`);
  if (!setting.sensitive) throw new FnStudioError('InvalidArgument', `setting ${settingDisplay(setting)} is not encrypted; its test value is not a secret`);
  const file = await readTestValuesFile(ctx.functionDir);
  if (!file.secretsSet.includes(name)) return null;
  return readKnownSecret(ctx, name, file);
}

/**
 * Deletes a secret; when it was known to be set, a "nothing deleted" answer is checked
 * against the keychain's state, because a locked keyring also answers "nothing deleted".
 */
async function deleteKnownSecret(ctx: FunctionSettingsContext, file: TestValuesFile, name: string): Promise<void> {
  const knownSet = file.secretsSet.includes(name);
  const deleted = await ctx.secretStore.delete(accountOf(ctx, file, name));
  if (deleted || !knownSet) return;
  const status = await ctx.secretStore.available();
  if (!status.available) throw keychainError(status, `cannot delete encrypted setting "${name}"`);
}

/** Renames a setting's test value (moving its secret in the keychain). */
export async function renameSettingValue(ctx: FunctionSettingsContext, schemaAfter: readonly FunctionSetting[], from: string, to: string): Promise<void> {
  if (from === to) return;
  await exclusive(ctx.functionDir, async () => {
    const file = await readTestValuesFile(ctx.functionDir);
    await renameIn(ctx, file, from, to);
    await writeTestValuesFile(ctx.functionDir, stripSensitive(file, schemaAfter), schemaAfter);
  });
}

async function renameIn(ctx: FunctionSettingsContext, file: TestValuesFile, from: string, to: string): Promise<void> {
  if (file.secretsSet.includes(from)) {
    const moved = await ctx.secretStore.move(accountOf(ctx, file, from), accountOf(ctx, file, to));
    if (!moved) {
      const status = await ctx.secretStore.available();
      if (!status.available) throw keychainError(status, `cannot move encrypted setting "${from}" to "${to}"`);
    }
    file.secretsSet = file.secretsSet.filter((n) => n !== from);
    if (moved) file.secretsSet.push(to);
  }
  if (Object.prototype.hasOwnProperty.call(file.values, from)) {
    file.values[to] = file.values[from];
    delete file.values[from];
  }
}

/** Deletes a setting's test value and its secret. */
export async function deleteSettingValue(ctx: FunctionSettingsContext, schemaAfter: readonly FunctionSetting[], name: string): Promise<void> {
  await exclusive(ctx.functionDir, async () => {
    const file = await readTestValuesFile(ctx.functionDir);
    await deleteIn(ctx, file, name);
    await writeTestValuesFile(ctx.functionDir, stripSensitive(file, schemaAfter), schemaAfter);
  });
}

async function deleteIn(ctx: FunctionSettingsContext, file: TestValuesFile, name: string): Promise<void> {
  await deleteKnownSecret(ctx, file, name);
  file.secretsSet = file.secretsSet.filter((n) => n !== name);
  delete file.values[name];
}

/**
 * Deletes every secret of a function (call before removing its folder). Covers both the
 * names recorded as set and every sensitive setting of the schema, in case the record
 * was lost. Rejects when the keychain is locked and secrets would be left behind.
 */
export async function deleteFunctionSecrets(ctx: FunctionSettingsContext, schema: readonly FunctionSetting[]): Promise<void> {
  await exclusive(ctx.functionDir, async () => {
    let files: TestValuesFile[];
    try {
      files = [await readTestValuesFile(ctx.functionDir)];
    } catch {
      // A corrupt file must not block deleting the function, nor leave its secrets behind
      // in the keychain: find what it still says about them.
      files = await salvageTestValuesFile(ctx.functionDir);
    }
    for (const file of files) {
      const names = new Set([...file.secretsSet, ...schema.filter((s) => s.sensitive).map((s) => s.name)]);
      for (const name of names) await deleteKnownSecret(ctx, file, name);
    }
  });
}

const SALVAGED_ID = /"keychainId"\s*:\s*"([^"]*)"/g;
const SALVAGED_SECRETS_SET = /"secretsSet"\s*:\s*\[([^\]]*)\]/g;
const SALVAGED_NAME = /"((?:[^"\\]|\\.)*)"/g;

/**
 * What a settings.local.json that no longer parses (edited by hand, a merge conflict)
 * still says about its secrets: every keychain id and recorded secret name in its text,
 * so deleting the function can delete them. Secrets of a file with no id left at all
 * are looked for under the unscoped account, as before ids existed.
 */
async function salvageTestValuesFile(functionDir: string): Promise<TestValuesFile[]> {
  let text = '';
  try {
    text = await readFile(path.join(functionDir, TEST_VALUES_FILE), 'utf8');
  } catch {
    // unreadable as well: only the schema's names are left
  }
  const secretsSet: string[] = [];
  for (const list of text.matchAll(SALVAGED_SECRETS_SET)) {
    for (const quoted of list[1].matchAll(SALVAGED_NAME)) {
      let name: unknown;
      try {
        name = JSON.parse(`"${quoted[1]}"`);
      } catch {
        continue;
      }
      if (typeof name === 'string' && settingNameProblem(name) === null) secretsSet.push(name);
    }
  }
  const ids = [...new Set([...text.matchAll(SALVAGED_ID)].map((match) => match[1]).filter((id) => KEYCHAIN_ID_PATTERN.test(id)))];
  const asFile = (keychainId?: string): TestValuesFile => ({ values: {}, secretsSet, ...(keychainId ? { keychainId } : {}) });
  return ids.length > 0 ? ids.map(asFile) : [asFile()];
}

export interface SettingsChange {
  renamed: Array<{ from: string; to: string }>;
  deleted: string[];
  /** Settings that stopped being encrypted: their secret is deleted, never written in plaintext. */
  unencrypted: string[];
  /** Settings that became encrypted: their plaintext test value moves into the keychain. */
  encrypted: string[];
}

/**
 * What changed between two versions of a schema, as far as stored values care. A setting
 * whose name changed in place (same position, same type, old name gone, new name new) is a
 * rename; a name that disappeared otherwise is a deletion.
 */
export function diffSettings(before: readonly FunctionSetting[], after: readonly FunctionSetting[]): SettingsChange {
  const afterNames = new Set(after.map((s) => s.name));
  const beforeNames = new Set(before.map((s) => s.name));
  const renamed: SettingsChange['renamed'] = [];
  const renamedFrom = new Set<string>();
  const renamedTo = new Set<string>();
  before.forEach((old, i) => {
    const now = after[i];
    if (now && now.name !== old.name && !afterNames.has(old.name) && !beforeNames.has(now.name) && now.type === old.type) {
      renamed.push({ from: old.name, to: now.name });
      renamedFrom.add(old.name);
      renamedTo.add(now.name);
    }
  });
  const deleted = before.filter((s) => !afterNames.has(s.name) && !renamedFrom.has(s.name)).map((s) => s.name);
  const sensitiveBefore = new Map<string, boolean>();
  for (const s of before) sensitiveBefore.set(s.name, s.sensitive);
  for (const r of renamed) sensitiveBefore.set(r.to, before.find((s) => s.name === r.from)?.sensitive ?? false);
  const unencrypted: string[] = [];
  const encrypted: string[] = [];
  for (const s of after) {
    const was = sensitiveBefore.get(s.name);
    if (was === true && !s.sensitive) unencrypted.push(s.name);
    if (was === false && s.sensitive) encrypted.push(s.name);
  }
  return { renamed, deleted, unencrypted, encrypted };
}

/**
 * Brings stored test values in line with a new schema (call after function.json's
 * settings changed): moves secrets of renamed settings, deletes values of removed ones,
 * deletes secrets of settings no longer encrypted and moves plaintext values of newly
 * encrypted settings into the keychain.
 */
export async function reconcileSettingsChange(
  ctx: FunctionSettingsContext,
  before: readonly FunctionSetting[],
  after: readonly FunctionSetting[],
): Promise<SettingsChange> {
  const change = diffSettings(before, after);
  const nothing = change.renamed.length + change.deleted.length + change.unencrypted.length + change.encrypted.length === 0;
  if (nothing) return change;
  await exclusive(ctx.functionDir, async () => {
    const file = await readTestValuesFile(ctx.functionDir);
    for (const name of change.deleted) await deleteIn(ctx, file, name);
    // Two steps so swapping two names (a→b, b→a) cannot overwrite one with the other.
    const staged = change.renamed.map((r, i) => ({ ...r, temp: `__fnstudioRename${i}_${Date.now()}` }));
    for (const r of staged) await renameIn(ctx, file, r.from, r.temp);
    for (const r of staged) await renameIn(ctx, file, r.temp, r.to);
    for (const name of change.unencrypted) await deleteIn(ctx, file, name);
    for (const name of change.encrypted) {
      const setting = findSetting(after, name);
      if (setting && Object.prototype.hasOwnProperty.call(file.values, name)) {
        const value = file.values[name];
        if (settingValueProblem(setting.type, value) === null) {
          ensureKeychainId(file);
          await ctx.secretStore.set(accountOf(ctx, file, name), encodeSecret(setting, value));
          if (!file.secretsSet.includes(name)) file.secretsSet.push(name);
        }
        delete file.values[name];
      }
    }
    await writeTestValuesFile(ctx.functionDir, stripSensitive(file, after), after);
  });
  return change;
}

/** Drops plaintext values of sensitive settings (they can only come from hand edits). */
function stripSensitive(file: TestValuesFile, schema: readonly FunctionSetting[]): TestValuesFile {
  const values = { ...file.values };
  for (const s of schema) if (s.sensitive) delete values[s.name];
  return { values, secretsSet: file.secretsSet, ...(file.keychainId ? { keychainId: file.keychainId } : {}) };
}
