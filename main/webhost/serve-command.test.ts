import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { serveCommand, type ServeIo } from './serve-command';
import { lazyRuntime } from '../core/lazy-runtime';
import { parseServeArgs } from './args';
import { WebSocket } from 'ws';
import { ConfPreferencesStore } from '../core/preferences/conf-store';
import { defaultPreferences } from '../core/preferences-service';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-serve-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function capture(): { stream: PassThrough; text: () => string; line: () => Promise<string> } {
  const stream = new PassThrough();
  let text = '';
  const waiters: Array<() => void> = [];
  stream.on('data', (c: Buffer) => {
    text += c.toString();
    waiters.splice(0).forEach((w) => w());
  });
  return {
    stream,
    text: () => text,
    line: async () => {
      while (!text.includes('\n')) await new Promise<void>((r) => waiters.push(r));
      return text.split('\n')[0];
    },
  };
}

function io(extra: Partial<ServeIo> = {}): ServeIo & { out: ReturnType<typeof capture>; err: ReturnType<typeof capture> } {
  const out = capture();
  const err = capture();
  return {
    out,
    err,
    stdout: out.stream,
    stderr: err.stream,
    env: { FNSTUDIO_CONFIG_DIR: path.join(tmp, 'config'), FNSTUDIO_WORKSPACE: path.join(tmp, 'env-ws'), PATH: process.env.PATH },
    rendererDir: path.join(tmp, 'renderer'),
    runtime: lazyRuntime(() => {
      throw new Error('unused');
    }),
    ...extra,
  };
}

function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('serveCommand', () => {
  it('prints exactly the URL line, opens the browser with a one-time link (never the token), serves, and stops on signal', async () => {
    const controller = new AbortController();
    const opened: string[] = [];
    const streams = io({ signal: controller.signal, openBrowser: (u) => (opened.push(u), true) });
    const done = serveCommand(['--workspace', path.join(tmp, 'flag-ws')], streams);
    const line = await streams.out.line();
    expect(line).toMatch(/^fnstudio: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const url = line.slice('fnstudio: '.length);
    const token = new URL(url).searchParams.get('token') ?? '';
    // The opener's command line is world-readable (ps): it carries a nonce, not the token.
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(new RegExp(`^${url.replace(/\?token=.*/, '').replace(/[.]/g, '\\.')}\\?once=[A-Za-z0-9_-]{43}$`));
    expect(opened[0]).not.toContain(token);
    expect(await status(opened[0])).toBe(302);
    expect(await status(opened[0])).toBe(401);
    expect(await status(url.replace(/\?token=.*/, ''))).toBe(401);
    expect(await status(url)).toBe(302);
    // The flag wins over FNSTUDIO_WORKSPACE; the watcher creates the folder.
    expect((await fs.stat(path.join(tmp, 'flag-ws'))).isDirectory()).toBe(true);
    expect(streams.err.text()).toContain(path.join(tmp, 'flag-ws'));
    controller.abort();
    expect(await done).toBe(0);
    await expect(status(url)).rejects.toThrow();
  });

  it('honours --port and --no-open, and FNSTUDIO_WORKSPACE without a flag', async () => {
    const controller = new AbortController();
    const opened: string[] = [];
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const streams = io({ signal: controller.signal, openBrowser: (u) => (opened.push(u), true) });
    const done = serveCommand(['--port', String(port), '--no-open'], streams);
    expect(await streams.out.line()).toMatch(new RegExp(`^fnstudio: http://127\\.0\\.0\\.1:${port}/\\?token=`));
    expect(opened).toEqual([]);
    expect(streams.err.text()).toContain(path.join(tmp, 'env-ws'));
    controller.abort();
    expect(await done).toBe(0);
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    const streams = io();
    expect(await serveCommand(['--port', String(port), '--no-open'], streams)).toBe(1);
    expect(streams.err.text()).toContain(`port ${port} is already in use`);
    expect(streams.out.text()).toBe('');
    await new Promise<void>((r) => busy.close(() => r()));
  });

  it('exits 1 naming the folder, the problem and where it came from when the workspace cannot be used', async () => {
    const file = path.join(tmp, 'a-file');
    await fs.writeFile(file, 'x');
    const streams = io({ env: { ...io().env, FNSTUDIO_WORKSPACE: file } });
    expect(await serveCommand(['--port', '0', '--no-open'], streams)).toBe(1);
    expect(streams.err.text()).toContain(
      `fnstudio serve: cannot start: Cannot use ${file} as the workspace folder: it is a file, not a folder (the folder is from FNSTUDIO_WORKSPACE; start with --workspace DIR to use another one)`,
    );
    expect(streams.err.text()).not.toContain('EEXIST');
    expect(streams.out.text()).toBe('');
    expect(await fs.readFile(file, 'utf8')).toBe('x');
  });

  it('rejects bad arguments with exit 2 and usage', async () => {
    for (const argv of [['--port'], ['--port', 'abc'], ['--port', '70000'], ['--bogus'], ['--workspace', '']]) {
      const streams = io();
      expect(await serveCommand(argv, streams)).toBe(2);
      expect(streams.err.text()).toMatch(/^fnstudio serve: /);
      expect(streams.err.text()).toContain('Usage: fnstudio serve');
    }
    const help = io();
    expect(await serveCommand(['--help'], help)).toBe(0);
    expect(help.out.text()).toContain('--no-open');
  });
});

/** Logs in with the printed URL's token and opens the JSON-RPC socket the renderer uses. */
async function rpcOver(url: string): Promise<{ call: (method: string, params: unknown[]) => Promise<{ result?: unknown; error?: { message: string; data: { name: string } } }>; events: unknown[]; close: () => void }> {
  const cookie = await new Promise<string>((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      resolve((res.headers['set-cookie']?.[0] ?? '').split(';')[0]);
    }).on('error', reject);
  });
  const { origin } = new URL(url);
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, { headers: { Cookie: cookie, Origin: origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const events: unknown[] = [];
  const pending = new Map<number, (msg: never) => void>();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { id?: number; method?: string; params?: unknown };
    if (msg.method === 'event') events.push(msg.params);
    else if (typeof msg.id === 'number') pending.get(msg.id)?.(msg as never);
  });
  let nextId = 1;
  return {
    events,
    call: (method, params) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      }),
    close: () => ws.close(),
  };
}

