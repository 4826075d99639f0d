/**
 * The web host's bounds, probed with real sockets on 127.0.0.1: one-time links, idle and
 * slow connections, the connection and WebSocket caps, the message size, and the calls one
 * connection may have in flight. Limits are set small per test so that each bound is
 * reached quickly; the margins allow for a loaded 2-core machine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import type { FnStudioApi } from '../contract/api';
import { startWebHost, type WebHost } from './server';
import type { WebHostLimits } from './limits';
import { webHostLimits } from './limits';
import { OneTimeLinks } from './one-time-links';

let host: WebHost | null = null;
let rendererDir = '';
const sockets: Array<net.Socket | WebSocket> = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) {
    if (s instanceof WebSocket) s.terminate();
    else s.destroy();
  }
  await host?.close();
  host = null;
  if (rendererDir) await fs.rm(path.dirname(rendererDir), { recursive: true, force: true });
});

/** An api whose functions.list waits until released, counting the calls it is running. */
function gatedApi() {
  const state = { running: 0, maxRunning: 0, started: 0, release: [] as Array<() => void> };
  const api = {
    functions: {
      list: () => {
        state.running++;
        state.started++;
        state.maxRunning = Math.max(state.maxRunning, state.running);
        return new Promise<unknown[]>((resolve) =>
          state.release.push(() => {
            state.running--;
            resolve([]);
          }),
        );
      },
    },
    runner: { cancel: async () => undefined },
  };
  return { api: api as unknown as FnStudioApi, state };
}

async function start(limits: Partial<WebHostLimits>, api: FnStudioApi = gatedApi().api): Promise<WebHost> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-limits-'));
  rendererDir = path.join(tmp, 'renderer');
  await fs.mkdir(rendererDir);
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>fnstudio</title>');
  host = await startWebHost({ api, rendererDir, limits });
  return host;
}

function get(h: WebHost, pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: h.port, path: pathname, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A raw TCP connection; resolves when connected. */
function rawSocket(h: WebHost): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(h.port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
    sockets.push(s);
  });
}

/** Milliseconds until the server closes `s`, or null if it is still open after `withinMs`. */
function closedWithin(s: net.Socket, withinMs: number): Promise<number | null> {
  const began = Date.now();
  return new Promise((resolve) => {
    if (s.destroyed || s.readableEnded) return resolve(0);
    const timer = setTimeout(() => resolve(null), withinMs);
    const done = () => {
      clearTimeout(timer);
      resolve(Date.now() - began);
    };
    s.once('close', done);
    s.once('end', done);
    s.resume();
  });
}

async function cookieFor(h: WebHost): Promise<string> {
  const res = await get(h, `/?token=${h.token}`);
  return (res.headers['set-cookie']?.[0] ?? '').split(';')[0];
}

