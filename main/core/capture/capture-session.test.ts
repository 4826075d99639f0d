/**
 * The capture endpoint end to end: a real HTTP server on 127.0.0.1 fed by Segment's own
 * Node library (@segment/analytics-node) and by hand-made requests, recording NDJSON, and
 * running each event through a real sandboxed function.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { Analytics } from '@segment/analytics-node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Outcome } from '../../contract/outcome';
import { createRuntime } from '../../../runtime/index';
import type { Runtime } from '../../../runtime/api';
import { startCaptureSession, type CaptureSession } from './capture-session';
import type { JsonObject } from './delivered-event';
import type { RejectedMessage } from './tracking-api';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-capture-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function readNdjson(file: string): JsonObject[] {
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as JsonObject);
}

async function start(options: Partial<Parameters<typeof startCaptureSession>[0]> = {}): Promise<{ session: CaptureSession; out: string; rejected: RejectedMessage[] }> {
  const out = path.join(scratch(), 'captures', 'events.ndjson');
  const rejected: RejectedMessage[] = [];
  const session = await startCaptureSession({ port: 0, outFile: out, listener: { rejected: (r) => rejected.push(...r) }, ...options });
  cleanups.push(async () => void (await session.stop()));
  return { session, out, rejected };
}

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe('capture fed by @segment/analytics-node', () => {
  it('records every call type as Segment would deliver it', async () => {
    const { session, out } = await start();
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const analytics = new Analytics({ writeKey: 'wk_test_123', host: session.url, flushAt: 4, maxRetries: 0 });
    const errors: unknown[] = [];
    analytics.on('error', (err) => errors.push(err));
    const before = Date.now();
    analytics.identify({ userId: 'user-1', traits: { email: 'a@b.test', plan: 'pro' } });
    analytics.track({ userId: 'user-1', event: 'Order Completed', properties: { total: 42.5, items: [{ sku: 'x' }] } });
    analytics.page({ anonymousId: 'anon-1', name: 'Pricing', properties: { path: '/pricing' } });
    analytics.screen({ userId: 'user-1', name: 'Home' });
    analytics.group({ userId: 'user-1', groupId: 'org-9', traits: { name: 'Initech' } });
    analytics.alias({ userId: 'user-1', previousId: 'anon-1' });
    analytics.track({ userId: 'user-2', event: 'Historic', timestamp: new Date('2020-05-05T05:05:05.000Z') });
    await analytics.closeAndFlush({ timeout: 15_000 });
    expect(errors).toEqual([]);

    const events = readNdjson(out);
    expect(events.map((e) => e.type)).toEqual(['identify', 'track', 'page', 'screen', 'group', 'alias', 'track']);
    expect(session.stats().captured).toBe(7);
    for (const event of events) {
      expect(event.messageId).toEqual(expect.any(String));
      expect(event).not.toHaveProperty('writeKey');
      expect(event).not.toHaveProperty('_metadata');
      expect(event.context).toMatchObject({ library: { name: '@segment/analytics-node' } });
      // analytics-node puts sentAt on the batch; Segment applies it to each event.
      expect(Date.parse(String(event.sentAt))).toBeGreaterThanOrEqual(before - 1000);
      const received = Date.parse(String(event.receivedAt));
      expect(received).toBeGreaterThanOrEqual(before - 1000);
      expect(received).toBeLessThanOrEqual(Date.now());
      expect(event.originalTimestamp).toEqual(expect.any(String));
    }
    expect(new Set(events.map((e) => e.messageId)).size).toBe(7);
    expect(events[1]).toMatchObject({ userId: 'user-1', event: 'Order Completed', properties: { total: 42.5, items: [{ sku: 'x' }] } });
    expect(events[2]).toMatchObject({ anonymousId: 'anon-1', name: 'Pricing' });
    expect(events[4]).toMatchObject({ groupId: 'org-9', traits: { name: 'Initech' } });
    expect(events[5]).toMatchObject({ previousId: 'anon-1' });
    // Same machine, same clock: the skew correction keeps the historic time within a few seconds.
    const historic = events[6];
    expect(historic.originalTimestamp).toBe('2020-05-05T05:05:05.000Z');
    expect(Math.abs(Date.parse(String(historic.timestamp)) - Date.parse('2020-05-05T05:05:05.000Z'))).toBeLessThan(5000);
  }, 90_000);

  it('only accepts the expected write key when one is set; the client sees the refusal', async () => {
    const { session, out } = await start({ writeKey: 'right-key' });
    const wrong = new Analytics({ writeKey: 'wrong-key', host: session.url, flushAt: 1, maxRetries: 0 });
    const errors: unknown[] = [];
    wrong.on('error', (err) => errors.push(err));
    wrong.track({ userId: 'u', event: 'Nope' });
    await wrong.closeAndFlush({ timeout: 15_000 });
    expect(errors.length).toBe(1);
    expect(String((errors[0] as { reason?: unknown }).reason ?? errors[0])).toMatch(/401/);

    const right = new Analytics({ writeKey: 'right-key', host: session.url, flushAt: 1, maxRetries: 0 });
    right.track({ userId: 'u', event: 'Yes' });
    await right.closeAndFlush({ timeout: 15_000 });
    expect(readNdjson(out).map((e) => e.event)).toEqual(['Yes']);
  }, 90_000);
});

describe('capture fed by hand-made requests', () => {
  it('answers limits, auth errors, gzip and CORS like the Tracking API', async () => {
    const { session, out, rejected } = await start();
    const send = (p: string, body: string | Buffer, headers: Record<string, string> = {}) =>
      fetch(session.url + p, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic('wk'), ...headers }, body });

    const ok = await send('/v1/track', JSON.stringify({ userId: 'u', event: 'Plain' }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ success: true });

    const zipped = await send('/v1/batch', gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'Zipped' }] })), { 'content-encoding': 'gzip' });
    expect(zipped.status).toBe(200);

    const big = await send('/v1/track', JSON.stringify({ userId: 'u', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } }));
    expect(big.status).toBe(400);
    expect(await big.json()).toMatchObject({ success: false, message: 'Exceed payload limit' });

    const hugeBatch = await send('/v1/batch', JSON.stringify({ batch: Array.from({ length: 20 }, () => ({ type: 'track', userId: 'u', event: 'E', properties: { blob: 'y'.repeat(30 * 1024) } })) }));
    expect(hugeBatch.status).toBe(400);
    expect(await hugeBatch.json()).toMatchObject({ message: 'Exceed payload limit' });

    const noKey = await fetch(session.url + '/v1/track', { method: 'POST', body: JSON.stringify({ userId: 'u', event: 'NoKey' }) });
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ success: false, code: 'missing_write_key' });

    const bodyKey = await fetch(session.url + '/v1/t', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ userId: 'u', event: 'BodyKey', writeKey: 'wk' }) });
    expect(bodyKey.status).toBe(200);

    const badJson = await send('/v1/identify', '{"userId": ');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ message: 'Invalid JSON' });

    const preflight = await fetch(session.url + '/v1/batch', { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');

    expect((await send('/v1/nothing', '{}')).status).toBe(404);

    expect(readNdjson(out).map((e) => e.event)).toEqual(['Plain', 'Zipped', 'BodyKey']);
    expect(rejected.map((r) => r.code)).toEqual(['payload_too_large', 'payload_too_large', 'missing_write_key', 'invalid_json', 'not_found']);
    const stats = await session.stop();
    expect(stats).toMatchObject({ captured: 3, rejected: 5 });
  }, 90_000);

  it('answers a huge or undecodable upload with 400 without reading it all, and keeps serving', async () => {
    const { session, out } = await start();
    const auth = { authorization: basic('wk') };
    const huge = await fetch(session.url + '/v1/batch', { method: 'POST', headers: auth, body: Buffer.alloc(12 * 1024 * 1024, 0x20) });
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({ message: 'Exceed payload limit' });
    const notGzip = await fetch(session.url + '/v1/track', { method: 'POST', headers: { ...auth, 'content-encoding': 'gzip' }, body: 'plain text' });
    expect(notGzip.status).toBe(400);
    const ok = await fetch(session.url + '/v1/track', { method: 'POST', headers: auth, body: JSON.stringify({ userId: 'u', event: 'After' }) });
    expect(ok.status).toBe(200);
    expect(readNdjson(out).map((e) => e.event)).toEqual(['After']);
  }, 90_000);

  it('appends to an existing recording, one whole event per line', async () => {
    const dir = scratch();
    const out = path.join(dir, 'events.ndjson');
    writeFileSync(out, JSON.stringify({ type: 'track', event: 'Earlier', userId: 'u' }) + '\n');
    const session = await startCaptureSession({ port: 0, outFile: out });
    cleanups.push(async () => void (await session.stop()));
    const sends = Array.from({ length: 20 }, (_, i) =>
      fetch(session.url + '/v1/track', { method: 'POST', headers: { authorization: basic('k') }, body: JSON.stringify({ userId: 'u', event: `E${i}`, properties: { text: 'line\nbreak' } }) }),
    );
    expect((await Promise.all(sends)).every((r) => r.status === 200)).toBe(true);
    await session.stop();
    const events = readNdjson(out);
    expect(events).toHaveLength(21);
    expect(events[0].event).toBe('Earlier');
    expect(new Set(events.slice(1).map((e) => e.event))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `E${i}`)));
    expect(events[5].properties).toEqual({ text: 'line\nbreak' });
  }, 90_000);
});

describe('capture running each event through a function', () => {
  let runtime: Runtime | null = null;
  afterEach(async () => {
    await runtime?.close();
    runtime = null;
  });

  it('gives each event its outcome in arrival order, mocked and otherwise offline, secrets masked', async () => {
    runtime = createRuntime({ workers: 1 });
    const code = `
async function onTrack(event, settings) {
  const res = await fetch('https://api.example.test/collect', { method: 'POST', body: JSON.stringify({ e: event.event, key: settings.apiKey }) });
  return { status: res.status };
}
async function onIdentify(event, settings) {
  await fetch('https://elsewhere.example.test/' + settings.apiKey);
}
`;
    const outcomes: Array<{ event: JsonObject; outcome: Outcome }> = [];
    const { session, out } = await start({
      run: {
        runtime,
        fn: {
          functionId: 'capture-test',
          code,
          filename: 'handler.js',
          settings: { apiKey: 'sk_live_abcdef123456' },
          secrets: ['sk_live_abcdef123456'],
          mockRules: [{ method: 'POST', url: 'https://api.example.test/*', status: 202, body: { ok: true } }],
          timeoutMs: 10_000,
        },
      },
      listener: { outcome: (event, outcome) => outcomes.push({ event, outcome }) },
    });
    const analytics = new Analytics({ writeKey: 'wk', host: session.url, flushAt: 4, maxRetries: 0 });
    analytics.track({ userId: 'u', event: 'First' });
    analytics.identify({ userId: 'u', traits: {} });
    analytics.page({ userId: 'u', name: 'Home' });
    analytics.track({ userId: 'u', event: 'Last' });
    await analytics.closeAndFlush({ timeout: 15_000 });
    const stats = await session.stop();

    expect(outcomes.map((o) => [o.event.type, o.outcome.outcome])).toEqual([
      ['track', 'Success'],
      ['identify', 'Bad Request'],
      ['page', 'Unsupported Event Type'],
      ['track', 'Success'],
    ]);
    expect(outcomes[0].outcome.result).toEqual({ status: 202 });
    expect(outcomes[0].outcome.requests[0].mocked).toBe(true);
    const offline = outcomes[1].outcome;
    expect(offline.error?.message).toMatch(/offline/i);
    expect(JSON.stringify(outcomes)).not.toContain('sk_live_abcdef123456');
    expect(stats.outcomes).toEqual({ Success: 2, 'Bad Request': 1, 'Unsupported Event Type': 1 });
    // The recording holds the events, not the outcomes.
    expect(readNdjson(out).map((e) => e.type)).toEqual(['track', 'identify', 'page', 'track']);
  }, 90_000);
});
