/**
 * Preferences on disk under plain Node (web host, CLI) through `conf`, the Node base of
 * electron-store, so both hosts keep the same JSON file format. `conf` is ESM-only and
 * this code compiles to CommonJS, hence the dynamic import.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Preferences } from '../../contract/function';
import { METHODS } from '../../contract/methods';
import { sanitizePreferences, type PreferencesStore } from '../preferences-service';

/** The part of conf's API used here. */
interface ConfLike {
  store: Record<string, unknown>;
  readonly path: string;
}

const PREFERENCES_FILE_NAME = 'preferences';

export interface ConfPreferencesStoreOptions {
  /** Folder of the preferences file (created when missing), e.g. defaultPreferencesDir(). */
  dir: string;
  /** File name without `.json`; default 'preferences'. */
  configName?: string;
}

export class ConfPreferencesStore implements PreferencesStore {
  readonly dir: string;
  readonly configName: string;
  private conf: Promise<ConfLike> | null = null;

  constructor(options: ConfPreferencesStoreOptions) {
    if (typeof options.dir !== 'string' || options.dir.trim() === '') {
      throw new TypeError('ConfPreferencesStore: "dir" must be a non-empty folder path');
    }
    this.dir = path.resolve(options.dir);
    this.configName = options.configName ?? PREFERENCES_FILE_NAME;
  }

  /** Full path of the JSON file. */
  get file(): string {
    return path.join(this.dir, `${this.configName}.json`);
  }

  /**
   * Stored preferences; values that are missing or invalid (hand edits, an older version)
   * fall back to their defaults, and an unparsable file reads as all defaults.
   */
  async read(): Promise<Preferences> {
    const conf = await this.open();
    return sanitizePreferences(conf.store);
  }

  /** Rejects, naming the field, a value the contract does not allow. */
  async write(preferences: Preferences): Promise<void> {
    METHODS['preferences.set']([preferences]);
    const conf = await this.open();
    conf.store = { ...preferences, paneSizes: { ...preferences.paneSizes } };
  }

  private open(): Promise<ConfLike> {
    if (!this.conf) {
      this.conf = (async () => {
        const { default: Conf } = await import('conf');
        return new Conf<Record<string, unknown>>({
          cwd: this.dir,
          configName: this.configName,
          // A corrupt file must not keep the app from starting; defaults stand in and the
          // next write replaces it.
          clearInvalidConfig: true,
          // Preferences hold paths; nobody else needs to read them.
          configFileMode: 0o600,
        });
      })();
      this.conf.catch(() => {
        this.conf = null;
      });
    }
    return this.conf;
  }
}

/**
 * Where preferences live by default: `$XDG_CONFIG_HOME/fnstudio` (else `~/.config/fnstudio`)
 * on Linux, `~/Library/Application Support/fnstudio` on macOS, `%APPDATA%\fnstudio` on Windows.
 */
export function defaultPreferencesDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'fnstudio');
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'fnstudio');
  const xdg = env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config'), 'fnstudio');
}
