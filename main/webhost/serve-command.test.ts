import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { serveCommand, type ServeIo } from './serve-command';
import { lazyRuntime } from '../core/lazy-runtime';
import { parseServeArgs } from './args';

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
  it('prints exactly the URL line, opens the browser, serves, and stops on signal', async () => {
    const controller = new AbortController();
    const opened: string[] = [];
    const streams = io({ signal: controller.signal, openBrowser: (u) => (opened.push(u), true) });
    const done = serveCommand(['--workspace', path.join(tmp, 'flag-ws')], streams);
    const line = await streams.out.line();
    expect(line).toMatch(/^fnstudio: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const url = line.slice('fnstudio: '.length);
    expect(opened).toEqual([url]);
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

describe('parseServeArgs', () => {
  it('parses flags and inline values', () => {
    expect(parseServeArgs([])).toEqual({ port: 0, workspace: null, open: true, help: false });
    expect(parseServeArgs(['--port=8123', '--workspace=/w', '--no-open'])).toEqual({ port: 8123, workspace: '/w', open: false, help: false });
    expect(() => parseServeArgs(['--workspace', '--no-open'])).toThrow('--workspace needs a value');
  });
});
