import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRuntime } from '../../runtime';
import type { Runtime } from '../../runtime/api';
import { createCoreServices, type CoreServices } from './services';
import type { RunSettings } from './runner';
import type { FunctionMeta } from '../contract/function';
import { KeytarSecretStore } from './secrets/keytar-store';

// One real sandbox runtime (worker threads) for the file, as the hosts share one.
let runtime: Runtime;
let server: http.Server;
let serverUrl: string;
const received: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];

beforeAll(async () => {
  runtime = createRuntime({ workers: 1 });
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      const status = req.url?.startsWith('/fail') ? 503 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: status === 200 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await runtime.close();
  await new Promise<void>((r) => server.close(() => r()));
});

let tmp: string;
let core: CoreServices;
let settingsFor: (id: string, meta: FunctionMeta) => Promise<RunSettings>;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-runner-'));
  received.length = 0;
  settingsFor = async () => ({ values: {}, secrets: [] });
  core = createCoreServices({ workspaceRoot: tmp, runtime, watch: false, resolveSettings: (id, meta) => settingsFor(id, meta) });
});
afterEach(async () => {
  await core.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function sample(type: string): Promise<unknown> {
  return (await core.samples.list()).find((s) => s.id === type)?.event;
}

describe('runner', () => {
  it('runs the webhook template against a real local server with the resolved settings', async () => {
    const fn = await core.functions.create({ displayName: 'Hook', templateId: 'webhook' });
    settingsFor = async (id, meta) => {
      expect(id).toBe(fn.id);
      expect(meta.displayName).toBe('Hook');
      return { values: { webhookUrl: `${serverUrl}/hook`, token: 'tok-SECRET-1234567' }, secrets: ['tok-SECRET-1234567'] };
    };
    const outcome = await core.runner.run({ runId: 'r1', functionId: fn.id, code: fn.code, input: await sample('track') });
    expect(outcome.outcome).toBe('Success');
    expect(outcome.error).toBeNull();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/hook', auth: 'Bearer tok-SECRET-1234567' });
    expect(JSON.parse(received[0].body)).toMatchObject({ type: 'track', event: 'Course Clicked' });
    expect(outcome.requests).toHaveLength(1);
    expect(outcome.requests[0]).toMatchObject({ method: 'POST', url: `${serverUrl}/hook`, mocked: false, response: { status: 200 } });
    // The secret never leaves core in the outcome.
    expect(JSON.stringify(outcome)).not.toContain('tok-SECRET-1234567');
  });

  it('runs the editor buffer (unsaved code), not the file', async () => {
    const fn = await core.functions.create({ displayName: 'Buffer', templateId: 'default' });
    const outcome = await core.runner.run({
      runId: 'r2',
      functionId: fn.id,
      code: 'async function onTrack(event) { console.log("saw", event.event); throw new ValidationError("nope") }',
      input: await sample('track'),
    });
    expect(outcome.outcome).toBe('Message Rejected');
    expect(outcome.error).toMatchObject({ name: 'ValidationError', message: 'nope' });
    expect(outcome.error?.frames[0]?.line).toBe(1);
    expect(outcome.logs).toEqual([{ level: 'log', message: 'saw Course Clicked' }]);
  });

  it('templates behave as documented against the samples', async () => {
    const offlineOk = { mockRules: [{ url: 'https://*', status: 200, body: { ok: true } }], offline: true };
    const dflt = await core.functions.create({ displayName: 'Default', templateId: 'default' });
    expect((await core.runner.run({ runId: 'd1', functionId: dflt.id, code: dflt.code, input: await sample('track'), network: offlineOk })).outcome).toBe('Success');
    expect((await core.runner.run({ runId: 'd2', functionId: dflt.id, code: dflt.code, input: await sample('identify') })).outcome).toBe('Unsupported Event Type');

    const retry = await core.functions.create({ displayName: 'Retry', templateId: 'retry' });
    const rateLimited = { mockRules: [{ url: 'https://api.example.com/*', status: 429, headers: { 'retry-after': '30' } }], offline: true };
    const r = await core.runner.run({ runId: 'rt', functionId: retry.id, code: retry.code, input: await sample('track'), network: rateLimited });
    expect(r).toMatchObject({ outcome: 'Retry', retryable: true, error: { name: 'RetryError', message: 'Rate limited (retry after 30s)' } });

    const validate = await core.functions.create({ displayName: 'Validate', templateId: 'validate' });
    expect((await core.runner.run({ runId: 'v1', functionId: validate.id, code: validate.code, input: await sample('track') })).outcome).toBe('Success');
    const anonymous = { type: 'track', event: 'Order Completed', userId: 'u1', properties: { revenue: -1 } };
    const v2 = await core.runner.run({ runId: 'v2', functionId: validate.id, code: validate.code, input: anonymous });
    expect(v2).toMatchObject({ outcome: 'Message Rejected', error: { name: 'ValidationError' } });

    const batch = await core.functions.create({ displayName: 'Batch', templateId: 'batch' });
    settingsFor = async () => ({ values: { endpoint: `${serverUrl}/batch` }, secrets: [] });
    const events = [...((await sample('batch')) as object[]), { type: 'track', event: 'No user' }];
    const b = await core.runner.run({ runId: 'b1', functionId: batch.id, code: batch.code, input: events });
    expect(b.outcome).toBe('Success');
    expect(b.items?.map((i) => i.status)).toEqual([...events.slice(0, -1).map(() => 200), 400]);
    expect(JSON.parse(received[0].body).batch).toHaveLength(events.length - 1);
  });

  it('cancels a run by runId', async () => {
    const fn = await core.functions.create({ displayName: 'Slow', templateId: 'default' });
    const running = core.runner.run({ runId: 'slow-1', functionId: fn.id, code: 'async function onTrack() { await new Promise((r) => setTimeout(r, 20000)) }', input: { type: 'track', userId: 'u' }, timeoutMs: 60_000 });
    const dup = core.runner.run({ runId: 'slow-1', functionId: fn.id, code: '', input: {} });
    await expect(dup).rejects.toMatchObject({ name: 'Conflict' });
    await new Promise((r) => setTimeout(r, 300));
    await core.runner.cancel('slow-1');
    await expect(running).rejects.toMatchObject({ name: 'RunCancelled', message: 'Run "slow-1" was cancelled' });
    await core.runner.cancel('unknown-run');
  });

  it('uses the default timeout from preferences', async () => {
    const fn = await core.functions.create({ displayName: 'Loop', templateId: 'default' });
    await core.preferences.set({ defaultTimeoutMs: 400 });
    const outcome = await core.runner.run({ runId: 't1', functionId: fn.id, code: 'async function onTrack() { for (;;) {} }', input: { type: 'track', userId: 'u' } });
    expect(outcome).toMatchObject({ outcome: 'Timeout', retryable: true });
  });

  it("honours the function's strict-network setting (function.json) on every run", async () => {
    const fn = await core.functions.create({ displayName: 'Strict', templateId: 'default' });
    const code = `async function onTrack() { await fetch('${serverUrl}/strict') }`;
    const input = { type: 'track', userId: 'u' };
    // Off (the default): the loopback request is sent, with a warning in its trace.
    const open = await core.runner.run({ runId: 's0', functionId: fn.id, code, input });
    expect(open.outcome).toBe('Success');
    expect(open.requests[0].warning).toMatch(/Segment/);
    expect(received).toHaveLength(1);

    const meta = await core.functions.updateMeta(fn.id, { strictNetwork: true });
    expect(meta.strictNetwork).toBe(true);
    expect(JSON.parse(await fs.readFile(path.join(tmp, fn.id, 'function.json'), 'utf8'))).toMatchObject({ strictNetwork: true });
    // On: refused before anything is sent, whether the app sends only the offline flag…
    const refused = await core.runner.run({ runId: 's1', functionId: fn.id, code, input });
    expect(refused.error?.message).toMatch(/blocked \(network policy\)/);
    // …or a network of its own that does not ask for strict mode.
    const explicit = await core.runner.run({ runId: 's2', functionId: fn.id, code, input, network: { mockRules: [{ url: `${serverUrl}/*`, status: 200 }], offline: true } });
    expect(explicit.error?.message).toMatch(/blocked \(network policy\)/);
    expect(received).toHaveLength(1);

    await core.functions.updateMeta(fn.id, { strictNetwork: false });
    expect((await core.runner.run({ runId: 's3', functionId: fn.id, code, input })).outcome).toBe('Success');
    expect(received).toHaveLength(2);
    await expect(core.functions.updateMeta(fn.id, { strictNetwork: 'yes' as unknown as boolean })).rejects.toMatchObject({ name: 'InvalidArgument' });
  });

  it('refuses unknown functions and bad requests', async () => {
    await expect(core.runner.run({ runId: 'x', functionId: 'ghost', code: '', input: {} })).rejects.toMatchObject({ name: 'NotFound' });
    await expect(core.runner.run({ runId: 'x', functionId: '../ghost', code: '', input: {} })).rejects.toMatchObject({ name: 'InvalidArgument' });
  });
});

describe('runner with settings wired (createCoreServices secretStore)', () => {
  it('refuses to run with a missing required setting (Invalid Settings), runs once the test value is set', async () => {
    // Only non-encrypted settings here, so the keychain itself is never touched.
    const wired = createCoreServices({ workspaceRoot: tmp, runtime, watch: false, secretStore: new KeytarSecretStore({ service: 'fnstudio-core-runner-test' }) });
    try {
      const fn = await wired.functions.create({ displayName: 'Wired', templateId: 'webhook' });
      await wired.functions.updateMeta(fn.id, {
        settings: [{ name: 'webhookUrl', label: 'Webhook URL', description: '', type: 'STRING', required: true, sensitive: false }],
      });
      // The template comes with a test value (its mocked URL); without one the run is refused.
      await wired.settings.setTestValue(fn.id, 'webhookUrl', null);
      const refused = await wired.runner.run({ runId: 'w1', functionId: fn.id, code: fn.code, input: await sample('track') });
      expect(refused.outcome).toBe('Invalid Settings');
      expect(refused.error?.message).toContain('webhookUrl');
      expect(received).toEqual([]);

      await wired.settings.setTestValue(fn.id, 'webhookUrl', `${serverUrl}/wired`);
      const ran = await wired.runner.run({ runId: 'w2', functionId: fn.id, code: fn.code, input: await sample('track') });
      expect(ran.outcome).toBe('Success');
      expect(received.map((r) => r.url)).toEqual(['/wired']);
    } finally {
      await wired.close();
    }
  });
});

describe('runner, a handler.ts function', () => {
  const TS = [
    'interface Order {', // 1
    '  id: string;', // 2
    '}', // 3
    '', // 4
    'async function onTrack(event: SegmentTrackEvent): Promise<Order> {', // 5
    '  if (!event.userId) throw new ValidationError("no user");', // 6
    '  return { id: event.userId };', // 7
    '}', // 8
  ].join('\n');

  it('tells the editor the file, runs the compiled code and reports TypeScript lines; saves back to handler.ts', async () => {
    const fn = await core.functions.create({ displayName: 'Typed', templateId: 'default' });
    const dir = path.join(tmp, fn.id);
    await fs.rm(path.join(dir, 'handler.js'));
    await fs.writeFile(path.join(dir, 'handler.ts'), TS);
    const detail = await core.functions.get(fn.id);
    expect(detail.handlerFile).toBe('handler.ts');
    expect(detail.code).toBe(TS);

    const ok = await core.runner.run({ runId: 'ts1', functionId: fn.id, code: detail.code, input: { type: 'track', event: 'E', userId: 'u1' } });
    expect(ok.outcome).toBe('Success');
    expect(ok.result).toEqual({ id: 'u1' });
    const rejected = await core.runner.run({ runId: 'ts2', functionId: fn.id, code: detail.code, input: { type: 'track', event: 'E' } });
    expect(rejected.outcome).toBe('Message Rejected');
    expect(rejected.error?.frames).toEqual([{ functionName: 'onTrack', line: 6, column: 28 }]);
    expect(rejected.error?.stack).toContain('at onTrack (handler.ts:6:28)');

    const broken = await core.runner.run({ runId: 'ts3', functionId: fn.id, code: 'async function onTrack(event) {\n  const x: = 1;\n}\n', input: { type: 'track', event: 'E' } });
    expect(broken.outcome).toBe('Bad Request');
    expect(broken.error).toMatchObject({ name: 'SyntaxError', message: 'Type expected.', frames: [{ functionName: null, line: 2, column: 12 }] });

    await core.functions.saveCode(fn.id, TS + '\n// saved\n', detail.codeVersion);
    expect(await fs.readFile(path.join(dir, 'handler.ts'), 'utf8')).toContain('// saved');
    await expect(fs.access(path.join(dir, 'handler.js'))).rejects.toThrow();
  });
});
