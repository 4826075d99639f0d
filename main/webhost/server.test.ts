import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { createCoreServices, type CoreServices } from '../core/services';
import { lazyRuntime } from '../core/lazy-runtime';
import { startWebHost, type WebHost } from './server';
import type { JsonRpcResponse } from '../contract/transport';

let tmp: string;
let rendererDir: string;
let core: CoreServices;
let host: WebHost;

const noRuntime = lazyRuntime(() => {
  throw new Error('no runtime in these tests');
});

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-webhost-'));
  rendererDir = path.join(tmp, 'renderer');
  await fs.mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>fnstudio</title><script type="module" src="./assets/app.js"></script>');
  await fs.writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  await fs.writeFile(path.join(tmp, 'secret.txt'), 'outside');
  core = createCoreServices({ workspaceRoot: path.join(tmp, 'ws'), runtime: noRuntime, watchDebounceMs: 50 });
  await core.ready;
  host = await startWebHost({ api: core, onEvent: (l) => core.onEvent(l), rendererDir });
});

afterEach(async () => {
  await host.close();
  await core.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function loginCookie(): Promise<string> {
  const res = await get(`/?token=${host.token}`);
  const setCookie = res.headers['set-cookie']?.[0] ?? '';
  return setCookie.split(';')[0];
}

function origin(): string {
  return `http://127.0.0.1:${host.port}`;
}

/** Opens a WebSocket and reports either 'open' or the HTTP status it was refused with. */
function connect(headers: Record<string, string>, pathname = '/rpc'): Promise<{ ws: WebSocket | null; status: number | 'open' }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${pathname}`, { headers });
    ws.once('open', () => resolve({ ws, status: 'open' }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws: null, status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.once('error', (err) => {
      if (!String(err.message).includes('Unexpected server response')) reject(err);
    });
  });
}

class RpcClient {
  private nextId = 1;
  private pending = new Map<number, (r: JsonRpcResponse) => void>();
  readonly events: unknown[] = [];
  private eventWaiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { id?: number; method?: string; params?: unknown };
      if (msg.method === 'event') {
        this.events.push(msg.params);
        this.eventWaiters.splice(0).forEach((w) => w());
      } else if (typeof msg.id === 'number') this.pending.get(msg.id)?.(msg as JsonRpcResponse);
    });
  }
  call(method: string, params: unknown[]): Promise<JsonRpcResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }
  raw(text: string): Promise<JsonRpcResponse> {
    return new Promise((resolve) => {
      this.ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as JsonRpcResponse));
      this.ws.send(text);
    });
  }
  async waitForEvent(pred: (e: unknown) => boolean, timeoutMs = 15_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((r) => {
        this.eventWaiters.push(r);
        setTimeout(r, 200);
      });
    }
  }
}

async function rpcClient(): Promise<RpcClient> {
  const cookie = await loginCookie();
  const { ws, status } = await connect({ Cookie: cookie, Origin: origin() });
  expect(status).toBe('open');
  return new RpcClient(ws as WebSocket);
}

describe('HTTP', () => {
  it('requires the token', async () => {
    const res = await get('/');
    expect(res.status).toBe(401);
    expect(res.body).toContain('missing or wrong token');
    expect((await get('/assets/app.js')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { Cookie: `fnstudio_token_${host.port}=wrong` })).status).toBe(401);
    // A cookie for another port's server is not ours.
    expect((await get('/', { Cookie: `fnstudio_token_1=${host.token}` })).status).toBe(401);
  });

  it('turns the query token into an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    const res = await get(`/?token=${host.token}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = res.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toBe(`fnstudio_token_${host.port}=${host.token}; HttpOnly; SameSite=Strict; Path=/`);
    for (const odd of [`//evil.example/?token=${host.token}`, `/assets/app.js?token=${host.token}&x=1`]) {
      const again = await get(odd);
      expect(again.status).toBe(302);
      expect(again.headers.location).toBe('/');
    }
    const page = await get('/', { Cookie: cookie.split(';')[0] });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>fnstudio</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const asset = await get('/assets/app.js', { Cookie: cookie.split(';')[0] });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.body).toBe('console.log("app")');
  });

  it('sends the CSP (with its own WebSocket origin) and hardening headers on HTML', async () => {
    const page = await get('/', { Cookie: await loginCookie() });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('rejects a foreign Host header (DNS rebinding) even with the token', async () => {
    const cookie = await loginCookie();
    for (const h of [`evil.example:${host.port}`, '127.0.0.1', `127.0.0.1:${host.port + 1}`, `localhost.evil.example:${host.port}`]) {
      const res = await get('/', { Host: h, Cookie: cookie });
      expect(res.status).toBe(421);
    }
    expect((await get(`/?token=${host.token}`, { Host: `evil.example:${host.port}` })).status).toBe(421);
    expect((await get('/', { Host: `localhost:${host.port}`, Cookie: cookie })).status).toBe(200);
  });

  it('never serves files outside the renderer folder', async () => {
    const cookie = await loginCookie();
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/a%00b']) {
      const res = await get(p, { Cookie: cookie });
      expect([400, 403, 404]).toContain(res.status);
      expect(res.body).not.toContain('outside');
    }
    expect((await get('/nope.js', { Cookie: cookie })).status).toBe(404);
    expect((await get('/', { Cookie: cookie }, 'POST')).status).toBe(405);
  });

  it('says how to build when the renderer is missing', async () => {
    await fs.rm(rendererDir, { recursive: true });
    const res = await get('/', { Cookie: await loginCookie() });
    expect(res.status).toBe(404);
    expect(res.body).toContain('run npm run build');
  });
});

