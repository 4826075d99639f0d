/** The Functions client against fake-segment: every call, both pagination styles, every error class. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSegment, type FakeSegment } from './fake-segment/server';
import { FunctionsClient, rateLimitWait, type FunctionsClientOptions, type WaitNotice } from './functions-client';
import { RemoteError } from './remote-error';
import { ApiUrlError, normalizeApiUrl } from './api-url';

const TOKEN = 'client-test-token-0123456789';
let fake: FakeSegment;

beforeAll(async () => {
  fake = await startFakeSegment({ token: TOKEN, readOnlyToken: 'reader', functionsAdminToken: 'fn-admin', workspaceName: 'Acme', defaultPageSize: 200 });
});
afterAll(() => fake.close());
beforeEach(() => fake.clearFaults());

function client(extra: Partial<FunctionsClientOptions> = {}): FunctionsClient {
  return new FunctionsClient({ apiUrl: fake.url, token: TOKEN, backoffBaseMs: 5, timeoutMs: 5000, ...extra });
}

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(RemoteError);
  expect(String((err as Error).message)).not.toContain(TOKEN);
  return err as RemoteError;
}

describe('FunctionsClient', () => {
  it('lists every page following pagination.next, in both query styles', async () => {
    for (let i = 0; i < 5; i++) fake.seed({ displayName: `page-${i}`, code: '' });
    for (const style of ['bracket', 'dot'] as const) {
      const before = fake.requests.length;
      const list = await client({ pageSize: 2, paginationStyle: style }).listFunctions('DESTINATION');
      const names = list.items.map((f) => f.displayName).filter((n) => n?.startsWith('page-'));
      expect(names).toEqual(['page-0 (Acme)', 'page-1 (Acme)', 'page-2 (Acme)', 'page-3 (Acme)', 'page-4 (Acme)']);
      const calls = fake.requests.slice(before);
      expect(calls.length).toBe(Math.ceil(list.total / 2));
      expect(calls.every((r) => decodeURIComponent(r.query).includes(style === 'dot' ? 'pagination.count=2' : 'pagination[count]=2'))).toBe(true);
    }
  });

  it('creates, gets, updates, deploys where accepted, reads and restores versions, deletes', async () => {
    const c = client();
    const fn = await c.createFunction({ code: 'async function onTrack() {}', displayName: 'Crud', resourceType: 'DESTINATION', settings: [] });
    expect(fn.displayName).toBe('Crud (Acme)');
    expect((await c.getFunction(fn.id!)).code).toBe('async function onTrack() {}');
    const updated = await c.updateFunction(fn.id!, { code: 'async function onTrack(e) {}', description: 'd' });
    expect(updated).toMatchObject({ code: 'async function onTrack(e) {}', description: 'd', isLatestVersion: true });
    const versions = await c.listVersions(fn.id!);
    expect(versions.items.map((v) => v.code)).toEqual(['async function onTrack(e) {}', 'async function onTrack() {}']);
    expect(versions.items[0].isDeployed).toBe(true);
    expect((await c.getVersion(fn.id!, versions.items[1].id)).code).toBe('async function onTrack() {}');
    const restored = await c.restoreVersion(fn.id!, versions.items[1].id);
    expect(restored.code).toBe('async function onTrack() {}');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', contentType: 'application/vnd.segment.v1alpha+json' });
    // Deploy of a destination function id: the documented 400, named as such.
    const deploy = await failure(c.deployFunction(fn.id!));
    expect(deploy).toMatchObject({ kind: 'invalid', status: 400 });
    expect(deploy.message).toMatch(/source function instance/);
    fake.switches.deployAcceptsFunctionIds = true;
    expect(await c.deployFunction(fn.id!)).toEqual({ status: 'SUCCESS' });
    fake.switches.deployAcceptsFunctionIds = false;
    await c.deleteFunction(fn.id!);
    expect(await failure(c.getFunction(fn.id!))).toMatchObject({ kind: 'not-found', status: 404 });
  });

  it('401: an invalid token, and a role that lacks the permission, each naming the role needed', async () => {
    const bad = await failure(client({ token: 'wrong' }).listFunctions('DESTINATION'));
    expect(bad).toMatchObject({ kind: 'unauthorized', status: 401 });
    const reader = await failure(client({ token: 'reader' }).createFunction({ code: '', displayName: 'x', resourceType: 'DESTINATION' }));
    expect(reader.message).toContain('needs Functions Admin');
    const fn = fake.seed({ displayName: 'dep', code: '' });
    fake.switches.deployAcceptsFunctionIds = true;
    const admin = await failure(client({ token: 'fn-admin' }).deployFunction(fn.id!));
    fake.switches.deployAcceptsFunctionIds = false;
    expect(admin.message).toContain('needs Source Admin or Workspace Owner');
  });

  it('422 and 500-on-bad-code name the field or the compile problem, without retrying', async () => {
    const fn = fake.seed({ displayName: 'v', code: '' });
    const invalid = await failure(client().updateFunction(fn.id!, { settings: [{ name: 'k', label: 'k', description: '', type: 'NUMBER' as never, required: false, sensitive: false }] }));
    expect(invalid).toMatchObject({ kind: 'invalid', status: 422, field: 'settings[0].type' });
    expect(invalid.message).toContain('field "settings[0].type"');
    const before = fake.requests.length;
    const compile = await failure(client().updateFunction(fn.id!, { code: 'function (' }));
    expect(compile).toMatchObject({ kind: 'invalid', status: 500 });
    expect(fake.requests.length - before).toBe(1);
  });

  it('429: waits as Retry-After / X-RateLimit-Reset / msBeforeNext say, reports the wait, then succeeds', async () => {
    const waits: WaitNotice[] = [];
    fake.injectFault({ status: 429, msBeforeNext: 300, retryAfterSec: null, resetInMs: null });
    const started = Date.now();
    await client({ onWait: (n) => waits.push(n) }).listFunctions('DESTINATION');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(waits).toEqual([{ operation: 'list functions', reason: 'rate-limited', waitMs: 300, attempt: 1, status: 429, source: 'msBeforeNext' }]);
    waits.length = 0;
    fake.injectFault({ status: 429, msBeforeNext: null, retryAfterSec: 1, resetInMs: null });
    const slept: number[] = [];
    await client({ onWait: (n) => waits.push(n), sleep: async (ms) => void slept.push(ms) }).listFunctions('DESTINATION');
    expect(slept).toEqual([1000]);
    expect(waits[0].source).toBe('Retry-After');
  });

  it('429 asking for longer than the client will wait fails at once, saying how long', async () => {
    fake.injectFault({ status: 429, msBeforeNext: 600_000 });
    const err = await failure(client({ maxWaitMs: 1000 }).listFunctions('DESTINATION'));
    expect(err).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(err.message).toContain('600 s');
  });

  it('5xx: retried with backoff, bounded; a lasting outage fails naming the status and attempts', async () => {
    const waits: WaitNotice[] = [];
    fake.injectFault({ status: 503, count: 2 });
    await client({ onWait: (n) => waits.push(n) }).listFunctions('DESTINATION');
    expect(waits.map((w) => [w.reason, w.status, w.attempt])).toEqual([['retry', 503, 1], ['retry', 503, 2]]);
    expect(waits[1].waitMs).toBeGreaterThanOrEqual(5);
    fake.injectFault({ status: 502, count: 10 });
    const err = await failure(client({ maxAttempts: 3 }).listFunctions('DESTINATION'));
    expect(err).toMatchObject({ kind: 'server', status: 502 });
    expect(err.message).toContain('3 attempts');
    fake.clearFaults();
    // A create is not retried after a 5xx: it may have happened.
    fake.injectFault({ status: 503, count: 1, method: 'POST' });
    expect(await failure(client().createFunction({ code: '', displayName: 'once', resourceType: 'DESTINATION' }))).toMatchObject({ kind: 'server', status: 503 });
  });

  it('network failures and timeouts: retried for reads, then a clear error', async () => {
    fake.injectFault({ status: 0, drop: true, count: 1 });
    await client().listFunctions('DESTINATION');
    fake.injectFault({ status: 0, drop: true, count: 10 });
    const dropped = await failure(client({ maxAttempts: 2 }).listFunctions('DESTINATION'));
    expect(dropped.kind).toBe('network');
    fake.clearFaults();
    fake.injectFault({ status: 200, delayMs: 1500, count: 10 });
    const slow = await failure(client({ timeoutMs: 200, maxAttempts: 2 }).listFunctions('DESTINATION'));
    expect(slow.kind).toBe('timeout');
    fake.clearFaults();
    const closed = await startFakeSegment({ token: TOKEN });
    const url = closed.url;
    await closed.close();
    const refused = await failure(new FunctionsClient({ apiUrl: url, token: TOKEN, backoffBaseMs: 1, maxAttempts: 2 }).getFunction('dfn_x'));
    expect(refused.kind).toBe('network');
    expect(refused.message).toContain('connection refused');
  });

  it('accepts http only for loopback', () => {
    expect(normalizeApiUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(normalizeApiUrl('https://eu1.api.segmentapis.com')).toBe('https://eu1.api.segmentapis.com');
    expect(() => normalizeApiUrl('http://api.segmentapis.com')).toThrow(ApiUrlError);
    expect(() => normalizeApiUrl('ftp://x')).toThrow(/https/);
    expect(() => new FunctionsClient({ apiUrl: 'http://10.0.0.1', token: 't' })).toThrow(/plain http/);
  });

  it('rateLimitWait takes the longest wait the server names', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const headers = new Headers({ 'retry-after': '2', 'x-ratelimit-reset': new Date(now + 5000).toUTCString() });
    expect(rateLimitWait(headers, { type: 'RequestError', data: { msBeforeNext: 3000 } }, now)).toEqual({ ms: 5000, source: 'X-RateLimit-Reset' });
    expect(rateLimitWait(new Headers(), null, now)).toBeNull();
  });
});
