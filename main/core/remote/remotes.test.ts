/** Remotes in the real OS keychain (private test keyring) against fake-segment. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../secrets/keytar-store';
import { requireSessionBus } from '../secrets/private-keyring.testkit';
import { startFakeSegment, type FakeSegment } from './fake-segment/server';
import { RemoteError } from './remote-error';
import { RemoteConfigError, RemoteStore, TOKEN_ENV, tokenKey } from './remotes';

const TOKEN = `seg_${randomBytes(10).toString('hex')}`;
const store = new KeytarSecretStore({ service: `fnstudio-test-${randomBytes(4).toString('hex')}` });
let fake: FakeSegment;
let configDir: string;
let remotes: RemoteStore;

beforeAll(async () => {
  requireSessionBus();
  fake = await startFakeSegment({ token: TOKEN });
  fake.seed({ displayName: 'one', code: '' });
  fake.seed({ displayName: 'two', code: '' });
  configDir = mkdtempSync(path.join(tmpdir(), 'fnstudio-remotes-'));
  remotes = new RemoteStore({ configDir, secretStore: store, clientOptions: { backoffBaseMs: 1, maxAttempts: 1 } });
});
afterAll(async () => {
  await store.delete(tokenKey('prod')).catch(() => false);
  await fake.close();
  rmSync(configDir, { recursive: true, force: true });
});

describe('RemoteStore', () => {
  it('adds a remote after one check call (the function count), token in the keychain only', async () => {
    const added = await remotes.add({ name: 'prod', apiUrl: fake.url, token: TOKEN });
    expect(added).toMatchObject({ remote: { name: 'prod', apiUrl: fake.url, region: null }, destinationFunctions: 2 });
    expect(await store.get(tokenKey('prod'))).toBe(TOKEN);
    const file = readFileSync(path.join(configDir, 'remotes.json'), 'utf8');
    expect(file).toContain(fake.url);
    expect(file).not.toContain(TOKEN);
    expect(await remotes.list()).toHaveLength(1);
    const connection = await remotes.connect('prod', { env: {} });
    expect(connection).toMatchObject({ apiUrl: fake.url, tokenSource: 'keychain' });
    await expect(remotes.add({ name: 'prod', apiUrl: fake.url, token: TOKEN })).rejects.toThrow(/already exists/);
  });

  it('refuses a token the workspace refuses, storing nothing', async () => {
    const err = await remotes.add({ name: 'bad', apiUrl: fake.url, token: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).kind).toBe('unauthorized');
    expect(await store.get(tokenKey('bad'))).toBeNull();
    expect((await remotes.list()).map((r) => r.name)).toEqual(['prod']);
  });

  it('validates names and URLs', async () => {
    await expect(remotes.add({ name: '../x', apiUrl: fake.url, token: TOKEN })).rejects.toThrow(RemoteConfigError);
    await expect(remotes.add({ name: 'x', apiUrl: 'http://example.invalid', token: TOKEN })).rejects.toThrow(/plain http/);
    await expect(remotes.add({ name: 'x', region: 'mars', token: TOKEN })).rejects.toThrow(/unknown region/);
  });

  it('the environment token with --api-url replaces a stored remote; without it a missing remote is named', async () => {
    const viaEnv = await remotes.connect('ci', { apiUrl: fake.url, env: { [TOKEN_ENV]: TOKEN } });
    expect(viaEnv).toMatchObject({ name: 'ci', apiUrl: fake.url, tokenSource: 'environment' });
    expect((await remotes.connect('x', { region: 'eu', env: { [TOKEN_ENV]: TOKEN } })).apiUrl).toBe('https://eu1.api.segmentapis.com');
    await expect(remotes.connect('ci', { apiUrl: fake.url, env: {} })).rejects.toThrow(TOKEN_ENV);
    await expect(remotes.connect('nowhere', { env: {} })).rejects.toThrow(/no remote named "nowhere" \(remotes: prod\)/);
  });

  it('removes the record and the keychain entry', async () => {
    expect(await remotes.remove('prod')).toBe(true);
    expect(await store.get(tokenKey('prod'))).toBeNull();
    expect(await remotes.list()).toEqual([]);
    expect(await remotes.remove('prod')).toBe(false);
  });
});
