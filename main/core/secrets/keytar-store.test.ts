import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from './keytar-store';
import { runKeyringScenario, requireSessionBus } from './private-keyring.testkit';
import { KeychainLockedError, KeychainUnavailableError, secretKey } from './secret-store';

// A service name of our own so parallel test files never see each other's entries.
const SERVICE = `fnstudio-test-${randomBytes(4).toString('hex')}`;

describe('KeytarSecretStore on the real keychain (session D-Bus, unlocked gnome-keyring)', () => {
  const store = new KeytarSecretStore({ service: SERVICE });
  const used = new Set<string>();
  const key = (name: string) => {
    const k = secretKey('store-test', name);
    used.add(k);
    return k;
  };

  beforeAll(() => requireSessionBus());
  afterAll(async () => {
    for (const k of used) await store.delete(k).catch(() => undefined);
  });

  it('reports the keychain as available', async () => {
    expect(await store.available()).toEqual({ available: true });
  });

  it('sets, gets, overwrites and deletes a secret', async () => {
    const k = key('apiKey');
    expect(await store.get(k)).toBeNull();
    await store.set(k, 'first-värde ✓');
    expect(await store.get(k)).toBe('first-värde ✓');
    await store.set(k, 'second');
    expect(await store.get(k)).toBe('second');
    expect(await store.delete(k)).toBe(true);
    expect(await store.get(k)).toBeNull();
    expect(await store.delete(k)).toBe(false);
  });

  it('moves a secret to a new key (rename) and reports a missing source', async () => {
    const from = key('oldName');
    const to = key('newName');
    await store.set(from, 'moving-value');
    expect(await store.move(from, to)).toBe(true);
    expect(await store.get(from)).toBeNull();
    expect(await store.get(to)).toBe('moving-value');
    expect(await store.move(key('neverSet'), key('elsewhere'))).toBe(false);
  });

  it('keeps different functions and settings apart', async () => {
    const a = secretKey('fn-a', 'token');
    const b = secretKey('fn-b', 'token');
    used.add(a).add(b);
    await store.set(a, 'value-a');
    await store.set(b, 'value-b');
    expect(await store.get(a)).toBe('value-a');
    expect(await store.get(b)).toBe('value-b');
  });

  it('rejects keys that are not <function id>/<setting name>', () => {
    expect(() => secretKey('../etc', 'x')).toThrow(/function id/);
    expect(() => secretKey('fn', 'not an identifier')).toThrow(/setting name/);
  });
});

describe('KeytarSecretStore without a usable keychain', () => {
  it('turns a native module that fails to load into a clear problem', async () => {
    const store = new KeytarSecretStore({
      service: SERVICE,
      load: () => Promise.reject(new Error('Cannot find module keytar.node')),
    });
    expect(await store.available()).toEqual({
      available: false,
      problem: 'keychain unavailable: the keytar native module could not be loaded (Cannot find module keytar.node)',
    });
    await expect(store.get('fn/x')).rejects.toBeInstanceOf(KeychainUnavailableError);
    await expect(store.set('fn/x', 'v')).rejects.toThrow(/keychain unavailable/);
  });

  it('reports "keychain unavailable" when there is no D-Bus session (real keytar in a child process)', async () => {
    const result = await runKeyringScenario(
      `
      import { KeytarSecretStore } from './keytar-store';
      (async () => {
        const store = new KeytarSecretStore({ service: 'fnstudio-nobus' });
        const status = await store.available();
        const errors: Record<string, { name: string; reason: string; message: string }> = {};
        for (const [op, run] of Object.entries({
          get: () => store.get('fn/apiKey'),
          set: () => store.set('fn/apiKey', 'v'),
          delete: () => store.delete('fn/apiKey'),
        })) {
          try { await run(); errors[op] = { name: 'none', reason: '', message: '' }; }
          catch (e: any) { errors[op] = { name: e.name, reason: e.reason, message: e.message }; }
        }
        report({ status, errors });
      })();
      `,
      'no-bus',
      __dirname,
    );
    expect(result.code, result.stderr).toBe(0);
    const report = result.report as {
      status: { available: boolean; problem: string };
      errors: Record<string, { name: string; reason: string; message: string }>;
    };
    expect(report.status.available).toBe(false);
    expect(report.status.problem).toMatch(/^keychain unavailable: could not write a test entry \(.*connect/i);
    for (const op of ['get', 'set', 'delete']) {
      expect(report.errors[op].name).toBe('KeychainUnavailable');
      expect(report.errors[op].reason).toBe('unavailable');
      expect(report.errors[op].message).toMatch(/keychain unavailable/);
    }
  });

  it('reports "keychain locked" and never returns a stored value as empty silently on write (real locked gnome-keyring)', async () => {
    const result = await runKeyringScenario(
      `
      import { KeytarSecretStore } from './keytar-store';
      (async () => {
        const store = new KeytarSecretStore({ service: 'fnstudio-locked' });
        const before = await store.available();
        await store.set('fn/apiKey', 'secret-before-lock');
        const readBefore = await store.get('fn/apiKey');
        lockKeyring();
        const after = await store.available();
        const readAfter = await store.get('fn/apiKey');
        let setError: any = null;
        try { await store.set('fn/other', 'v'); } catch (e: any) { setError = { name: e.name, reason: e.reason, message: e.message }; }
        let moveError: any = null;
        try { await store.move('fn/apiKey', 'fn/renamed'); } catch (e: any) { moveError = { name: e.name, message: e.message }; }
        report({ before, readBefore, after, readAfter, setError, moveError });
      })();
      `,
      'unlocked',
      __dirname,
    );
    expect(result.code, result.stderr).toBe(0);
    const r = result.report as {
      before: { available: boolean };
      readBefore: string;
      after: { available: boolean; problem: string };
      readAfter: string | null;
      setError: { name: string; reason: string; message: string } | null;
      moveError: unknown;
    };
    expect(r.before).toEqual({ available: true });
    expect(r.readBefore).toBe('secret-before-lock');
    expect(r.after.available).toBe(false);
    expect(r.after.problem).toMatch(/^keychain locked: could not write a test entry \(.*locked/);
    // This is keytar's silent null on a locked keyring: callers that know the secret is set
    // (settings/secrets-index) must turn it into an error, which the settings tests cover.
    expect(r.readAfter).toBeNull();
    expect(r.setError).toMatchObject({ name: 'KeychainUnavailable', reason: 'locked' });
    expect(r.setError?.message).toMatch(/^keychain locked/);
    // move reads null on a locked keyring and so reports "nothing to move"; it never writes an empty value.
    expect(r.moveError).toBeNull();
  });

  it('exposes locked as a subclass of unavailable', () => {
    const err = new KeychainLockedError('keychain locked: x');
    expect(err).toBeInstanceOf(KeychainUnavailableError);
    expect(err.name).toBe('KeychainUnavailable');
    expect(err.reason).toBe('locked');
  });
});