function openRpc(h: WebHost, cookie: string): Promise<{ ws: WebSocket | null; status: number | 'open' }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/rpc`, { headers: { Cookie: cookie, Origin: `http://127.0.0.1:${h.port}` } });
    sockets.push(ws);
    ws.once('open', () => resolve({ ws, status: 'open' }));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ ws: null, status: res.statusCode ?? 0 });
    });
    ws.once('error', (err) => {
      if (!String(err.message).includes('Unexpected server response')) reject(err);
    });
  });
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('one-time links', () => {
  it('are good for exactly one visit, which gets the token cookie', async () => {
    const h = await start({});
    const link = h.oneTimeUrl();
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${h.port}/\\?once=[A-Za-z0-9_-]{43}$`));
    expect(link).not.toContain(h.token);
    const first = await get(h, new URL(link).pathname + new URL(link).search);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    expect(first.headers['set-cookie']?.[0]).toBe(`fnstudio_token_${h.port}=${h.token}; HttpOnly; SameSite=Strict; Path=/`);
    const again = await get(h, new URL(link).pathname + new URL(link).search);
    expect(again.status).toBe(401);
    expect(again.body).toContain('one-time link was already used or has expired');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await get(h, '/?once=made-up')).status).toBe(401);
    // Two links are independent; the printed token URL keeps working throughout.
    const a = new URL(h.oneTimeUrl());
    const b = new URL(h.oneTimeUrl());
    expect((await get(h, b.pathname + b.search)).status).toBe(302);
    expect((await get(h, a.pathname + a.search)).status).toBe(302);
    expect((await get(h, `/?token=${h.token}`)).status).toBe(302);
  });

  it('expire after their lifetime', () => {
    let now = 1_000;
    const links = new OneTimeLinks(60_000, () => now);
    const late = links.issue();
    const onTime = links.issue();
    now += 59_000;
    expect(links.redeem(onTime)).toBe(true);
    now += 2_000;
    expect(links.redeem(late)).toBe(false);
  });
});

describe('connections', () => {
  it('closes a connection that sends nothing', async () => {
    const h = await start({ idleTimeoutMs: 400, headersTimeoutMs: 20_000, requestTimeoutMs: 20_000 });
    const idle = await rawSocket(h);
    const closed = await closedWithin(idle, 10_000);
    expect(closed).not.toBeNull();
    expect(closed as number).toBeGreaterThanOrEqual(300);
  });

  it('closes a connection whose headers never finish, though it keeps sending', async () => {
    // The idle limit is far away and a header line every 150 ms resets it: only the
    // headers timeout can close this one.
    const h = await start({ idleTimeoutMs: 20_000, headersTimeoutMs: 800, requestTimeoutMs: 20_000 });
    const slow = await rawSocket(h);
    slow.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => slow.writable && slow.write('X-a: b\r\n'), 150);
    try {
      const closed = await closedWithin(slow, 10_000);
      expect(closed).not.toBeNull();
      expect(closed as number).toBeGreaterThanOrEqual(700);
    } finally {
      clearInterval(drip);
    }
  });

  it('refuses connections past the cap and accepts again once one closes', async () => {
    const h = await start({ maxConnections: 5, idleTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000 });
    // Five kept-alive connections, each answered once: the server has surely accepted them.
    const held = await Promise.all(Array.from({ length: 5 }, () => rawSocket(h)));
    await Promise.all(
      held.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.once('data', () => resolve());
            s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n\r\n`);
          }),
      ),
    );
    const extra = await rawSocket(h);
    expect(await closedWithin(extra, 5_000)).not.toBeNull();
    for (const s of held) expect(s.destroyed).toBe(false);
    held[0].destroy();
    // Once the server has seen that close, a new connection is served again.
    let status = 0;
    for (const deadline = Date.now() + 10_000; status !== 401 && Date.now() < deadline; ) {
      status = await get(h, '/').then((r) => r.status, () => 0);
      if (status !== 401) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(401);
  });

  it('refuses WebSockets past their cap with 503, naming the cap', async () => {
    const h = await start({ maxWebSockets: 2 });
    const cookie = await cookieFor(h);
    expect((await openRpc(h, cookie)).status).toBe('open');
    const second = await openRpc(h, cookie);
    expect(second.status).toBe('open');
    expect((await openRpc(h, cookie)).status).toBe(503);
    const gone = new Promise((r) => second.ws?.once('close', r));
    second.ws?.close();
    await gone;
    // The server frees the slot when it sees the close; a new tab then gets in.
    let status: number | 'open' = 0;
    for (const deadline = Date.now() + 10_000; status !== 'open' && Date.now() < deadline; ) {
      status = (await openRpc(h, cookie)).status;
      if (status !== 'open') await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe('open');
  });

  it('keeps an open WebSocket past the idle timeout (a quiet studio tab)', async () => {
    const h = await start({ idleTimeoutMs: 300 });
    const { ws } = await openRpc(h, await cookieFor(h));
    await new Promise((r) => setTimeout(r, 900));
    expect(ws?.readyState).toBe(WebSocket.OPEN);
  });
});

describe('messages', () => {
  it('closes a socket whose message is over the limit (1009), and serves the next one', async () => {
    const { api } = gatedApi();
    const h = await start({ maxMessageBytes: 64 * 1024 }, api);
    const cookie = await cookieFor(h);
    const { ws } = await openRpc(h, cookie);
    const closed = new Promise<number>((resolve) => ws?.once('close', (code) => resolve(code)));
    ws?.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'functions.saveCode', params: ['f', 'x'.repeat(64 * 1024)] }));
    expect(await closed).toBe(1009);
    const next = await openRpc(h, cookie);
    expect(next.status).toBe('open');
    const answer = new Promise<string>((resolve) => next.ws?.once('message', (d: Buffer) => resolve(d.toString())));
    next.ws?.send('{not json');
    expect(JSON.parse(await answer)).toMatchObject({ error: { code: -32700 } });
  });

  it('runs at most maxCallsInFlight calls per connection and answers every call, in order', async () => {
    const { api, state } = gatedApi();
    const h = await start({ maxCallsInFlight: 3 }, api);
    const { ws } = await openRpc(h, await cookieFor(h));
    const answered: number[] = [];
    ws?.on('message', (d: Buffer) => answered.push((JSON.parse(d.toString()) as { id: number }).id));
    for (let id = 1; id <= 20; id++) ws?.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'functions.list', params: [] }));
    await waitFor(() => state.started === 3, 'three calls to start');
    // Whatever else has arrived waits: nothing more starts until one answers.
    await new Promise((r) => setTimeout(r, 300));
    expect(state.started).toBe(3);
    const deadline = Date.now() + 15_000;
    while (answered.length < 20 && Date.now() < deadline) {
      state.release.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(state.maxRunning).toBe(3);
    expect(state.started).toBe(20);
    expect(answered).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('webHostLimits', () => {
  it('refuses limits that are not positive whole numbers, naming the limit', () => {
    expect(() => webHostLimits({ maxConnections: 0 })).toThrow('maxConnections must be a positive whole number, got 0');
    expect(() => webHostLimits({ idleTimeoutMs: 1.5 })).toThrow('idleTimeoutMs');
    expect(() => webHostLimits({ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 })).toThrow('must not exceed requestTimeoutMs');
    expect(webHostLimits().maxMessageBytes).toBe(8 * 1024 * 1024);
  });
});