describe('WebSocket', () => {
  it('requires the token cookie', async () => {
    expect((await connect({ Origin: origin() })).status).toBe(401);
    expect((await connect({ Origin: origin(), Cookie: `fnstudio_token_${host.port}=nope` })).status).toBe(401);
  });

  it('rejects cross-site and missing Origins', async () => {
    const cookie = await loginCookie();
    expect((await connect({ Cookie: cookie, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await connect({ Cookie: cookie, Origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403);
    expect((await connect({ Cookie: cookie, Origin: `https://127.0.0.1:${host.port}` })).status).toBe(403);
    expect((await connect({ Cookie: cookie })).status).toBe(403);
  });

  it('rejects a foreign Host and other paths', async () => {
    const cookie = await loginCookie();
    expect((await connect({ Cookie: cookie, Origin: 'http://evil.example:1', Host: 'evil.example:1' })).status).toBe(421);
    expect((await connect({ Cookie: cookie, Origin: origin() }, '/other')).status).toBe(404);
    const viaLocalhost = await connect({ Cookie: cookie, Origin: `http://localhost:${host.port}`, Host: `localhost:${host.port}` });
    expect(viaLocalhost.status).toBe('open');
    viaLocalhost.ws?.close();
  });

  it('speaks the contract over JSON-RPC: list, create, get, saveCode', async () => {
    const rpc = await rpcClient();
    expect(await rpc.call('functions.list', [])).toEqual({ jsonrpc: '2.0', id: 1, result: [] });
    const created = await rpc.call('functions.create', [{ displayName: 'Hello Hook', templateId: 'webhook' }]);
    expect(created).toMatchObject({ id: 2, result: { id: 'hello-hook', meta: { displayName: 'Hello Hook' } } });
    const got = await rpc.call('functions.get', ['hello-hook']);
    const detail = (got as { result: { code: string; codeVersion: string } }).result;
    expect(detail.code).toContain('async function onTrack');
    const saved = await rpc.call('functions.saveCode', ['hello-hook', 'async function onTrack() {}', detail.codeVersion]);
    expect(saved).toMatchObject({ result: { codeVersion: expect.any(String) } });
    expect(await fs.readFile(path.join(tmp, 'ws', 'hello-hook', 'handler.js'), 'utf8')).toBe('async function onTrack() {}');
    const list = await rpc.call('functions.list', []);
    expect((list as { result: Array<{ id: string }> }).result.map((f) => f.id)).toEqual(['hello-hook']);
    const conflict = await rpc.call('functions.saveCode', ['hello-hook', 'x', detail.codeVersion]);
    expect(conflict).toMatchObject({ error: { code: -32000, data: { name: 'Conflict' } } });
    const voidResult = await rpc.call('functions.delete', ['hello-hook']);
    expect(voidResult).toMatchObject({ result: null });
    const templates = await rpc.call('templates.list', []);
    expect((templates as { result: Array<{ id: string }> }).result.map((t) => t.id)).toEqual(['default', 'webhook', 'retry', 'validate', 'batch']);
    rpc.ws.close();
  });

  it('answers bad calls with errors naming the method, argument and problem', async () => {
    const rpc = await rpcClient();
    expect(await rpc.call('functions.get', [42])).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32602, message: 'functions.get: argument 1 (id) must be a string, got number', data: { name: 'InvalidArgument' } },
    });
    const traversal = await rpc.call('functions.get', ['../../etc']);
    expect(traversal).toMatchObject({ error: { code: -32602, data: { name: 'InvalidArgument' }, message: expect.stringContaining('not a valid function id') } });
    expect(await rpc.call('functions.nope', [])).toMatchObject({ error: { code: -32601, data: { name: 'UnknownMethod' } } });
    expect(await rpc.call('functions.get', ['missing'])).toMatchObject({ error: { code: -32000, data: { name: 'NotFound' } } });
    expect(await rpc.raw('{not json')).toMatchObject({ id: null, error: { code: -32700 } });
    expect(await rpc.raw('[]')).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('batch') } });
    expect(await rpc.raw('{"jsonrpc":"2.0","id":7,"method":"functions.list","params":{}}')).toMatchObject({ id: 7, error: { code: -32602 } });
    rpc.ws.close();
  });

  it('pushes functions.changed when a function is edited on disk', async () => {
    const rpc = await rpcClient();
    await rpc.call('functions.create', [{ displayName: 'Watched', templateId: 'default' }]);
    await rpc.waitForEvent((e) => JSON.stringify(e) === JSON.stringify({ type: 'functions.changed', id: null }));
    // The watcher attaches to the new folder a moment later (longer on a loaded machine): an
    // edit made before that is not seen, so edit again until one is, for up to 15 s.
    rpc.events.length = 0;
    const isWatched = (e: unknown) => (e as { id?: string }).id === 'watched';
    let changed: unknown;
    for (let attempt = 1; changed === undefined; attempt++) {
      await fs.writeFile(path.join(tmp, 'ws', 'watched', 'handler.js'), `// edited in another editor (${attempt})\n`);
      changed = await rpc.waitForEvent(isWatched, 1_000).catch((err: unknown) => {
        if (attempt >= 15) throw err;
        return undefined;
      });
    }
    expect(changed).toEqual({ type: 'functions.changed', id: 'watched' });
    await fs.mkdir(path.join(tmp, 'ws', 'from-git'));
    await fs.writeFile(path.join(tmp, 'ws', 'from-git', 'handler.js'), '');
    await rpc.waitForEvent((e) => (e as { id?: string | null }).id === null);
    rpc.ws.close();
  });
});
