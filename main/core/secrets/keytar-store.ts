/**
 * SecretStore on the OS keychain through keytar (libsecret / Keychain / Credential Vault).
 * keytar is a native module loaded on first use, so a missing or broken build, or a
 * machine without a Secret Service, becomes a clear "keychain unavailable" problem
 * instead of a crash at startup.
 */
import { randomBytes } from 'node:crypto';
import {
  KeychainLockedError,
  KeychainUnavailableError,
  type KeychainStatus,
  type SecretStore,
} from './secret-store';

/** The part of keytar's API used here. findCredentials is deliberately absent: on a locked
 * GNOME keyring it crashes the process (libsecret hands it a null value). */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarSecretStoreOptions {
  /** Keychain service name; default 'fnstudio'. Tests use their own. */
  service?: string;
  /** Loads keytar; replaceable to simulate a missing native module. */
  load?: () => Promise<KeytarApi>;
  /** A keychain that does not answer within this time counts as unavailable; default 15000. */
  timeoutMs?: number;
}

const PROBE_ACCOUNT = 'fnstudio-availability-probe';

export class KeytarSecretStore implements SecretStore {
  readonly service: string;
  private readonly load: () => Promise<KeytarApi>;
  private readonly timeoutMs: number;
  private loaded: Promise<KeytarApi> | null = null;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.service = options.service ?? 'fnstudio';
    this.load = options.load ?? loadKeytar;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async get(key: string): Promise<string | null> {
    const keytar = await this.keytar();
    return this.call('read', () => keytar.getPassword(this.service, key));
  }

  async set(key: string, value: string): Promise<void> {
    if (typeof value !== 'string') throw new TypeError('secret value must be a string');
    const keytar = await this.keytar();
    await this.call('write', () => keytar.setPassword(this.service, key, value));
    // A keychain that accepts a write it cannot read back is not one to trust.
    const stored = await this.call('read', () => keytar.getPassword(this.service, key));
    if (stored !== value) {
      throw new KeychainLockedError('keychain locked: a secret was written but could not be read back; unlock the keyring and try again');
    }
  }

  async delete(key: string): Promise<boolean> {
    const keytar = await this.keytar();
    return this.call('delete', () => keytar.deletePassword(this.service, key));
  }

  async move(from: string, to: string): Promise<boolean> {
    if (from === to) return (await this.get(from)) !== null;
    const value = await this.get(from);
    if (value === null) return false;
    await this.set(to, value);
    await this.delete(from);
    return true;
  }

  async available(): Promise<KeychainStatus> {
    try {
      const keytar = await this.keytar();
      // A probe entry of its own, so concurrent probes (app + CLI) cannot read each other's.
      const probe = `${process.pid}-${randomBytes(6).toString('hex')}`;
      const account = `${PROBE_ACCOUNT}/${probe}`;
      await this.call('write', () => keytar.setPassword(this.service, account, probe), 'a test entry');
      const read = await this.call('read', () => keytar.getPassword(this.service, account), 'a test entry');
      await this.call('delete', () => keytar.deletePassword(this.service, account), 'a test entry');
      if (read !== probe) {
        return { available: false, problem: 'keychain locked: it accepted a write but returned nothing on reading it back' };
      }
      return { available: true };
    } catch (err) {
      return { available: false, problem: err instanceof Error ? err.message : String(err) };
    }
  }

  private keytar(): Promise<KeytarApi> {
    if (!this.loaded) {
      this.loaded = this.load().catch((err: unknown) => {
        // Not cached: a module that failed to load stays failed, but report it every time.
        this.loaded = null;
        throw new KeychainUnavailableError(`keychain unavailable: the keytar native module could not be loaded (${describe(err)})`);
      });
    }
    return this.loaded;
  }

  /** `what` names the entry in messages: the availability probe's is not a user's secret. */
  private async call<T>(action: 'read' | 'write' | 'delete', fn: () => Promise<T>, what = 'a secret'): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KeychainUnavailableError(`keychain unavailable: no answer to a ${action} within ${Math.round(this.timeoutMs / 1000)} s`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      throw toKeychainError(err, action, what);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Classifies keytar's raw errors (plain Error with the backend's message). */
export function toKeychainError(err: unknown, action: string, what = 'a secret'): KeychainUnavailableError {
  if (err instanceof KeychainUnavailableError) return err;
  const message = describe(err);
  if (/locked|interaction is not allowed|user canceled/i.test(message)) {
    return new KeychainLockedError(`keychain locked: could not ${action} ${what} (${message}); unlock the keyring and try again`);
  }
  return new KeychainUnavailableError(`keychain unavailable: could not ${action} ${what} (${message})`);
}

async function loadKeytar(): Promise<KeytarApi> {
  const mod: unknown = await import('keytar');
  const api = (isKeytarApi(mod) ? mod : (mod as { default?: unknown }).default);
  if (!isKeytarApi(api)) throw new Error('keytar loaded but does not export getPassword/setPassword/deletePassword');
  return api;
}

function isKeytarApi(value: unknown): value is KeytarApi {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const v = value as Record<string, unknown>;
  return typeof v.getPassword === 'function' && typeof v.setPassword === 'function' && typeof v.deletePassword === 'function';
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
