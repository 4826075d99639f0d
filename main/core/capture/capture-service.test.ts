/**
 * The app's capture service through core (createCoreServices + dispatch, as a host calls
 * it): a real endpoint on 127.0.0.1, Segment's Node library sending, each event run by the
 * studio's runner in the real sandbox, host events streamed in order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Analytics } from '@segment/analytics-node';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { CaptureStatus, CapturedEvent } from '../../contract/capture';
import type { Outcome } from '../../contract/outcome';
import type { HostEvent } from '../../contract/transport';
import { createRuntime } from '../../../runtime/index';
import type { Runtime } from '../../../runtime/api';
import { dispatch } from '../dispatch';
import { createCoreServices, type CoreServices } from '../services';

let tmp: string;
let runtime: Runtime;
let core: CoreServices;
let events: HostEvent[];

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-capture-svc-'));
  runtime = createRuntime({ workers: 1 });
  core = createCoreServices({ workspaceRoot: path.join(tmp, 'ws'), runtime, watch: false });
  events = [];
  core.onEvent((e) => events.push(e));
  await core.ready;
});
afterEach(async () => {
  await core.close();
  await runtime.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function waitFor(pred: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const CODE = `
async function onTrack(event, settings) {
  const res = await fetch('https://hooks.example.test/in', { method: 'POST', body: JSON.stringify(event.properties) });
  console.log('hook said', res.status);
  return res.status;
}
async function onIdentify(event) {
  await fetch('https://not-mocked.example.test/');
}
`;

describe('capture.* through core', () => {
  it('streams each captured event and its outcome from the open function, recording NDJSON in .fnstudio/captures', async () => {
    const fn = await core.functions.create({ displayName: 'Live Capture', templateId: 'default' });
    await fs.writeFile(path.join(tmp, 'ws', fn.id, 'mocks.json'), JSON.stringify([{ method: 'POST', url: 'https://hooks.example.test/*', status: 204 }]));

    const started = await dispatch(core, 'capture.start', [{ port: 0, functionId: fn.id, code: CODE }]);
    expect(started.ok).toBe(true);
    const status = (started as { result: CaptureStatus }).result;
    expect(status).toMatchObject({ running: true, functionId: fn.id, captured: 0 });
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(status.recording).toMatch(new RegExp(`^${fn.id}/\\.fnstudio/captures/capture-.*\\.ndjson$`));

    const second = await dispatch(core, 'capture.start', [{ port: 0, functionId: null }]);
    expect(second).toMatchObject({ ok: false, error: { name: 'Conflict' } });

    const analytics = new Analytics({ writeKey: 'wk', host: String(status.url), flushAt: 2, maxRetries: 0 });
    analytics.track({ userId: 'u1', event: 'Cart Viewed', properties: { items: 3 } });
    analytics.identify({ userId: 'u1', traits: { plan: 'pro' } });
    await analytics.closeAndFlush({ timeout: 15_000 });
    await fetch(String(status.url) + '/v1/track', { method: 'POST', body: '{"userId": "u1", "event": "No key"}' });

    await waitFor(() => events.filter((e) => e.type === 'capture.outcome').length === 2, 'two outcomes');
    const items = events.flatMap<CapturedEvent>((e) => (e.type === 'capture.event' ? [e.item] : []));
    expect(items.map((i) => [i.seq, i.summary])).toEqual([
      [1, 'track "Cart Viewed" (user u1)'],
      [2, 'identify (user u1)'],
    ]);
    expect(items[0].event).toMatchObject({ type: 'track', properties: { items: 3 }, receivedAt: expect.any(String), messageId: expect.any(String) });
    const outcomes = events.flatMap<readonly [number, Outcome]>((e) => (e.type === 'capture.outcome' ? [[e.seq, e.outcome] as const] : []));
    expect(outcomes.map(([seq, o]) => [seq, o.outcome])).toEqual([
      [1, 'Success'],
      [2, 'Bad Request'],
    ]);
    expect(outcomes[0][1].result).toBe(204);
    expect(outcomes[0][1].logs[0].message).toBe('hook said 204');
    expect(outcomes[1][1].error?.message).toMatch(/offline/i);
    const refused = events.find((e) => e.type === 'capture.refused');
    expect(refused).toMatchObject({ path: '/v1/track', status: 400 });

    const stopped = await dispatch(core, 'capture.stop', []);
    expect(stopped).toMatchObject({ ok: true, result: { running: false, captured: 2, refused: 1 } });
    expect(events.at(-1)).toMatchObject({ type: 'capture.status', status: { running: false } });
    const recorded = (await fs.readFile(path.join(tmp, 'ws', String(status.recording)), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(recorded.map((e) => e.type)).toEqual(['track', 'identify']);
    // Stopping again is harmless; the port is free for the next capture.
    expect((await dispatch(core, 'capture.stop', [])).ok).toBe(true);
    const port = Number(new URL(String(status.url)).port);
    const again = await dispatch(core, 'capture.start', [{ port, functionId: null }]);
    expect(again).toMatchObject({ ok: true, result: { running: true, recording: null } });
  }, 90_000);

  it('refuses a bad mocks.json, a port in use and a bad request, naming the problem', async () => {
    const fn = await core.functions.create({ displayName: 'Bad Mocks', templateId: 'default' });
    await fs.writeFile(path.join(tmp, 'ws', fn.id, 'mocks.json'), '[{"status": 200}]');
    const bad = await dispatch(core, 'capture.start', [{ port: 0, functionId: fn.id, code: CODE }]);
    expect(bad).toMatchObject({ ok: false, error: { name: 'InvalidArgument' } });
    expect((bad as { error: { message: string } }).error.message).toMatch(/mocks\.json: .*url/);

    // Another program holds the port.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const clash = await dispatch(core, 'capture.start', [{ port, functionId: null }]);
      expect(clash).toMatchObject({ ok: false, error: { name: 'InvalidArgument' } });
      expect((clash as { error: { message: string } }).error.message).toBe(`port ${port} on 127.0.0.1 is already in use: choose another port`);
      expect((await core.capture.status()).running).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }

    const wrong = await dispatch(core, 'capture.start', [{ port: 70000, functionId: null }]);
    expect(wrong).toMatchObject({ ok: false, error: { name: 'InvalidArgument' } });
  }, 90_000);
});
