import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createPreferencesService, defaultPreferences } from '../core/preferences-service';
import { PREFERENCES_KEY, preferencesStoreOn, type KeyValueStore } from './preferences-store';

let dir: string;

async function openConf(): Promise<KeyValueStore> {
  // conf is electron-store's Node base class: same get/set and file format.
  const { default: Conf } = await import('conf');
  return new Conf<Record<string, unknown>>({ cwd: dir, configName: 'preferences' });
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fnstudio-prefs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('preferences over a conf-style store', () => {
  it('reads defaults from an empty store', async () => {
    expect(await preferencesStoreOn(await openConf()).read()).toEqual(defaultPreferences());
  });

  it('persists through the preferences service to the file and back', async () => {
    const service = createPreferencesService(preferencesStoreOn(await openConf()));
    const saved = await service.set({ theme: 'dark', paneSizes: { left: 240 } });
    expect(saved).toMatchObject({ theme: 'dark', paneSizes: { left: 240 } });
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'preferences.json'), 'utf8'));
    expect(onDisk[PREFERENCES_KEY]).toMatchObject({ theme: 'dark', paneSizes: { left: 240 } });
    // A fresh store instance (next app start) sees the same values.
    expect(await createPreferencesService(preferencesStoreOn(await openConf())).get()).toEqual(saved);
  });

  it('falls back to defaults for invalid stored values without losing valid ones', async () => {
    writeFileSync(
      path.join(dir, 'preferences.json'),
      JSON.stringify({ [PREFERENCES_KEY]: { theme: 'neon', defaultTimeoutMs: 2000, lastFunctionId: 42 } }),
    );
    const prefs = await preferencesStoreOn(await openConf()).read();
    expect(prefs.theme).toBe('system');
    expect(prefs.defaultTimeoutMs).toBe(2000);
    expect(prefs.lastFunctionId).toBeNull();
  });

  it('rejects bad patches with an error naming the problem and keeps the file', async () => {
    const service = createPreferencesService(preferencesStoreOn(await openConf()));
    await service.set({ theme: 'light' });
    await expect(service.set({ theme: 'neon' as 'light' })).rejects.toThrow(/theme/);
    expect((await service.get()).theme).toBe('light');
  });
});
