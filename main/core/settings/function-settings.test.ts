import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionSetting } from '../../contract/function';
import { KeytarSecretStore } from '../secrets/keytar-store';
import { requireSessionBus } from '../secrets/private-keyring.testkit';
import { secretKey } from '../secrets/secret-store';
import {
  deleteFunctionSecrets,
  deleteSettingValue,
  diffSettings,
  getTestValues,
  reconcileSettingsChange,
  renameSettingValue,
  revealSecret,
  setTestValue,
  type FunctionSettingsContext,
} from './function-settings';
import { createSettingsService } from './service';
import { TEST_VALUES_FILE, readTestValuesFile } from './test-values-file';

const SERVICE = `fnstudio-test-${randomBytes(4).toString('hex')}`;
const store = new KeytarSecretStore({ service: SERVICE });

const s = (name: string, type: FunctionSetting['type'], sensitive = false, required = false): FunctionSetting => ({
  name,
  label: name,
  description: '',
  type,
  required,
  sensitive,
});

const SCHEMA: FunctionSetting[] = [
  s('endpoint', 'STRING'),
  s('apiKey', 'STRING', true, true),
  s('debug', 'BOOLEAN'),
  s('headers', 'TEXT_MAP'),
  s('tags', 'ARRAY'),
  s('extraSecrets', 'ARRAY', true),
];

let dir: string;
let ctx: FunctionSettingsContext;
let functionId: string;

beforeAll(() => requireSessionBus());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fnstudio-settings-'));
  functionId = `fn-${randomBytes(3).toString('hex')}`;
  ctx = { functionDir: dir, functionId, secretStore: store };
});
afterEach(async () => {
  await deleteFunctionSecrets(ctx, SCHEMA.concat([s('renamedKey', 'STRING', true), s('token', 'STRING', true)])).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await store.delete('never/used').catch(() => undefined);
});

/** The keychain account of a setting of the function under test (scoped by its folder's keychain id). */
const account = async (name: string) => secretKey(functionId, name, (await readTestValuesFile(dir)).keychainId);

const fileText = () => (existsSync(join(dir, TEST_VALUES_FILE)) ? readFileSync(join(dir, TEST_VALUES_FILE), 'utf8') : '');

describe('test values (real keychain)', () => {
  it('keeps the secrets of two same-named functions in different workspaces apart', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'fnstudio-settings-other-'));
    const other: FunctionSettingsContext = { functionDir: otherDir, functionId, secretStore: store };
    try {
      await setTestValue(ctx, SCHEMA, 'apiKey', 'first-workspace-key');
      await setTestValue(other, SCHEMA, 'apiKey', 'second-workspace-key');
      expect(await revealSecret(ctx, SCHEMA, 'apiKey')).toBe('first-workspace-key');
      expect(await revealSecret(other, SCHEMA, 'apiKey')).toBe('second-workspace-key');
      await deleteFunctionSecrets(other, SCHEMA);
      expect(await revealSecret(ctx, SCHEMA, 'apiKey')).toBe('first-workspace-key');
    } finally {
      await deleteFunctionSecrets(other, SCHEMA).catch(() => undefined);
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('keeps plain values in settings.local.json and encrypted ones only in the keychain', async () => {
    await setTestValue(ctx, SCHEMA, 'endpoint', 'https://example.test/hook');
    await setTestValue(ctx, SCHEMA, 'apiKey', 'sk-very-secret-123');
    await setTestValue(ctx, SCHEMA, 'debug', true);
    await setTestValue(ctx, SCHEMA, 'headers', { 'x-a': '1' });
    await setTestValue(ctx, SCHEMA, 'extraSecrets', ['s3cr3t-one', 's3cr3t-two']);

    expect(fileText()).not.toContain('sk-very-secret-123');
    expect(fileText()).not.toContain('s3cr3t-one');
    expect(JSON.parse(fileText())).toEqual({
      values: { debug: true, endpoint: 'https://example.test/hook', headers: { 'x-a': '1' } },
      secretsSet: ['apiKey', 'extraSecrets'],
      keychainId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    });
    expect(await store.get(await account('apiKey'))).toBe('sk-very-secret-123');
    expect(await store.get(await account('extraSecrets'))).toBe('["s3cr3t-one","s3cr3t-two"]');

    expect(await getTestValues(ctx, SCHEMA)).toEqual({
      values: { endpoint: 'https://example.test/hook', debug: true, headers: { 'x-a': '1' } },
      secretsSet: { apiKey: true, extraSecrets: true },
      keychain: { available: true },
    });
    expect(await revealSecret(ctx, SCHEMA, 'apiKey')).toBe('sk-very-secret-123');
  });

  it('clears values with null, including secrets', async () => {
    await setTestValue(ctx, SCHEMA, 'endpoint', 'x');
    await setTestValue(ctx, SCHEMA, 'apiKey', 'to-be-cleared');
    await setTestValue(ctx, SCHEMA, 'endpoint', null);
    await setTestValue(ctx, SCHEMA, 'apiKey', null);
    expect(JSON.parse(fileText())).toEqual({ values: {}, secretsSet: [], keychainId: expect.any(String) });
    expect(await store.get(await account('apiKey'))).toBeNull();
    expect(await revealSecret(ctx, SCHEMA, 'apiKey')).toBeNull();
  });

  it('rejects unknown settings, wrong types and revealing a non-secret', async () => {
    await expect(setTestValue(ctx, SCHEMA, 'nope', 'x')).rejects.toThrow(`function ${functionId} has no setting named "nope"`);
    await expect(setTestValue(ctx, SCHEMA, 'debug', 'yes')).rejects.toThrow(
      'test value of setting "debug" must be true or false (BOOLEAN), got a string',
    );
    await expect(setTestValue(ctx, SCHEMA, 'tags', ['a', 2])).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(revealSecret(ctx, SCHEMA, 'endpoint')).rejects.toThrow(/is not encrypted/);
  });

  it('reports a secret deleted behind its back as an error, not as empty', async () => {
    await setTestValue(ctx, SCHEMA, 'apiKey', 'will-vanish');
    await store.delete(await account('apiKey'));
    await expect(revealSecret(ctx, SCHEMA, 'apiKey')).rejects.toThrow(/recorded as set, but the keychain has no value/);
  });

  it('serialises concurrent writes to the same folder', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((v, i) => setTestValue(ctx, SCHEMA, i % 2 ? 'endpoint' : 'tags', i % 2 ? v : [v])));
    await Promise.all([setTestValue(ctx, SCHEMA, 'debug', true), setTestValue(ctx, SCHEMA, 'headers', { k: 'v' })]);
    const file = await readTestValuesFile(dir);
    expect(Object.keys(file.values).sort()).toEqual(['debug', 'endpoint', 'headers', 'tags']);
  });

  it('reports a corrupt settings.local.json naming the file', async () => {
    writeFileSync(join(dir, TEST_VALUES_FILE), '{"values": [1,2]}');
    await expect(getTestValues(ctx, SCHEMA)).rejects.toThrow(/settings\.local\.json: "values" must be an object/);
    writeFileSync(join(dir, TEST_VALUES_FILE), '{"values": {');
    await expect(getTestValues(ctx, SCHEMA)).rejects.toMatchObject({ name: 'CorruptFunction' });
  });
});

