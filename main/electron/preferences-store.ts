/**
 * Preferences in Electron live in electron-store (the app's userData folder). The
 * adapter works on anything with conf's get/set, so it is tested with `conf` itself
 * (electron-store's Node base) in plain Node; electron-store is ESM-only and imports
 * electron, hence the dynamic import inside the Electron-only opener.
 */
import type { Preferences } from '../contract/function';
import { defaultPreferences, sanitizePreferences, type PreferencesStore } from '../core/preferences-service';

/** The slice of conf / electron-store this adapter uses. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export const PREFERENCES_KEY = 'preferences';

export function preferencesStoreOn(kv: KeyValueStore): PreferencesStore {
  return {
    async read(): Promise<Preferences> {
      // A hand-edited or older file must not stop the app: bad values fall back to defaults.
      return sanitizePreferences(kv.get(PREFERENCES_KEY) ?? defaultPreferences());
    },
    async write(preferences: Preferences): Promise<void> {
      kv.set(PREFERENCES_KEY, structuredClone(preferences));
    },
  };
}

/** Opens `preferences.json` in Electron's userData folder (or `cwd`). Electron main process only. */
export async function openElectronPreferencesStore(options: { cwd?: string } = {}): Promise<PreferencesStore> {
  const { default: ElectronStore } = await import('electron-store');
  const store = new ElectronStore<Record<string, unknown>>({
    name: 'preferences',
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    clearInvalidConfig: false,
  });
  return preferencesStoreOn(store);
}
