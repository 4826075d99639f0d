/** The contract's remotes.* / sync.* over fake-segment: wire error names and wait events. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FnStudioError } from '../../contract/errors';
import type { HostEvent } from '../../contract/transport';
import type { Runtime } from '../../../runtime/api';
import { startFakeSegment, type FakeSegment } from '../remote/fake-segment/server';
import { RemoteStore } from '../remote/remotes';
import type { SecretStore } from '../secrets/secret-store';
import { createSyncServices } from './sync-service';

/** A keychain stand-in for this test of error mapping only (the real keychain is tested in remotes.test.ts). */
class MapStore implements SecretStore {
  readonly map = new Map<string, string>();
  async get(key: string) { return this.map.get(key) ?? null; }
  async set(key: string, value: string) { this.map.set(key, value); }
  async delete(key: string) { return this.map.delete(key); }
  async move() { return false; }
  async available() { return { available: true }; }
}

const noRuntime = { invoke: async () => { throw new Error('not used'); }, close: async () => undefined } as unknown as Runtime;
let fake: FakeSegment;
let dir: string;

beforeAll(async () => {
  fake = await startFakeSegment({ token: 'svc-token' });
  dir = mkdtempSync(path.join(tmpdir(), 'fnstudio-svc-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createSyncServices', () => {
  it('turns remote failures into RemoteFailed and bad input into InvalidArgument; reports waits as host events', async () => {
    const events: HostEvent[] = [];
    const { remotes, sync } = createSyncServices({
      root: () => path.join(dir, 'ws'),
      remoteStore: new RemoteStore({ configDir: path.join(dir, 'config'), secretStore: new MapStore() }),
      runtime: noRuntime,
      emit: (e) => events.push(e),
      clientOptions: { backoffBaseMs: 1, maxAttempts: 1 },
    });
    const refused = await remotes.add({ name: 'prod', apiUrl: fake.url, token: 'wrong' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FnStudioError);
    expect((refused as FnStudioError).name).toBe('RemoteFailed');
    expect((refused as Error).message).toMatch(/refused the token/);
    const badUrl = await remotes.add({ name: 'prod', apiUrl: 'http://192.0.2.1', token: 'x' }).catch((e: FnStudioError) => e.name);
    expect(badUrl).toBe('InvalidArgument');
    await remotes.add({ name: 'prod', apiUrl: fake.url, token: 'svc-token' });
    fake.seed({ displayName: 'One', code: '' });
    fake.injectFault({ status: 429, msBeforeNext: 20, retryAfterSec: null, resetInMs: null });
    expect((await sync.pull('prod', 'all'))[0]).toMatchObject({ action: 'created', functionId: 'one' });
    expect(events).toContainEqual({ type: 'remote.wait', remoteName: 'prod', reason: 'rate-limited', waitMs: 20, operation: 'list functions' });
    expect((await sync.status())[0]).toMatchObject({ functionId: 'one', state: 'in-sync' });
    expect(await sync.versions('nope').catch((e: FnStudioError) => e.name)).toBe('InvalidArgument');
    expect(await sync.listRemote('elsewhere').catch((e: FnStudioError) => e.name)).toBe('InvalidArgument');
  });

  it('without a keychain every call says so', async () => {
    const { remotes } = createSyncServices({ root: () => dir, remoteStore: null, runtime: noRuntime, emit: () => undefined });
    await expect(remotes.list()).rejects.toMatchObject({ name: 'KeychainUnavailable' });
  });
});
