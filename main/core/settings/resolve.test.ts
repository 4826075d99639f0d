import { secretAccount } from './function-settings';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionSetting } from '../../contract/function';
import { KeytarSecretStore } from '../secrets/keytar-store';
import { requireSessionBus, runKeyringScenario } from '../secrets/private-keyring.testkit';
import { deleteFunctionSecrets, setTestValue, type FunctionSettingsContext } from './function-settings';
import { InvalidSettingsError, invalidSettingsOutcome, resolveSettings } from './resolve';
import { TEST_VALUES_FILE } from './test-values-file';

const SERVICE = `fnstudio-test-${randomBytes(4).toString('hex')}`;
const secretStore = new KeytarSecretStore({ service: SERVICE });

const s = (name: string, type: FunctionSetting['type'], opts: Partial<FunctionSetting> = {}): FunctionSetting => ({
  name,
  label: name,
  description: '',
  type,
  required: false,
  sensitive: false,
  ...opts,
});

const SCHEMA: FunctionSetting[] = [
  s('apiKey', 'STRING', { label: 'API Key', required: true, sensitive: true }),
  s('endpoint', 'STRING', { required: true }),
  s('debug', 'BOOLEAN'),
  s('headers', 'TEXT_MAP'),
  s('tags', 'ARRAY'),
  s('passwords', 'ARRAY', { sensitive: true }),
];

let dir: string;
let functionId: string;
let ctx: FunctionSettingsContext;