describe('renaming and deleting settings (real keychain)', () => {
  it('renaming a setting moves its secret; deleting one deletes it', async () => {
    await setTestValue(ctx, SCHEMA, 'apiKey', 'moving-secret');
    await setTestValue(ctx, SCHEMA, 'endpoint', 'https://e.test');
    const renamedSchema = SCHEMA.map((x) => (x.name === 'apiKey' ? { ...x, name: 'renamedKey' } : x));
    await renameSettingValue(ctx, renamedSchema, 'apiKey', 'renamedKey');
    expect(await store.get(await account('apiKey'))).toBeNull();
    expect(await store.get(await account('renamedKey'))).toBe('moving-secret');
    expect((await readTestValuesFile(dir)).secretsSet).toEqual(['renamedKey']);

    await renameSettingValue(ctx, renamedSchema, 'endpoint', 'url');
    expect((await readTestValuesFile(dir)).values).toEqual({ url: 'https://e.test' });

    await deleteSettingValue(ctx, renamedSchema.filter((x) => x.name !== 'renamedKey'), 'renamedKey');
    expect(await store.get(await account('renamedKey'))).toBeNull();
    expect((await readTestValuesFile(dir)).secretsSet).toEqual([]);
  });

  it('deleting a function deletes all its secrets', async () => {
    await setTestValue(ctx, SCHEMA, 'apiKey', 'one');
    await setTestValue(ctx, SCHEMA, 'extraSecrets', ['two']);
    await deleteFunctionSecrets(ctx, SCHEMA);
    expect(await store.get(await account('apiKey'))).toBeNull();
    expect(await store.get(await account('extraSecrets'))).toBeNull();
  });

  it('deleting a function whose settings.local.json no longer parses still deletes its secrets (ids and names found in the text)', async () => {
    // a hand edit left a trailing comma: the keychain id and the recorded names survive in the text
    await setTestValue(ctx, SCHEMA, 'apiKey', 'one');
    const apiKeyAccount = await account('apiKey');
    await setTestValue(ctx, SCHEMA, 'extraSecrets', ['two']);
    const extraAccount = await account('extraSecrets');
    // a secret of a setting no longer in the schema: only the file's record names it
    const gone = s('retiredToken', 'STRING', true);
    await setTestValue(ctx, SCHEMA.concat([gone]), 'retiredToken', 'three');
    const retiredAccount = await account('retiredToken');
    writeFileSync(join(dir, TEST_VALUES_FILE), fileText().replace(/\n}\s*$/, ',\n}\n'));
    await expect(readTestValuesFile(dir)).rejects.toThrow();
    await deleteFunctionSecrets(ctx, SCHEMA);
    for (const acct of [apiKeyAccount, extraAccount, retiredAccount]) expect(await store.get(acct)).toBeNull();
  });

  it('a merge conflict in settings.local.json: the secrets under both keychain ids are deleted', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'fnstudio-settings-theirs-'));
    const theirs: FunctionSettingsContext = { functionDir: otherDir, functionId, secretStore: store };
    try {
      await setTestValue(ctx, SCHEMA, 'apiKey', 'ours');
      await setTestValue(theirs, SCHEMA, 'apiKey', 'theirs');
      const oursAccount = await account('apiKey');
      const theirsAccount = secretKey(functionId, 'apiKey', (await readTestValuesFile(otherDir)).keychainId);
      expect(theirsAccount).not.toBe(oursAccount);
      const theirsText = readFileSync(join(otherDir, TEST_VALUES_FILE), 'utf8');
      writeFileSync(join(dir, TEST_VALUES_FILE), `<<<<<<< HEAD\n${fileText()}=======\n${theirsText}>>>>>>> branch\n`);
      await deleteFunctionSecrets(ctx, SCHEMA);
      expect(await store.get(oursAccount)).toBeNull();
      expect(await store.get(theirsAccount)).toBeNull();
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('diffSettings tells renames from deletions and notices encryption changes', () => {
    const before = [s('a', 'STRING'), s('b', 'STRING', true), s('c', 'BOOLEAN'), s('d', 'STRING')];
    const after = [s('a2', 'STRING'), s('b', 'STRING', false), s('c2', 'STRING'), s('e', 'STRING', true)];
    const change = diffSettings(before, after);
    expect(change.renamed).toEqual([{ from: 'a', to: 'a2' }, { from: 'd', to: 'e' }]);
    // c → c2 changed type too: a new setting, so c's value is deleted rather than moved.
    expect(change.deleted).toEqual(['c']);
    expect(change.unencrypted).toEqual(['b']);
    expect(change.encrypted).toEqual(['e']);
    expect(diffSettings(before, [...before].reverse())).toEqual({ renamed: [], deleted: [], unencrypted: [], encrypted: [] });
  });

  it('reconcileSettingsChange applies a schema edit to the stored values', async () => {
    const before = [s('token', 'STRING', true), s('plain', 'STRING'), s('gone', 'STRING', true), s('toSecret', 'STRING')];
    await setTestValue(ctx, before, 'token', 'tok-123456');
    await setTestValue(ctx, before, 'plain', 'p');
    await setTestValue(ctx, before, 'gone', 'gone-secret');
    await setTestValue(ctx, before, 'toSecret', 'was-plaintext');
    const after = [s('apiKey', 'STRING', true), s('plain', 'STRING'), s('toSecret', 'STRING', true)];
    const change = await reconcileSettingsChange(ctx, before, after);
    expect(change).toEqual({ renamed: [{ from: 'token', to: 'apiKey' }], deleted: ['gone'], unencrypted: [], encrypted: ['toSecret'] });
    expect(await store.get(await account('apiKey'))).toBe('tok-123456');
    expect(await store.get(await account('token'))).toBeNull();
    expect(await store.get(await account('gone'))).toBeNull();
    expect(await store.get(await account('toSecret'))).toBe('was-plaintext');
    expect(fileText()).not.toContain('was-plaintext');
    expect(JSON.parse(fileText())).toEqual({ values: { plain: 'p' }, secretsSet: ['apiKey', 'toSecret'], keychainId: expect.any(String) });
    await deleteFunctionSecrets(ctx, after);
  });

  it('a setting that stops being encrypted loses its secret instead of exposing it', async () => {
    const before = [s('token', 'STRING', true)];
    await setTestValue(ctx, before, 'token', 'never-plaintext');
    await reconcileSettingsChange(ctx, before, [s('token', 'STRING', false)]);
    expect(await store.get(await account('token'))).toBeNull();
    expect(fileText()).not.toContain('never-plaintext');
  });
});

describe('createSettingsService', () => {
  it('implements the contract over a locator', async () => {
    const service = createSettingsService({
      secretStore: store,
      locate: async (id) => {
        if (id !== functionId) throw Object.assign(new Error(`no function ${id}`), { name: 'NotFound' });
        return { functionDir: dir, schema: SCHEMA };
      },
    });
    await service.setTestValue(functionId, 'apiKey', 'svc-secret');
    await service.setTestValue(functionId, 'tags', ['x']);
    const got = await service.getTestValues(functionId);
    expect(got.values).toEqual({ tags: ['x'] });
    expect(got.secretsSet).toEqual({ apiKey: true, extraSecrets: false });
    expect(await service.revealSecret(functionId, 'apiKey')).toBe('svc-secret');
    await expect(service.getTestValues('other')).rejects.toThrow('no function other');
  });
});
