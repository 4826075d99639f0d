/**
 * The network policy where connections are made, in this process: a fake resolver
 * stands in for DNS (recording every call) and `net.Socket.prototype.connect` is watched,
 * so each test shows what was resolved and connected. Only 127.0.0.1 servers ever
 * receive traffic: every other address is refused before a socket connects.
 */
import net from 'node:net';
import type { LookupAddress } from 'node:dns';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NetworkFailure, policyLookup, sendLive, type LiveRequest, type PolicyContext, type Resolver } from './live-request';
import { startTestServer, type TestServer } from '../test-support';

let server: TestServer;
let port = 0;
beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const redirect = /^\/redirect\?to=(.*)$/.exec(req.url);
    if (redirect) {
      res.statusCode = 302;
      res.setHeader('location', decodeURIComponent(redirect[1]));
      res.end();
      return;
    }
    if (req.url === '/bare-redirect') {
      res.statusCode = 301;
      res.end();
      return;
    }
    res.setHeader('content-type', 'text/plain');
    res.end(`${req.method} ${req.url} auth=${req.headers.authorization ?? '-'}`);
  });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
});

let connects: string[] = [];
let connectSpy: { mockRestore(): void } | null = null;
function watchConnects(): void {
  connects = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the socket as `this`
  const original = net.Socket.prototype.connect;
  connectSpy = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    const first = args[0] as { host?: string; port?: number } | unknown[];
    const options = Array.isArray(first) ? (first[0] as { host?: string; port?: number }) : first;
    connects.push(`${options?.host ?? '?'}:${options?.port ?? '?'}`);
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  });
}
afterEach(() => {
  connectSpy?.mockRestore();
  connectSpy = null;
});

/** A resolver answering from a table, recording each name it was asked for. */
function fakeResolver(table: Record<string, string[] | (() => string[])>): { resolve: Resolver; calls: string[] } {
  const calls: string[] = [];
  const resolve: Resolver = (hostname, _options, callback) => {
    calls.push(hostname);
    const entry = table[hostname];
    const addresses = typeof entry === 'function' ? entry() : entry;
    if (!addresses) {
      setImmediate(() => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []));
      return;
    }
    const answers: LookupAddress[] = addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
    setImmediate(() => callback(null, answers));
  };
  return { resolve, calls };
}

function get(url: string, extra: Partial<LiveRequest> = {}): LiveRequest {
  return { method: 'GET', url, headers: { connection: 'close' }, body: null, redirect: 'follow', follow: 20, timeoutMs: 5000, compress: true, maxBodyBytes: 0, ...extra };
}

function context(extra: Partial<PolicyContext> = {}): PolicyContext {
  return { strict: false, warnings: [], ...extra };
}

