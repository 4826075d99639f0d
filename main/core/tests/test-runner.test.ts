/**
 * The test runner on real function folders, with the real sandbox runtime (worker
 * threads) and a real HTTP server on 127.0.0.1 that must never be reached.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRuntime } from '../../../runtime';
import type { Runtime } from '../../../runtime/api';
import { secretKey, type SecretStore } from '../secrets/secret-store';
import { runTests } from './test-runner';

class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  reads = 0;
  async get(key: string) {
    this.reads++;
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    return this.values.delete(key);
  }
  async move(from: string, to: string) {
    const v = this.values.get(from);
    if (v === undefined) return false;
    this.values.set(to, v);
    this.values.delete(from);
    return true;
  }
  async available() {
    return { available: true };
  }
}

const HANDLER = `
async function onTrack(event, settings) {
  const res = await fetch(settings.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + settings.token },
    body: JSON.stringify({ event: event.event, total: event.properties.total, sentAt: new Date().toISOString(), id: crypto.randomUUID() }),
  });
  console.log('delivered', event.event, res.status);
  if (res.status >= 500) throw new RetryError('Webhook answered ' + res.status);
  return { status: res.status, body: await res.json() };
}
async function onIdentify(event, settings) {
  await fetch(settings.lookupUrl + '/users/' + event.userId);
  return { looked: true };
}
async function onBatch(events) {
  return events.map((e, i) => (e.userId ? { status: 200 } : { status: 400, errormessage: 'userId missing in event ' + i }));
}
`;

const META = {
  displayName: 'Hook',
  description: '',
  resourceType: 'DESTINATION',
  settings: [
    { name: 'webhookUrl', label: 'Webhook URL', description: '', type: 'STRING', required: true, sensitive: false },
    { name: 'token', label: 'Token', description: '', type: 'STRING', required: false, sensitive: true },
    { name: 'lookupUrl', label: 'Lookup URL', description: '', type: 'STRING', required: false, sensitive: false },
  ],
};

const KEYCHAIN_ID = '0b5c2a4e-1111-4222-8333-944455556666';

let runtime: Runtime;
let server: http.Server;
let serverUrl: string;
let reached = 0;

beforeAll(async () => {
  runtime = createRuntime({ workers: 2 });
  server = http.createServer((req, res) => {
    reached++;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await runtime.close();
  await new Promise<void>((r) => server.close(() => r()));
});

let root: string;
let dir: string;
let secrets: MemorySecretStore;

async function write(relative: string, content: unknown): Promise<void> {
  const file = path.join(dir, relative);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-tests-'));
  dir = path.join(root, 'hook');
  secrets = new MemorySecretStore();
  await write('handler.js', HANDLER);
  await write('function.json', META);
  await write('settings.local.json', { values: { webhookUrl: 'https://hooks.example.com/in' }, secretsSet: ['token'], keychainId: KEYCHAIN_ID });
  await write('mocks.json', [{ method: 'POST', url: 'https://hooks.example.com/*', status: 200, body: { ok: true } }]);
  secrets.values.set(secretKey('hook', 'token', KEYCHAIN_ID), 'kc-secret-token-9876');
  reached = 0;
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const ORDER = { type: 'track', event: 'Order Completed', properties: { total: 12 } };

describe('runTests', () => {
  it('passes a case whose expectations hold, using stored test values, the keychain and mocks.json', async () => {
    await write('tests/posts.test.json', {
      name: 'posts an order',
      event: ORDER,
      expect: {
        outcome: 'Success',
        result: { status: 200, body: { ok: true } },
        requests: [{ method: 'POST', url: 'https://hooks.example.com/in', headers: { authorization: 'Bearer kc-secret-token-9876' }, body: { event: 'Order Completed', total: 12 } }],
        requestsExactly: true,
        logs: ['delivered Order Completed 200'],
      },
    });
    const [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases).toHaveLength(1);
    const [c] = report.cases;
    expect(c.mismatches).toEqual([]);
    expect(c).toMatchObject({ file: 'tests/posts.test.json', name: 'posts an order', status: 'passed' });
    expect(report).toMatchObject({ functionId: 'hook', passed: 1, failed: 0 });
    // The keychain secret was used for matching but never leaves the runner in clear.
    expect(JSON.stringify(report)).not.toContain('kc-secret-token-9876');
    expect(c.outcome?.requests[0].headers.authorization).toMatch(/^Bearer ••••/);
  });

  it("fails a case that does not hold, with the mismatch's path, expected and actual, and masks secrets in it", async () => {
    await write('tests/wrong.test.json', {
      event: ORDER,
      expect: { outcome: 'Success', result: { status: 201 }, requests: [{ headers: { authorization: 'Bearer other' } }] },
    });
    const [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    const [c] = report.cases;
    expect(c.status).toBe('failed');
    expect(c.mismatches.map((m) => m.path)).toEqual(['result.status', 'requests[0].headers.authorization']);
    expect(c.mismatches[0]).toMatchObject({ expected: 201, actual: 200 });
    expect(String(c.mismatches[1].actual)).toMatch(/^Bearer ••••/);
    expect(JSON.stringify(c)).not.toContain('kc-secret-token-9876');
  });

  it("lets the case's settings and mocks win over the stored ones", async () => {
    await write('tests/own.test.json', {
      event: ORDER,
      settings: { webhookUrl: 'https://other.example.com/hook', token: 'case-token' },
      mocks: [{ url: 'https://other.example.com/*', status: 503 }],
      expect: { outcome: 'Retry', error: { name: 'RetryError', message: 'answered 503' }, requests: [{ url: 'https://other.example.com/hook', headers: { authorization: 'Bearer case-token' } }] },
    });
    const [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases[0].mismatches).toEqual([]);
    expect(report.cases[0].status).toBe('passed');
    // The case gave the secret setting itself: the keychain was not read.
    expect(secrets.reads).toBe(0);
  });

  it('never reaches the network: a request no rule answers fails as offline', async () => {
    await write('tests/lookup.test.json', { event: { type: 'identify', userId: 'u1' }, settings: { lookupUrl: serverUrl }, expect: { outcome: 'Success' } });
    const [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    const [c] = report.cases;
    expect(c.status).toBe('failed');
    expect(c.outcome?.requests[0].error).toMatch(/offline/);
    expect(reached).toBe(0);
  });

  it('reports a malformed case as failing, naming the file and the problem, and still runs the others', async () => {
    await write('tests/a-broken.test.json', '{"event": {"type": "track"}, "expect": {"outcome": "Success",}}');
    await write('tests/b-typo.test.json', { event: ORDER, expect: { outcom: 'Success' } });
    await write('tests/c-good.test.json', { event: ORDER, expect: { outcome: 'Success' } });
    await write('tests/notes.md', 'not a case');
    const [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases.map((c) => [c.file, c.status])).toEqual([
      ['tests/a-broken.test.json', 'failed'],
      ['tests/b-typo.test.json', 'failed'],
      ['tests/c-good.test.json', 'passed'],
    ]);
    expect(report.cases[0].malformed).toMatch(/^tests\/a-broken\.test\.json: invalid JSON at 1:\d+/);
    expect(report.cases[1].malformed).toMatch(/tests\/b-typo\.test\.json: unknown field 'expect.outcom'/);
    expect(report.cases[0].outcome).toBeNull();
  });

  it('a missing required setting gives Invalid Settings, which a case may expect', async () => {
    await write('settings.local.json', { values: {}, secretsSet: [] });
    await write('tests/refused.test.json', { event: ORDER, expect: { outcome: 'Invalid Settings', error: { message: 'Webhook URL' } } });
    await write('tests/runs.test.json', { event: ORDER, expect: { outcome: 'Success' } });
    const [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases.map((c) => c.status)).toEqual(['passed', 'failed']);
    expect(report.cases[1].mismatches[0]).toMatchObject({ path: 'outcome', expected: 'Success', actual: 'Invalid Settings' });
  });

  it('checks batch items', async () => {
    await write('tests/batch.test.json', {
      events: [{ type: 'track', userId: 'u1' }, { type: 'track' }],
      expect: { outcome: 'Success', items: [{ status: 200 }, { status: 400, errormessage: 'userId missing in event 1' }] },
    });
    const [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases[0].mismatches).toEqual([]);
  });

  it('fails every case with the problem when mocks.json or function.json is broken', async () => {
    await write('tests/one.test.json', { event: ORDER, expect: { outcome: 'Success' } });
    await write('mocks.json', [{ url: 'hooks.example.com' }]);
    let [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases[0]).toMatchObject({ status: 'failed', file: 'tests/one.test.json' });
    expect(report.cases[0].malformed).toMatch(/^not run: mocks\.json: rule \[0\]: 'url'/);
    await write('mocks.json', []);
    await write('function.json', '{"displayName": ');
    [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases[0].malformed).toMatch(/^not run: function\.json: invalid JSON/);
    // With no cases at all the problem is still reported, not swallowed.
    await fs.rm(path.join(dir, 'tests'), { recursive: true });
    [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases).toHaveLength(1);
    expect(report.cases[0]).toMatchObject({ file: 'function.json', status: 'failed' });
  });

  it('filters by name or file, and runs given files only', async () => {
    await write('tests/alpha.test.json', { name: 'Posts the order', event: ORDER, expect: { outcome: 'Success' } });
    await write('tests/beta.test.json', { name: 'second', event: ORDER, expect: { outcome: 'Success' } });
    let [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets, filter: 'ORDER' });
    expect(report.cases.map((c) => c.file)).toEqual(['tests/alpha.test.json']);
    [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets, filter: 'beta' });
    expect(report.cases.map((c) => c.file)).toEqual(['tests/beta.test.json']);
    [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets, files: ['tests/beta.test.json'] });
    expect(report.cases.map((c) => c.name)).toEqual(['second']);
  });

  it('tests the given code instead of handler.js (the editor buffer)', async () => {
    await write('tests/one.test.json', { event: ORDER, expect: { outcome: 'Success' } });
    const broken = HANDLER.replace("console.log('delivered'", "throw new Error('broken'); console.log('delivered'");
    const [report] = await runTests([{ functionId: 'hook', dir, code: broken }], { runtime, secretStore: secrets });
    expect(report.cases[0].mismatches[0]).toMatchObject({ path: 'outcome', actual: 'Bad Request' });
    expect(report.cases[0].outcome?.error?.message).toBe('broken');
  });
});

describe('snapshots', () => {
  beforeEach(async () => {
    await write('tests/snap.test.json', { event: ORDER, snapshot: true });
  });
  const snapFile = () => path.join(dir, 'tests', 'snap.snapshot.json');

  it('records on the first run, ignoring timestamps and generated ids, and matches on later runs', async () => {
    let [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases[0]).toMatchObject({ status: 'passed', snapshot: 'written' });
    const stored = JSON.parse(await fs.readFile(snapFile(), 'utf8'));
    expect(stored.outcome).toBe('Success');
    expect(stored.result).toEqual({ status: 200, body: { ok: true } });
    expect(stored.requests[0].body).toEqual({ event: 'Order Completed', total: 12, sentAt: '<timestamp>', id: '<uuid>' });
    // Secrets are masked before anything is written.
    expect(JSON.stringify(stored)).not.toContain('kc-secret-token-9876');
    [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases[0]).toMatchObject({ status: 'passed', snapshot: 'matched' });
  });

  it('fails when the behaviour changes, and --update-snapshots re-records', async () => {
    await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    const changed = HANDLER.replace('total: event.properties.total', 'total: event.properties.total * 100');
    let [report] = await runTests([{ functionId: 'hook', dir, code: changed }], { runtime, secretStore: secrets });
    expect(report.cases[0]).toMatchObject({ status: 'failed', snapshot: 'differs' });
    expect(report.cases[0].mismatches).toEqual([
      expect.objectContaining({ path: 'snapshot.requests[0].body.total', expected: 12, actual: 1200 }),
    ]);
    [report] = await runTests([{ functionId: 'hook', dir, code: changed }], { runtime, secretStore: secrets, updateSnapshots: true });
    expect(report.cases[0]).toMatchObject({ status: 'passed', snapshot: 'updated' });
    expect(JSON.parse(await fs.readFile(snapFile(), 'utf8')).requests[0].body.total).toBe(1200);
  });

  it('a broken snapshot file fails the case and is not overwritten', async () => {
    await fs.writeFile(snapFile(), '{ nope');
    const [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    expect(report.cases[0].status).toBe('failed');
    expect(report.cases[0].mismatches[0].message).toMatch(/tests\/snap\.snapshot\.json: invalid JSON at 1:3.*--update-snapshots/);
    expect(await fs.readFile(snapFile(), 'utf8')).toBe('{ nope');
  });
});

describe('speed', () => {
  it('runs 200 cases of a typical handler in one runtime within a few seconds', async () => {
    for (let i = 0; i < 200; i++) {
      await write(`tests/case-${String(i).padStart(3, '0')}.test.json`, {
        event: { ...ORDER, properties: { total: i } },
        expect: { outcome: 'Success', requests: [{ body: { total: i } }] },
      });
    }
    const started = performance.now();
    const [report] = await runTests([{ functionId: 'hook', dir }], { runtime, secretStore: secrets });
    const ms = performance.now() - started;
    console.log(`200 cases: ${Math.round(ms)} ms`);
    expect(report.passed).toBe(200);
    // "A few seconds" with room for a loaded 2-core machine (typically well under 2 s).
    expect(ms).toBeLessThan(15_000);
  });
});
