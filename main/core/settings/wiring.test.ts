import { secretAccount } from './function-settings';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionSetting } from '../../contract/function';
import { KeytarSecretStore } from '../secrets/keytar-store';
import { requireSessionBus } from '../secrets/private-keyring.testkit';
import type { KeychainStatus, SecretStore } from '../secrets/secret-store';
import { defaultResourcesDir } from '../resources-dir';
import { createTemplates } from '../templates';
import { LocalWorkspace } from '../workspace';
import { InvalidSettingsError } from './resolve';
import { createRunSettingsResolver, createWorkspaceSettingsService, withSettingsLifecycle } from './wiring';

const SERVICE = `fnstudio-test-${randomBytes(4).toString('hex')}`;
const store = new KeytarSecretStore({ service: SERVICE });

const s = (name: string, opts: Partial<FunctionSetting> = {}): FunctionSetting => ({
  name,
  label: name,
  description: '',
  type: 'STRING',
  required: false,
  sensitive: false,
  ...opts,
});

let root: string;
let workspace: LocalWorkspace;

beforeAll(() => requireSessionBus());
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'fnstudio-wiring-'));
  workspace = new LocalWorkspace({ root, templates: createTemplates(path.join(defaultResourcesDir(), 'templates')) });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A real keychain that reports itself locked, to check nothing changes before refusing. */
class ReportsLocked implements SecretStore {
  constructor(private readonly inner: SecretStore) {}
  get = (k: string) => this.inner.get(k);
  set = (k: string, v: string) => this.inner.set(k, v);
  delete = (k: string) => this.inner.delete(k);
  move = (a: string, b: string) => this.inner.move(a, b);
  async available(): Promise<KeychainStatus> {
    return { available: false, problem: 'keychain locked: could not write a test entry (Cannot create an item in a locked collection)' };
  }
}

describe('settings wired into the workspace (real LocalWorkspace, real keychain)', () => {
  it('renaming an encrypted setting through updateMeta moves its secret; deleting the function deletes it', async () => {
    const functions = withSettingsLifecycle(workspace, workspace, store);
    const settings = createWorkspaceSettingsService(workspace, store);
    const fn = await functions.create({ displayName: 'Wired', templateId: 'default' });
    await functions.updateMeta(fn.id, { settings: [s('token', { sensitive: true, required: true }), s('url')] });
    await settings.setTestValue(fn.id, 'token', 'tok-wired-secret');
    await settings.setTestValue(fn.id, 'url', 'https://u.test');

    const updated = await functions.updateMeta(fn.id, { settings: [s('apiToken', { sensitive: true, required: true }), s('url')] });
    expect(updated.settings.map((x) => x.name)).toEqual(['apiToken', 'url']);
    expect(await settings.revealSecret(fn.id, 'apiToken')).toBe('tok-wired-secret');
    expect(await store.get(await secretAccount(path.join(root, fn.id), fn.id, 'token'))).toBeNull();

    const resolve = createRunSettingsResolver(workspace, store);
    expect(await resolve(fn.id, await workspace.readMeta(fn.id))).toEqual({
      values: { apiToken: 'tok-wired-secret', url: 'https://u.test' },
      secrets: ['tok-wired-secret'],
    });

    await functions.delete(fn.id);
    expect(existsSync(workspace.functionDir(fn.id))).toBe(false);
    expect(await store.get(await secretAccount(path.join(root, fn.id), fn.id, 'apiToken'))).toBeNull();
  });

  it('the run resolver refuses a missing required setting with InvalidSettingsError', async () => {
    const functions = withSettingsLifecycle(workspace, workspace, store);
    const fn = await functions.create({ displayName: 'Needs key', templateId: 'default' });
    await functions.updateMeta(fn.id, { settings: [s('apiKey', { label: 'API Key', sensitive: true, required: true })] });
    const resolve = createRunSettingsResolver(workspace, store);
    await expect(resolve(fn.id, await workspace.readMeta(fn.id))).rejects.toThrow(InvalidSettingsError);
    await expect(resolve(fn.id, await workspace.readMeta(fn.id))).rejects.toThrow('Missing required setting "API Key" (apiKey)');
  });

  it('refuses a settings change that touches secrets while the keychain is locked, changing nothing', async () => {
    const fn = await workspace.create({ displayName: 'Locked', templateId: 'default' });
    await workspace.updateMeta(fn.id, { settings: [s('token', { sensitive: true })] });
    await createWorkspaceSettingsService(workspace, store).setTestValue(fn.id, 'token', 'stays-put');
    const functions = withSettingsLifecycle(workspace, workspace, new ReportsLocked(store));
    await expect(functions.updateMeta(fn.id, { settings: [s('renamed', { sensitive: true })] })).rejects.toThrow(
      /^keychain locked: .*nothing was changed/,
    );
    expect((await workspace.readMeta(fn.id)).settings.map((x) => x.name)).toEqual(['token']);
    expect(await store.get(await secretAccount(path.join(root, fn.id), fn.id, 'token'))).toBe('stays-put');
    // Changes that do not touch secrets still go through.
    await functions.updateMeta(fn.id, { settings: [s('token', { sensitive: true }), s('plain')] });
    await functions.delete(fn.id).catch(() => undefined);
    await store.delete(await secretAccount(path.join(root, fn.id), fn.id, 'token'));
  });

  it('a function with a corrupt function.json can still be deleted, and its recorded secrets go too', async () => {
    const functions = withSettingsLifecycle(workspace, workspace, store);
    const fn = await functions.create({ displayName: 'Corrupt', templateId: 'default' });
    await functions.updateMeta(fn.id, { settings: [s('token', { sensitive: true })] });
    await createWorkspaceSettingsService(workspace, store).setTestValue(fn.id, 'token', 'corrupt-secret');
    writeFileSync(path.join(workspace.functionDir(fn.id), 'function.json'), '{ broken');
    await functions.delete(fn.id);
    expect(await store.get(await secretAccount(path.join(root, fn.id), fn.id, 'token'))).toBeNull();
    expect(existsSync(workspace.functionDir(fn.id))).toBe(false);
  });
});