beforeAll(() => requireSessionBus());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fnstudio-resolve-'));
  functionId = `fn-${randomBytes(3).toString('hex')}`;
  ctx = { functionDir: dir, functionId, secretStore };
});
afterEach(async () => {
  await deleteFunctionSecrets(ctx, SCHEMA).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const resolve = (overrides?: Record<string, unknown>, schema: FunctionSetting[] | null = SCHEMA) =>
  resolveSettings({ functionDir: dir, functionId, schema, overrides, secretStore });

describe('resolveSettings (real keychain)', () => {
  it('merges test values and keychain secrets, and lists the secrets for redaction', async () => {
    await setTestValue(ctx, SCHEMA, 'apiKey', 'sk_test_abcdef123456');
    await setTestValue(ctx, SCHEMA, 'endpoint', 'https://collect.example.test');
    await setTestValue(ctx, SCHEMA, 'debug', false);
    await setTestValue(ctx, SCHEMA, 'headers', { 'x-team': 'growth' });
    await setTestValue(ctx, SCHEMA, 'passwords', ['pw-one-1234', 'pw-two-5678']);
    expect(await resolve()).toEqual({
      values: {
        apiKey: 'sk_test_abcdef123456',
        endpoint: 'https://collect.example.test',
        debug: false,
        headers: { 'x-team': 'growth' },
        passwords: ['pw-one-1234', 'pw-two-5678'],
      },
      secrets: ['sk_test_abcdef123456', 'pw-one-1234', 'pw-two-5678'],
    });
  });

  it('lets overrides win, and still treats an overridden encrypted setting as secret', async () => {
    await setTestValue(ctx, SCHEMA, 'apiKey', 'stored-secret-value');
    await setTestValue(ctx, SCHEMA, 'endpoint', 'https://stored.test');
    const resolved = await resolve({ apiKey: 'override-secret-value', endpoint: 'https://override.test', extra: 1 });
    expect(resolved.values).toEqual({ apiKey: 'override-secret-value', endpoint: 'https://override.test', extra: 1 });
    expect(resolved.secrets).toEqual(['override-secret-value']);
  });

  it('refuses a missing required setting, naming it', async () => {
    await setTestValue(ctx, SCHEMA, 'endpoint', 'https://e.test');
    const err = await resolve().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidSettingsError);
    expect((err as InvalidSettingsError).message).toBe(
      'Missing required setting "API Key" (apiKey) (encrypted): give it a test value before running',
    );
    expect((err as InvalidSettingsError).setting).toBe('apiKey');
    await expect(resolve({ apiKey: 'x', endpoint: '' })).rejects.toThrow(/Missing required setting "endpoint"/);
  });

  it('refuses a value of the wrong type, naming the setting and the expected type', async () => {
    const base = { apiKey: 'k', endpoint: 'e' };
    await expect(resolve({ ...base, debug: 'yes' })).rejects.toThrow('Setting "debug" must be true or false (BOOLEAN), got a string');
    await expect(resolve({ ...base, tags: 'a,b' })).rejects.toThrow('Setting "tags" must be an array of strings (ARRAY), got a string');
    await expect(resolve({ ...base, headers: { a: 1 } })).rejects.toThrow(
      'Setting "headers" must be an object of string values (TEXT_MAP), got an object whose "a" is number',
    );
    await expect(resolve({ ...base, endpoint: 42 })).rejects.toThrow('Setting "endpoint" must be a string (STRING), got number');
  });

  it('refuses when a secret recorded as set is gone from the keychain, instead of running with it empty', async () => {
    await setTestValue(ctx, SCHEMA, 'apiKey', 'soon-gone');
    await setTestValue(ctx, SCHEMA, 'endpoint', 'e');
    await secretStore.delete(await secretAccount(dir, functionId, 'apiKey'));
    await expect(resolve()).rejects.toThrow(/Encrypted setting "API Key" \(apiKey\) cannot be read: .*keychain has no value/);
  });

  it('reports an unreadable settings.local.json as Invalid Settings', async () => {
    writeFileSync(join(dir, TEST_VALUES_FILE), '[1]');
    await expect(resolve()).rejects.toThrow(/cannot read the test values in settings\.local\.json: .*must contain a JSON object/);
  });

  it('passes overrides through unchecked when there is no schema (bare handler file)', async () => {
    expect(await resolveSettings({ functionDir: null, functionId: 'x', schema: null, overrides: { a: 1 }, secretStore })).toEqual({
      values: { a: 1 },
      secrets: [],
    });
  });

  it('turns the error into an Invalid Settings outcome', () => {
    const outcome = invalidSettingsOutcome(new InvalidSettingsError('Missing required setting "apiKey"', 'apiKey'));
    expect(outcome).toEqual({
      outcome: 'Invalid Settings',
      retryable: false,
      error: {
        name: 'InvalidSettingsError',
        message: 'Missing required setting "apiKey"',
        stack: 'InvalidSettingsError: Missing required setting "apiKey"',
        frames: [],
      },
      logs: [],
      logsTruncated: false,
      requests: [],
      result: null,
      durationMs: 0,
    });
  });
});

const LOCKED_SCENARIO = `
  import { mkdtempSync } from 'node:fs';
  import { join } from 'node:path';
  import { tmpdir } from 'node:os';
  import { KeytarSecretStore } from '../secrets/keytar-store';
  import { setTestValue, getTestValues, revealSecret } from './function-settings';
  import { resolveSettings } from './resolve';
  const schema = [
    { name: 'apiKey', label: 'API Key', description: '', type: 'STRING', required: true, sensitive: true },
    { name: 'optionalSecret', label: 'Optional', description: '', type: 'STRING', required: false, sensitive: true },
  ] as const;
  const capture = async (fn: () => Promise<unknown>) => {
    try { return { ok: await fn() }; } catch (e: any) { return { name: e.name, message: e.message }; }
  };
  (async () => {
    const functionDir = mkdtempSync(join(tmpdir(), 'fn-'));
    const secretStore = new KeytarSecretStore({ service: 'fnstudio-scenario' });
    const ctx = { functionDir, functionId: 'locked-fn', secretStore };
    const input = { functionDir, functionId: 'locked-fn', schema: schema as any, secretStore };
    const out: Record<string, unknown> = {};
    if (process.env.SCENARIO === 'locked') {
      await setTestValue(ctx, schema as any, 'apiKey', 'locked-away-secret');
      out.before = await capture(() => resolveSettings(input));
      lockKeyring();
    } else {
      // As if the secret had been stored earlier, on a session that had a keychain.
      require('node:fs').writeFileSync(join(functionDir, 'settings.local.json'), JSON.stringify({ values: {}, secretsSet: ['apiKey'] }));
    }
    out.resolve = await capture(() => resolveSettings(input));
    out.status = await capture(() => getTestValues(ctx, schema as any));
    out.reveal = await capture(() => revealSecret(ctx, schema as any, 'apiKey'));
    out.set = await capture(() => setTestValue(ctx, schema as any, 'optionalSecret', 'new-value'));
    out.clear = await capture(() => setTestValue(ctx, schema as any, 'apiKey', null));
    out.file = require('node:fs').readFileSync(join(functionDir, 'settings.local.json'), 'utf8');
    report(out);
  })();
`;

describe('resolveSettings when the keychain cannot answer', () => {
  type Captured = { ok?: unknown; name?: string; message?: string };
  type Report = Record<'before' | 'resolve' | 'status' | 'reveal' | 'set' | 'clear', Captured> & { file: string };

  it('locked keyring: runs are refused with Invalid Settings naming the problem; nothing becomes empty', async () => {
    const result = await runKeyringScenario(LOCKED_SCENARIO.replace("process.env.SCENARIO === 'locked'", 'true'), 'unlocked', __dirname);
    expect(result.code, result.stderr).toBe(0);
    const r = result.report as Report;
    expect(r.before.ok).toEqual({ values: { apiKey: 'locked-away-secret' }, secrets: ['locked-away-secret'] });
    expect(r.resolve.name).toBe('InvalidSettingsError');
    expect(r.resolve.message).toMatch(/^Encrypted setting "API Key" \(apiKey\) cannot be read: keychain locked: could not write a test entry \(.*locked.*\); unlock the keyring and try again$/);
    expect(r.status.ok).toMatchObject({ secretsSet: { apiKey: true, optionalSecret: false }, keychain: { available: false } });
    expect((r.status.ok as { keychain: { problem: string } }).keychain.problem).toMatch(/^keychain locked/);
    expect(r.reveal).toMatchObject({ name: 'KeychainUnavailable' });
    expect(r.reveal.message).toMatch(/^keychain locked/);
    expect(r.set).toMatchObject({ name: 'KeychainUnavailable' });
    expect(r.set.message).toMatch(/^keychain locked/);
    expect(r.clear).toMatchObject({ name: 'KeychainUnavailable' });
    // The record still says the secret is set: the keychain still holds it.
    expect(JSON.parse(r.file)).toEqual({ values: {}, secretsSet: ['apiKey'], keychainId: expect.any(String) });
    expect(r.file).not.toContain('locked-away-secret');
  });

  it('no keychain at all: runs are refused with Invalid Settings naming the problem', async () => {
    const result = await runKeyringScenario(LOCKED_SCENARIO.replace("process.env.SCENARIO === 'locked'", 'false'), 'no-bus', __dirname);
    expect(result.code, result.stderr).toBe(0);
    const r = result.report as Report;
    expect(r.resolve.name).toBe('InvalidSettingsError');
    expect(r.resolve.message).toMatch(/^Encrypted setting "API Key" \(apiKey\) cannot be read: keychain unavailable: could not read a secret/);
    expect(r.status.ok).toMatchObject({ keychain: { available: false } });
    expect((r.status.ok as { keychain: { problem: string } }).keychain.problem).toMatch(/^keychain unavailable/);
    expect(r.reveal).toMatchObject({ name: 'KeychainUnavailable' });
    expect(r.set).toMatchObject({ name: 'KeychainUnavailable' });
    expect(JSON.parse(r.file)).toEqual({ values: {}, secretsSet: ['apiKey'] });
  });
});