async function writeFunction(root: string, id: string): Promise<void> {
  await fs.mkdir(path.join(root, id, 'events'), { recursive: true });
  const meta = { displayName: id, description: '', resourceType: 'DESTINATION', settings: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
  await fs.writeFile(path.join(root, id, 'function.json'), JSON.stringify(meta));
  await fs.writeFile(path.join(root, id, 'handler.js'), '// handler\n');
}

describe('serveCommand and the workspacePath preference', () => {
  it('moves the workspace live when the preference decides, over RPC', async () => {
    const first = path.join(tmp, 'first');
    const second = path.join(tmp, 'second');
    await writeFunction(first, 'in-first');
    await writeFunction(second, 'in-second');
    const configDir = path.join(tmp, 'config');
    await new ConfPreferencesStore({ dir: configDir }).write({ ...defaultPreferences(), workspacePath: first });
    const controller = new AbortController();
    // No flag and no FNSTUDIO_WORKSPACE: the stored preference decides.
    const streams = io({ signal: controller.signal, openBrowser: () => true, env: { FNSTUDIO_CONFIG_DIR: configDir, PATH: process.env.PATH } });
    const done = serveCommand(['--no-open'], streams);
    const url = (await streams.out.line()).slice('fnstudio: '.length);
    expect(streams.err.text()).toContain(`workspace ${first} (from the workspacePath preference)`);
    const rpc = await rpcOver(url);
    try {
      expect(await rpc.call('workspace.info', [])).toMatchObject({ result: { root: first, source: 'preference', followsPreference: true } });
      expect(await rpc.call('functions.list', [])).toMatchObject({ result: [{ id: 'in-first' }] });

      expect(await rpc.call('preferences.set', [{ workspacePath: second }])).toMatchObject({ result: { workspacePath: second } });
      const deadline = Date.now() + 10_000;
      while (!rpc.events.some((e) => (e as { type?: string }).type === 'workspace.changed')) {
        if (Date.now() > deadline) throw new Error(`no workspace.changed event; got ${JSON.stringify(rpc.events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(rpc.events).toContainEqual({ type: 'workspace.changed', workspace: { root: second, source: 'preference', followsPreference: true } });
      expect(await rpc.call('functions.list', [])).toMatchObject({ result: [{ id: 'in-second' }] });
      expect(streams.err.text()).toContain(`workspace is now ${second}`);
      // Saved: the next start opens the same folder.
      expect((await new ConfPreferencesStore({ dir: configDir }).read()).workspacePath).toBe(second);

      // A bad path names itself and the problem; nothing moves.
      const file = path.join(tmp, 'plain-file');
      await fs.writeFile(file, 'x');
      expect(await rpc.call('preferences.set', [{ workspacePath: file }])).toMatchObject({
        error: { message: `Cannot use ${file} as the workspace folder: it is a file, not a folder`, data: { name: 'InvalidArgument' } },
      });
      expect(await rpc.call('workspace.info', [])).toMatchObject({ result: { root: second } });
      expect(await rpc.call('preferences.get', [])).toMatchObject({ result: { workspacePath: second } });
    } finally {
      rpc.close();
      controller.abort();
    }
    expect(await done).toBe(0);
  });

  it('with FNSTUDIO_WORKSPACE set, a new preference is saved and the workspace stays', async () => {
    const controller = new AbortController();
    const streams = io({ signal: controller.signal });
    const done = serveCommand(['--no-open'], streams);
    const url = (await streams.out.line()).slice('fnstudio: '.length);
    const rpc = await rpcOver(url);
    try {
      const elsewhere = path.join(tmp, 'elsewhere');
      expect(await rpc.call('preferences.set', [{ workspacePath: elsewhere }])).toMatchObject({ result: { workspacePath: elsewhere } });
      expect(await rpc.call('workspace.info', [])).toMatchObject({ result: { root: path.join(tmp, 'env-ws'), source: 'env', followsPreference: false } });
      await expect(fs.stat(elsewhere)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      rpc.close();
      controller.abort();
    }
    expect(await done).toBe(0);
  });
});

describe('parseServeArgs', () => {
  it('parses flags and inline values', () => {
    expect(parseServeArgs([])).toEqual({ port: 0, workspace: null, open: true, help: false });
    expect(parseServeArgs(['--port=8123', '--workspace=/w', '--no-open'])).toEqual({ port: 8123, workspace: '/w', open: false, help: false });
    expect(() => parseServeArgs(['--workspace', '--no-open'])).toThrow('--workspace needs a value');
  });
});
