import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPreferencesService, DEFAULT_PREFERENCES, JsonFilePreferencesStore, MemoryPreferencesStore, sanitizePreferences } from './preferences-service';
import { resolveWorkspaceRoot } from './workspace-location';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-prefs-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('PreferencesService', () => {
  it('starts from defaults and merges patches', async () => {
    const prefs = createPreferencesService(new MemoryPreferencesStore());
    expect(await prefs.get()).toEqual(DEFAULT_PREFERENCES);
    await prefs.set({ theme: 'dark' });
    const after = await prefs.set({ paneSizes: { left: 240 } });
    expect(after).toEqual({ ...DEFAULT_PREFERENCES, theme: 'dark', paneSizes: { left: 240 } });
  });

  it('does not lose concurrent patches', async () => {
    const prefs = createPreferencesService(new JsonFilePreferencesStore(path.join(tmp, 'p.json')));
    await Promise.all([prefs.set({ theme: 'light' }), prefs.set({ defaultTimeoutMs: 1234 }), prefs.set({ lastFunctionId: 'abc' })]);
    expect(await prefs.get()).toMatchObject({ theme: 'light', defaultTimeoutMs: 1234, lastFunctionId: 'abc' });
  });

  it('rejects bad patches naming the field, and keeps the stored value', async () => {
    const prefs = createPreferencesService(new MemoryPreferencesStore());
    await expect(prefs.set({ defaultTimeoutMs: -5 })).rejects.toThrow('preferences.set: argument 1 (patch) field "defaultTimeoutMs" must be between 1 and 600000, got -5');
    await expect(prefs.set({ lastFunctionId: '../x' })).rejects.toThrow(/field "lastFunctionId" "..\/x" is not a valid function id/);
    expect((await prefs.get()).defaultTimeoutMs).toBe(5000);
  });

  it('a JSON file store survives a corrupt file and writes atomically', async () => {
    const file = path.join(tmp, 'sub', 'p.json');
    const store = new JsonFilePreferencesStore(file);
    await fs.mkdir(path.dirname(file));
    await fs.writeFile(file, '{ broken');
    expect(await store.read()).toEqual(DEFAULT_PREFERENCES);
    await createPreferencesService(store).set({ theme: 'dark' });
    expect(JSON.parse(await fs.readFile(file, 'utf8')).theme).toBe('dark');
    expect(await fs.readdir(path.dirname(file))).toEqual(['p.json']);
  });

  it('sanitize keeps valid stored values and replaces invalid ones', () => {
    expect(sanitizePreferences({ theme: 'neon', defaultTimeoutMs: 2000, paneSizes: { a: 'x' }, extra: 1 })).toEqual({ ...DEFAULT_PREFERENCES, defaultTimeoutMs: 2000 });
    expect(sanitizePreferences(null)).toEqual(DEFAULT_PREFERENCES);
  });
});

describe('resolveWorkspaceRoot', () => {
  const home = '/home/u';
  it('uses flag, then env, then preference, then ~/fnstudio-functions', () => {
    expect(resolveWorkspaceRoot({ flag: '/f', env: { FNSTUDIO_WORKSPACE: '/e' }, preference: '/p', home })).toBe('/f');
    expect(resolveWorkspaceRoot({ env: { FNSTUDIO_WORKSPACE: '/e' }, preference: '/p', home })).toBe('/e');
    expect(resolveWorkspaceRoot({ env: {}, preference: '/p', home })).toBe('/p');
    expect(resolveWorkspaceRoot({ env: {}, preference: '', home })).toBe('/home/u/fnstudio-functions');
    expect(resolveWorkspaceRoot({ flag: 'rel', env: {}, home, cwd: '/cwd' })).toBe('/cwd/rel');
    expect(resolveWorkspaceRoot({ flag: '~/fns', env: {}, home })).toBe('/home/u/fns');
  });
});
