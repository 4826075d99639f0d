import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Preferences } from '../../contract/function';
import { createPreferencesService, defaultPreferences } from '../preferences-service';
import { ConfPreferencesStore, defaultPreferencesDir } from './conf-store';

let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fnstudio-prefs-'));
  dir = join(root, 'config', 'fnstudio');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sample: Preferences = {
  theme: 'dark',
  workspacePath: '/home/me/functions',
  lastFunctionId: 'my-function',
  paneSizes: { editor: 0.6, output: 0.4 },
  defaultTimeoutMs: 8000,
};

describe('ConfPreferencesStore (real conf, real files)', () => {
  it('reads defaults when nothing is stored yet', async () => {
    const store = new ConfPreferencesStore({ dir });
    expect(await store.read()).toEqual({
      theme: 'system',
      workspacePath: '',
      lastFunctionId: null,
      paneSizes: {},
      defaultTimeoutMs: 5000,
    });
  });

  it('writes a JSON file in the given folder that a new store (next start) reads back', async () => {
    await new ConfPreferencesStore({ dir }).write(sample);
    const file = join(dir, 'preferences.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(sample);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(await new ConfPreferencesStore({ dir }).read()).toEqual(sample);
  });

  it('sees changes made to the file by someone else', async () => {
    const store = new ConfPreferencesStore({ dir });
    await store.write(sample);
    writeFileSync(join(dir, 'preferences.json'), JSON.stringify({ ...sample, theme: 'light' }));
    expect((await store.read()).theme).toBe('light');
  });

  it('replaces invalid stored values with defaults, keeping the valid ones', async () => {
    const store = new ConfPreferencesStore({ dir });
    await store.write(sample);
    writeFileSync(
      join(dir, 'preferences.json'),
      JSON.stringify({ theme: 'purple', workspacePath: '/w', lastFunctionId: '../escape', paneSizes: { a: 'wide' }, defaultTimeoutMs: -1 }),
    );
    expect(await store.read()).toEqual({ ...defaultPreferences(), workspacePath: '/w' });
  });

  it('reads an unparsable file as defaults, and the next write repairs it', async () => {
    const store = new ConfPreferencesStore({ dir });
    await store.write(sample);
    writeFileSync(join(dir, 'preferences.json'), '{"theme": "dark",');
    expect(await store.read()).toEqual(defaultPreferences());
    await store.write(sample);
    expect(await new ConfPreferencesStore({ dir }).read()).toEqual(sample);
  });

  it('refuses to write invalid preferences, naming the field', async () => {
    const store = new ConfPreferencesStore({ dir });
    await expect(store.write({ ...sample, theme: 'purple' as never })).rejects.toThrow(/theme.*must be one of "system", "light", "dark"/);
    await expect(store.write({ ...sample, defaultTimeoutMs: 0 })).rejects.toThrow(/defaultTimeoutMs.*must be between 1 and/);
    expect(existsSync(join(dir, 'preferences.json'))).toBe(false);
  });

  it('rejects a missing folder option clearly', () => {
    expect(() => new ConfPreferencesStore({ dir: '' })).toThrow('ConfPreferencesStore: "dir" must be a non-empty folder path');
  });

  it('backs the PreferencesService: patches merge, bad patches are refused with a clear error', async () => {
    const service = createPreferencesService(new ConfPreferencesStore({ dir }));
    await service.set({ theme: 'light' });
    await Promise.all([service.set({ paneSizes: { left: 0.25 } }), service.set({ lastFunctionId: 'abc' })]);
    expect(await service.get()).toEqual({ ...defaultPreferences(), theme: 'light', paneSizes: { left: 0.25 }, lastFunctionId: 'abc' });
    await expect(service.set({ defaultTimeoutMs: 'soon' as never })).rejects.toThrow(/defaultTimeoutMs.*must be an integer/);
    expect(await new ConfPreferencesStore({ dir }).read()).toMatchObject({ theme: 'light', lastFunctionId: 'abc' });
  });
});

describe('defaultPreferencesDir', () => {
  it('follows XDG on Linux and the platform conventions elsewhere', () => {
    expect(defaultPreferencesDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/u')).toBe('/x/cfg/fnstudio');
    expect(defaultPreferencesDir({}, 'linux', '/home/u')).toBe('/home/u/.config/fnstudio');
    expect(defaultPreferencesDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.config/fnstudio');
    expect(defaultPreferencesDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/fnstudio');
  });
});
