/** Sync against fake-segment: pull, status, push, conflicts on each side, resolve, deploy, versions, failures. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../../runtime';
import type { Runtime } from '../../../runtime/api';
import { startFakeSegment, type FakeSegment } from '../remote/fake-segment/server';
import { FunctionsClient } from '../remote/functions-client';
import { RemoteError } from '../remote/remote-error';
import { runtimeCompileCheck } from './compile-check';
import { SyncEngine } from './sync-engine';

const TOKEN = 'sync-test-token-abcdef';
const SETTINGS = [{ name: 'apiKey', label: 'API key', description: '', type: 'STRING' as const, required: true, sensitive: true }];
let fake: FakeSegment;
let runtime: Runtime;
let root: string;
let token = TOKEN;

beforeAll(async () => {
  runtime = createRuntime({ workers: 1 });
  fake = await startFakeSegment({ token: TOKEN, readOnlyToken: 'reader', workspaceName: 'Acme Prod' });
});
afterAll(async () => {
  await fake.close();
  await runtime.close();
});
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'fnstudio-sync-'));
  token = TOKEN;
  fake.reset();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function engine(apiUrl = fake.url): SyncEngine {
  return new SyncEngine({
    connect: async () => new FunctionsClient({ apiUrl, token, backoffBaseMs: 5, maxAttempts: 2, timeoutMs: 5000 }),
    compileCheck: runtimeCompileCheck(runtime),
  });
}

const read = (...p: string[]): string => readFileSync(path.join(root, ...p), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read function.json's fields freely and assert each one
const meta = (id: string): Record<string, any> => JSON.parse(read(id, 'function.json'));

async function pulledPair(): Promise<{ a: string; b: string; aId: string; bId: string }> {
  const a = fake.seed({ displayName: 'Webhook', code: 'async function onTrack(event) {\n  return 1;\n}\n', settings: SETTINGS });
  const b = fake.seed({ displayName: 'Mailer', code: 'async function onIdentify() {}\n' });
  const results = await engine().pull(root, 'prod', 'all');
  const byId = new Map(results.map((r) => [r.remoteFunctionId, r.functionId!]));
  return { a: byId.get(a.id!)!, b: byId.get(b.id!)!, aId: a.id!, bId: b.id! };
}

describe('SyncEngine', () => {
  it('pulls destination functions into folders with a remote record, the suffix stripped; other types are listed read-only', async () => {
    fake.seed({ displayName: 'A source', code: '', resourceType: 'SOURCE' });
    const { a, b, aId } = await pulledPair();
    expect([a, b].sort()).toEqual(['mailer', 'webhook']);
    expect(read('webhook', 'handler.js')).toContain('return 1;');
    const m = meta('webhook');
    expect(m).toMatchObject({ displayName: 'Webhook', resourceType: 'DESTINATION', settings: SETTINGS });
    expect(m.remote).toMatchObject({ name: 'prod', functionId: aId, resourceType: 'DESTINATION', nameSuffix: { text: ' (Acme Prod)', evidence: 'inferred' } });
    expect(m.remote.codeHash).toMatch(/^[0-9a-f]{32}$/);
    expect(m.remote).not.toHaveProperty('compiledFrom');
    expect(existsSync(path.join(root, 'webhook', 'events'))).toBe(true);
    const listed = await engine().listRemote('prod', root);
    expect(listed.find((f) => f.displayName === 'A source')).toMatchObject({ pullable: false, resourceType: 'SOURCE' });
    expect(listed.find((f) => f.id === aId)).toMatchObject({ displayName: 'Webhook', pullable: true, linkedTo: 'webhook' });
    // Pulling again changes nothing.
    expect((await engine().pull(root, 'prod', ['Webhook']))[0]).toMatchObject({ action: 'unchanged', functionId: 'webhook' });
  });

  it('status: in sync, local changes, remote changes, conflict, remote deleted, unlinked', async () => {
    const { aId, bId } = await pulledPair();
    writeFileSync(path.join(root, 'lonely.json'), '{}');
    expect((await engine().status(path.join(root, 'webhook'))).state).toBe('in-sync');
    writeFileSync(path.join(root, 'webhook', 'handler.js'), 'async function onTrack() { return 2 }\n');
    expect((await engine().status(path.join(root, 'webhook'))).state).toBe('local-changes');
    fake.edit(bId, { code: 'async function onIdentify() { /* theirs */ }\n' });
    expect((await engine().status(path.join(root, 'mailer'))).state).toBe('remote-changes');
    fake.edit(aId, { settings: [] });
    expect((await engine().status(path.join(root, 'webhook'))).state).toBe('conflict');
    fake.remove(bId);
    expect((await engine().status(path.join(root, 'mailer'))).state).toBe('remote-deleted');
    const all = await engine().statusAll(root);
    expect(all.map((s) => [s.functionId, s.state])).toEqual([['mailer', 'remote-deleted'], ['webhook', 'conflict']]);
    await expect(engine().push(path.join(root, 'mailer'))).rejects.toThrow(/no longer exists in remote "prod"/);
    await engine().unlink(path.join(root, 'mailer'));
    expect((await engine().status(path.join(root, 'mailer'))).state).toBe('unlinked');
    expect(read('mailer', 'handler.js')).toContain('onIdentify');
  });

  it('push: shows the diff, saves code and settings, never doubles the suffix, keeps a backup of the remote, then is in sync', async () => {
    const { aId } = await pulledPair();
    const dir = path.join(root, 'webhook');
    writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack(event) {\n  return 42;\n}\n');
    const preview = await engine().previewPush(dir);
    expect(preview.codeDiff).toContain('-  return 1;');
    expect(preview.codeDiff).toContain('+  return 42;');
    expect(preview).toMatchObject({ problems: [], conflict: null, metaChanges: [], nothingToPush: false });
    const result = await engine().push(dir);
    expect(result.status).toBe('pushed');
    if (result.status !== 'pushed') return;
    expect(fake.get(aId)).toMatchObject({ code: 'async function onTrack(event) {\n  return 42;\n}\n', displayName: 'Webhook (Acme Prod)', settings: SETTINGS });
    expect(readFileSync(path.join(result.backup!, 'handler.js'), 'utf8')).toContain('return 1;');
    expect(result.backup!.startsWith(path.join(dir, '.fnstudio', 'backups'))).toBe(true);
    expect(meta('webhook').remote.nameSuffix).toEqual({ text: ' (Acme Prod)', evidence: 'observed' });
    expect((await engine().status(dir)).state).toBe('in-sync');
    // Deployed state comes from what the API returned.
    expect(result.deploy).toMatchObject({ requested: false, call: 'not-requested', state: { isLatestVersion: true }, latestVersionDeployed: true });
    expect(result.deploy.state.deployedAt).not.toBeNull();
  });

  it('push stops on a remote change since the base: a conflict with base, local and remote texts, nothing written on either side', async () => {
    const { aId } = await pulledPair();
    const dir = path.join(root, 'webhook');
    writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack() { return "mine" }\n');
    fake.edit(aId, { code: 'async function onTrack() { return "theirs" }\n' });
    const before = fake.requests.filter((r) => r.method === 'PATCH').length;
    const result = await engine().push(dir);
    expect(result.status).toBe('conflict');
    if (result.status !== 'conflict') return;
    expect(result.conflict.base?.code).toContain('return 1;');
    expect(result.conflict.local.code).toContain('"mine"');
    expect(result.conflict.remote.code).toContain('"theirs"');
    expect(result.conflict).toMatchObject({ localChanged: ['code'], remoteChanged: ['code'] });
    expect(fake.requests.filter((r) => r.method === 'PATCH').length).toBe(before);
    expect(fake.get(aId)!.code).toContain('"theirs"');
    expect(read('webhook', 'handler.js')).toContain('"mine"');
  });

  it('pull over local edits is a conflict, never an overwrite; take theirs backs the local files up', async () => {
    const { aId } = await pulledPair();
    const dir = path.join(root, 'webhook');
    writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack() { return "mine" }\n');
    fake.edit(aId, { code: 'async function onTrack() { return "theirs" }\n' });
    const [pulled] = await engine().pull(root, 'prod', [aId]);
    expect(pulled).toMatchObject({ action: 'conflict', functionId: 'webhook' });
    expect(read('webhook', 'handler.js')).toContain('"mine"');
    const { backup } = await engine().resolve(dir, { take: 'theirs' });
    expect(read('webhook', 'handler.js')).toContain('"theirs"');
    expect(readFileSync(path.join(backup!, 'handler.js'), 'utf8')).toContain('"mine"');
    expect((await engine().status(dir)).state).toBe('in-sync');
  });

  it('keep mine and an edited merge each let the next push through', async () => {
    const { aId, bId } = await pulledPair();
    const dir = path.join(root, 'webhook');
    writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack() { return "mine" }\n');
    fake.edit(aId, { code: 'async function onTrack() { return "theirs" }\n' });
    await engine().resolve(dir, { keep: 'mine' });
    expect((await engine().status(dir)).state).toBe('local-changes');
    expect((await engine().push(dir)).status).toBe('pushed');
    expect(fake.get(aId)!.code).toContain('"mine"');

    const mailer = path.join(root, 'mailer');
    writeFileSync(path.join(mailer, 'handler.js'), 'async function onIdentify() { return "mine" }\n');
    fake.edit(bId, { code: 'async function onIdentify() { return "theirs" }\n' });
    await engine().resolve(mailer, { merged: { code: 'async function onIdentify() { return "both" }\n' } });
    expect((await engine().push(mailer)).status).toBe('pushed');
    expect(fake.get(bId)!.code).toContain('"both"');
  });

  it('refuses to push code that does not compile in the runtime, without calling the API to write', async () => {
    await pulledPair();
    const dir = path.join(root, 'webhook');
    writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack( {\n');
    const writes = fake.requests.filter((r) => r.method !== 'GET').length;
    const result = await engine().push(dir);
    expect(result.status).toBe('invalid');
    if (result.status === 'invalid') expect(result.problems[0]).toMatch(/handler\.js does not compile: SyntaxError/);
    expect(fake.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
  });

  it('creates an unlinked function with the remote named, and links it', async () => {
    const dir = path.join(root, 'fresh');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'function.json'), JSON.stringify({ displayName: 'Fresh', description: 'new one', resourceType: 'DESTINATION', settings: [] }));
    writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack() {}\n');
    await expect(engine().push(dir)).rejects.toThrow(/not linked.*--remote/);
    const result = await engine().push(dir, { remoteName: 'prod' });
    expect(result).toMatchObject({ status: 'pushed', created: true });
    const m = meta('fresh');
    expect(fake.get(m.remote.functionId)).toMatchObject({ displayName: 'Fresh (Acme Prod)', description: 'new one' });
    expect(m.remote.nameSuffix).toEqual({ text: ' (Acme Prod)', evidence: 'observed' });
  });

  it('Save & Deploy: reports what the API did with the deploy call and the state it returned', async () => {
    await pulledPair();
    const dir = path.join(root, 'webhook');
    writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack() { return 3 }\n');
    const unchanged = await engine().push(path.join(root, 'mailer'), { deploy: true });
    expect(unchanged.status === 'pushed' && unchanged.backup).toBeNull();
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    const refused = await engine().push(dir, { deploy: true });
    expect(refused.status === 'pushed' && refused.deploy).toMatchObject({ requested: true, call: 'refused' });
    expect(refused.status === 'pushed' && refused.deploy.message).toMatch(/does not accept a deploy call/);

    fake.switches.deployOnSave = false;
    fake.switches.deployAcceptsFunctionIds = true;
    try {
      writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack() { return 4 }\n');
      const saveOnly = await engine().push(dir);
      expect(saveOnly.status === 'pushed' && saveOnly.deploy).toMatchObject({ call: 'not-requested', state: { isLatestVersion: false }, latestVersionDeployed: false });
      writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack() { return 5 }\n');
      const deployed = await engine().push(dir, { deploy: true });
      expect(deployed.status === 'pushed' && deployed.deploy).toMatchObject({ call: 'accepted', state: { isLatestVersion: true }, latestVersionDeployed: true });
    } finally {
      fake.switches.deployOnSave = true;
      fake.switches.deployAcceptsFunctionIds = false;
    }
  });

  it('versions: lists them, restores one (local follows when unedited); unavailable versions are said as such', async () => {
    const { aId } = await pulledPair();
    const dir = path.join(root, 'webhook');
    fake.edit(aId, { code: 'async function onTrack() { return "v2" }\n' });
    const versions = await engine().versions(dir);
    expect(versions.available).toBe(true);
    expect(versions.versions).toHaveLength(2);
    const original = versions.versions[1];
    expect(await engine().versionCode(dir, original.id)).toContain('return 1;');
    const restored = await engine().restore(dir, original.id);
    expect(restored.localUpdated).toBe(false);
    expect(fake.get(aId)!.code).toContain('return 1;');
    expect((await engine().versions(dir)).versions).toHaveLength(3);

    fake.switches.versions = false;
    try {
      const off = await engine().versions(dir);
      expect(off).toMatchObject({ available: false, versions: [] });
      expect(off.message).toMatch(/versions are not available for this workspace/);
      expect((await engine().status(dir)).state).toBe('in-sync');
    } finally {
      fake.switches.versions = true;
    }
  });

  it('restore: an unedited local folder follows the restored version, with a backup', async () => {
    const { aId } = await pulledPair();
    const dir = path.join(root, 'webhook');
    fake.edit(aId, { code: 'async function onTrack() { return "v2" }\n' });
    expect((await engine().pull(root, 'prod', [aId]))[0].action).toBe('updated');
    const versions = await engine().versions(dir);
    const restored = await engine().restore(dir, versions.versions[1].id);
    expect(restored.localUpdated).toBe(true);
    expect(read('webhook', 'handler.js')).toContain('return 1;');
    expect(readFileSync(path.join(restored.backup!, 'handler.js'), 'utf8')).toContain('"v2"');
    expect((await engine().status(dir)).state).toBe('in-sync');
  });

  it('a failure mid-push leaves local files exactly as they were: server gone, read-only role, 5xx', async () => {
    await pulledPair();
    const dir = path.join(root, 'webhook');
    writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack() { return "edit" }\n');
    const snapshot = () => [read('webhook', 'handler.js'), read('webhook', 'function.json')];
    const before = snapshot();

    token = 'reader';
    const denied = await engine().push(dir).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(RemoteError);
    expect((denied as RemoteError).message).toContain('needs Functions Admin');
    expect(snapshot()).toEqual(before);
    token = TOKEN;

    fake.injectFault({ status: 503, method: 'PATCH', count: 5 });
    expect(await engine().push(dir).catch((e: unknown) => (e as RemoteError).kind)).toBe('server');
    expect(snapshot()).toEqual(before);
    fake.clearFaults();

    const doomed = await startFakeSegment({ token: TOKEN });
    const url = doomed.url;
    await doomed.close();
    expect(await engine(url).push(dir).catch((e: unknown) => (e as RemoteError).kind)).toBe('network');
    expect(snapshot()).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['.fnstudio', '.gitignore', 'events', 'function.json', 'handler.js']);
  });
});