describe('sendLive under the network policy', () => {
  it('reaches a loopback server, marking the request with a warning', async () => {
    watchConnects();
    const ctx = context();
    const response = await sendLive(get(`${server.url}/plain`), ctx);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('GET /plain auth=-');
    expect(ctx.warnings).toEqual([`127.0.0.1 is a loopback address: Segment's servers could not reach this loopback address, so this request would fail on Segment`]);
    expect(connects).toEqual([`127.0.0.1:${port}`]);
  });

  it('refuses a redirect from a loopback server to the metadata address before connecting there', async () => {
    watchConnects();
    const before = server.requests.length;
    const target = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';
    const error = await sendLive(get(`${server.url}/redirect?to=${encodeURIComponent(target)}`), context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkFailure);
    expect((error as NetworkFailure).message).toBe(
      `request to ${target} failed, reason: blocked (network policy): 169.254.169.254 is a link-local address, where cloud metadata endpoints live; functions may never reach link-local addresses`,
    );
    expect((error as NetworkFailure).code).toBe('EBLOCKED');
    // the redirect was served, and the only connection made was to the loopback server
    expect(server.requests.length - before).toBe(1);
    expect(connects).toEqual([`127.0.0.1:${port}`]);
  });

  it('refuses redirects to other spellings of link-local addresses', async () => {
    for (const target of ['http://2852039166/', 'http://[::ffff:169.254.169.254]/', 'http://[fd00:ec2::254]/', 'http://[fe80::1]:8080/']) {
      watchConnects();
      const error = await sendLive(get(`${server.url}/redirect?to=${encodeURIComponent(target)}`), context()).catch((e: unknown) => e);
      expect((error as Error).message, target).toMatch(/blocked \(network policy\): .* is a link-local address/);
      expect(connects, target).toEqual([`127.0.0.1:${port}`]);
      connectSpy?.mockRestore();
    }
  });

  it('in strict mode refuses loopback and private literals without connecting', async () => {
    watchConnects();
    for (const url of [`${server.url}/plain`, 'http://10.1.2.3/', 'http://192.168.1.1/', 'http://[fd12::1]/', 'http://100.64.0.1/']) {
      const error = await sendLive(get(url), context({ strict: true })).catch((e: unknown) => e);
      expect((error as Error).message, url).toMatch(/blocked \(network policy\): .* is a (loopback|private) address, which Segment's servers could not reach; strict network mode blocks/);
    }
    expect(connects).toEqual([]);
  });

  it('judges a name by what it resolves to, resolving it once and connecting to that very address', async () => {
    watchConnects();
    let answers = 0;
    // a rebinding resolver: loopback first, the metadata address on every later question
    const { resolve, calls } = fakeResolver({ 'rebind.test': () => (answers++ === 0 ? ['127.0.0.1'] : ['169.254.169.254']) });
    const ctx = context({ resolve });
    const response = await sendLive(get(`http://rebind.test:${port}/named`), ctx);
    expect(response.body.toString()).toBe('GET /named auth=-');
    expect(calls).toEqual(['rebind.test']);
    expect(ctx.warnings[0]).toMatch(/^rebind\.test \(127\.0\.0\.1\) is a loopback address/);
    // the next request asks again and is refused: the answer is judged every time
    const error = await sendLive(get(`http://rebind.test:${port}/named`), context({ resolve })).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/blocked \(network policy\): rebind\.test \(169\.254\.169\.254\) is a link-local address/);
    expect(calls).toEqual(['rebind.test', 'rebind.test']);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const { resolve, calls } = fakeResolver({ 'mixed.test': ['127.0.0.1', '169.254.169.254'], 'metadata.test': ['fd00:ec2::254'] });
    const before = server.requests.length;
    const mixed = await sendLive(get(`http://mixed.test:${port}/`), context({ resolve })).catch((e: unknown) => e);
    expect((mixed as Error).message).toMatch(/mixed\.test \(169\.254\.169\.254\) is a link-local address/);
    const metadata = await sendLive(get('http://metadata.test/latest/meta-data/'), context({ resolve })).catch((e: unknown) => e);
    expect((metadata as Error).message).toMatch(/metadata\.test \(fd00:ec2::254\) is a link-local address/);
    expect(calls).toEqual(['mixed.test', 'metadata.test']);
    expect(server.requests.length).toBe(before);
  });

  it('follows redirects as node-fetch v2 does: 303 turns into GET, credentials dropped across hosts, limits kept', async () => {
    const { resolve } = fakeResolver({ 'other.test': ['127.0.0.1'] });
    const post = await sendLive(
      { ...get(`${server.url}/redirect?to=${encodeURIComponent('/landed')}`), method: 'POST', body: Buffer.from('x'), headers: { authorization: 'Bearer t', 'content-length': '1' } },
      context(),
    );
    expect(post.body.toString()).toBe('GET /landed auth=Bearer t');
    expect(post.redirected).toBe(true);
    expect(post.url).toBe(`${server.url}/landed`);
    const crossHost = await sendLive(
      { ...get(`${server.url}/redirect?to=${encodeURIComponent(`http://other.test:${port}/there`)}`), headers: { authorization: 'Bearer t' } },
      context({ resolve }),
    );
    expect(crossHost.body.toString()).toBe('GET /there auth=-');
    const manual = await sendLive(get(`${server.url}/redirect?to=${encodeURIComponent('/landed')}`, { redirect: 'manual' }), context());
    expect([manual.status, manual.headers.find(([name]) => name === 'location')?.[1]]).toEqual([302, `${server.url}/landed`]);
    const refused = await sendLive(get(`${server.url}/redirect?to=%2Flanded`, { redirect: 'error' }), context()).catch((e: unknown) => e);
    expect([(refused as NetworkFailure).type, (refused as Error).message]).toEqual(['no-redirect', `uri requested responds with a redirect, redirect mode is set to error: ${server.url}/redirect?to=%2Flanded`]);
    const loop = `${server.url}/redirect?to=${encodeURIComponent(`${server.url}/redirect?to=%2Flanded`)}`;
    const tooMany = await sendLive(get(loop, { follow: 1 }), context()).catch((e: unknown) => e);
    expect((tooMany as NetworkFailure).type).toBe('max-redirect');
    // a redirect status without Location is the answer when following, an error in 'error' mode
    expect((await sendLive(get(`${server.url}/bare-redirect`), context())).status).toBe(301);
    const bare = await sendLive(get(`${server.url}/bare-redirect`, { redirect: 'error' }), context()).catch((e: unknown) => e);
    expect((bare as NetworkFailure).type).toBe('no-redirect');
  });
});

describe('policyLookup', () => {
  it('answers in the form asked for (one address, or all)', async () => {
    const { resolve } = fakeResolver({ 'two.test': ['127.0.0.1', '::1'] });
    const lookup = policyLookup(context({ resolve }));
    const one = await new Promise<unknown[]>((done) => lookup('two.test', { family: 0 }, (...args: unknown[]) => done(args)));
    expect(one).toEqual([null, '127.0.0.1', 4]);
    const all = await new Promise<unknown[]>((done) => lookup('two.test', { all: true }, (...args: unknown[]) => done(args)));
    expect(all).toEqual([null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]]);
  });
});
