/**
 * PreferencesService over a replaceable store. Helper F's conf-backed store and
 * Electron's electron-store adapter implement the same PreferencesStore shape.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PreferencesService } from '../contract/api';
import type { Preferences } from '../contract/function';
import { METHODS } from '../contract/methods';
import { isPlainObject } from '../contract/checks';
import { writeFileAtomic } from './atomic-write';
import { parseJsonText } from './json-file';

export interface PreferencesStore {
  read(): Promise<Preferences>;
  write(preferences: Preferences): Promise<void>;
}

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  theme: 'system',
  workspacePath: '',
  lastFunctionId: null,
  paneSizes: {},
  defaultTimeoutMs: 5000,
});

export function defaultPreferences(): Preferences {
  return { ...DEFAULT_PREFERENCES, paneSizes: {} };
}

/** Keeps each stored value that is valid and falls back to the default for the rest. */
export function sanitizePreferences(value: unknown): Preferences {
  const result = defaultPreferences();
  if (!isPlainObject(value)) return result;
  for (const key of Object.keys(result) as Array<keyof Preferences>) {
    if (value[key] === undefined) continue;
    try {
      METHODS['preferences.set']([{ [key]: value[key] }]);
      (result as unknown as Record<string, unknown>)[key] = value[key];
    } catch {
      // A bad stored value must not stop the app from starting; the default stands in.
    }
  }
  return result;
}

export class MemoryPreferencesStore implements PreferencesStore {
  private value: Preferences;
  constructor(initial: Partial<Preferences> = {}) {
    this.value = { ...defaultPreferences(), ...initial };
  }
  async read(): Promise<Preferences> {
    return structuredClone(this.value);
  }
  async write(preferences: Preferences): Promise<void> {
    this.value = structuredClone(preferences);
  }
}

/** A small JSON file store until a conf-backed one is wired in. */
export class JsonFilePreferencesStore implements PreferencesStore {
  constructor(readonly file: string) {}
  async read(): Promise<Preferences> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return defaultPreferences();
      throw err;
    }
    try {
      return sanitizePreferences(parseJsonText(text, this.file));
    } catch {
      return defaultPreferences();
    }
  }
  async write(preferences: Preferences): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(preferences, null, 2)}\n`);
  }
}

export function createPreferencesService(store: PreferencesStore): PreferencesService {
  // Serialised so two quick `set`s from the UI (pane drags) do not lose each other's keys.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    async get() {
      return sanitizePreferences(await store.read());
    },
    set(patch) {
      const next = queue.then(async () => {
        METHODS['preferences.set']([patch]);
        const merged: Preferences = { ...sanitizePreferences(await store.read()), ...patch };
        if (patch.paneSizes) merged.paneSizes = { ...patch.paneSizes };
        await store.write(merged);
        return merged;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
