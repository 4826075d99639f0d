import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { createRuntime } from '../../runtime';
import type { Runtime } from '../../runtime/api';
import { createCoreServices, type CoreServices } from '../core/services';
import { startWebHost, type WebHost } from './server';

let tmp: string;
let runtime: Runtime;
let core: CoreServices;
let host: WebHost;
let cookie: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-rpc-run-'));
  runtime = createRuntime({ workers: 1 });
  core = createCoreServices({ workspaceRoot: tmp, runtime, watch: false });
  host = await startWebHost({ api: core, onEvent: (l) => core.onEvent(l), rendererDir: path.join(tmp, 'no-renderer') });
  cookie = await new Promise<string>((resolve, reject) => {
    http.get(host.url, (res) => {
      res.resume();
      resolve((res.headers['set-cookie']?.[0] ?? '').split(';')[0]);
    }).on('error', reject);
  });
});
afterAll(async () => {
  await host.close();
  await core.close();
  await runtime.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc`, { headers: { Cookie: cookie, Origin: `http://127.0.0.1:${host.port}` } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, method: string, params: unknown[]): Promise<{ result?: unknown; error?: { data: { name: string }; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const msg = JSON.parse(data.toString()) as { id?: number };
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg as never);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  });
}

describe('runner over JSON-RPC', () => {
  it('runs the editor buffer and answers with the outcome; other calls are not blocked meanwhile', async () => {
    const ws = await open();
    await call(ws, 1, 'functions.create', [{ displayName: 'Rpc Run', templateId: 'default' }]);
    const slow = call(ws, 2, 'runner.run', [{ runId: 'rpc-1', functionId: 'rpc-run', code: 'async function onTrack(e) { await new Promise((r) => setTimeout(r, 800)); console.log(e.event); return { ok: 1 } }', input: { type: 'track', event: 'Clicked', userId: 'u' }, timeoutMs: 20_000 }]);
    const quick = await call(ws, 3, 'functions.list', []);
    expect(quick.result).toHaveLength(1);
    const res = await slow;
    expect(res.result).toMatchObject({ outcome: 'Success', result: { ok: 1 }, logs: [{ level: 'log', message: 'Clicked' }] });
    ws.close();
  });

  it('cancels by runId over RPC and answers RunCancelled', async () => {
    const ws = await open();
    const running = call(ws, 1, 'runner.run', [{ runId: 'rpc-2', functionId: 'rpc-run', code: 'async function onTrack() { await new Promise((r) => setTimeout(r, 20000)) }', input: { type: 'track', userId: 'u' }, timeoutMs: 60000 }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await call(ws, 2, 'runner.cancel', ['rpc-2'])).toMatchObject({ result: null });
    expect(await running).toMatchObject({ error: { data: { name: 'RunCancelled' } } });
    ws.close();
  });

  it('cancels a closed tab\'s runs', async () => {
    const ws = await open();
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'runner.run', params: [{ runId: 'rpc-3', functionId: 'rpc-run', code: 'async function onTrack() { await new Promise((r) => setTimeout(r, 20000)) }', input: { type: 'track', userId: 'u' }, timeoutMs: 60000 }] }));
    await new Promise((r) => setTimeout(r, 300));
    ws.close();
    // The same runId is free again once the abandoned run was cancelled.
    const deadline = Date.now() + 10_000;
    const other = await open();
    let res;
    for (let id = 10; ; id++) {
      res = await call(other, id, 'runner.run', [{ runId: 'rpc-3', functionId: 'rpc-run', code: 'async function onTrack() { return 1 }', input: { type: 'track', userId: 'u' } }]);
      if (res.error?.data.name !== 'Conflict' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(res).toMatchObject({ result: { outcome: 'Success', result: 1 } });
    other.close();
  });
});
