import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { HostEvent } from '../contract/transport';
import { createBridge, type IpcRendererLike } from './bridge';
import { CALL_CHANNEL, EVENT_CHANNEL, isIpcReply } from './ipc-protocol';

/** An in-memory stand-in for ipcRenderer ↔ ipcMain: invoke answers via `answer`. */
function fakeIpc(answer: (method: unknown, args: unknown) => Promise<unknown>) {
  const emitter = new EventEmitter();
  const invoked: unknown[][] = [];
  const ipc: IpcRendererLike = {
    invoke: (channel, ...rest) => {
      invoked.push([channel, ...rest]);
      return answer(rest[0], rest[1]);
    },
    on: (channel, l) => emitter.on(channel, l),
    removeListener: (channel, l) => emitter.removeListener(channel, l),
  };
  return { ipc, emitter, invoked };
}

describe('preload bridge', () => {
  it('sends method and args on the call channel and resolves with the result', async () => {
    const { ipc, invoked } = fakeIpc(async () => ({ ok: true, result: [{ id: 'a' }] }));
    const bridge = createBridge(ipc);
    await expect(bridge.call('functions.list', [])).resolves.toEqual([{ id: 'a' }]);
    expect(invoked).toEqual([[CALL_CHANNEL, 'functions.list', []]]);
  });

  it('rejects with { name, message } so the contract error name survives contextBridge', async () => {
    const { ipc } = fakeIpc(async () => ({ ok: false, error: { name: 'NotFound', message: 'no function "x"' } }));
    await expect(createBridge(ipc).call('functions.get', ['x'])).rejects.toEqual({ name: 'NotFound', message: 'no function "x"' });
  });

  it('validates method and args before anything is sent', async () => {
    const { ipc, invoked } = fakeIpc(async () => ({ ok: true, result: null }));
    const bridge = createBridge(ipc);
    const call = bridge.call.bind(bridge) as (m: unknown, a: unknown) => Promise<unknown>;
    await expect(call(42, [])).rejects.toEqual({ name: 'InvalidArgument', message: 'fnstudio.call: method must be a string, got number' });
    await expect(call('functions.get', 'x')).rejects.toEqual({
      name: 'InvalidArgument', message: 'fnstudio.call("functions.get"): args must be an array, got string',
    });
    await expect(call('functions.get', null)).rejects.toMatchObject({ message: expect.stringContaining('got null') });
    expect(invoked).toEqual([]);
  });

  it('turns IPC failures and malformed replies into Internal errors', async () => {
    await expect(createBridge(fakeIpc(async () => { throw new Error('No handler registered'); }).ipc).call('functions.list', []))
      .rejects.toEqual({ name: 'Internal', message: 'fnstudio.call("functions.list") failed: No handler registered' });
    await expect(createBridge(fakeIpc(async () => 'weird').ipc).call('functions.list', []))
      .rejects.toMatchObject({ name: 'Internal', message: expect.stringContaining('malformed reply') });
  });

  it('relays only valid host events, never the IPC event object, and unsubscribes', () => {
    const { ipc, emitter } = fakeIpc(async () => null);
    const bridge = createBridge(ipc);
    const seen: unknown[][] = [];
    const off = bridge.onEvent((...args: unknown[]) => seen.push(args));
    const sender = { sender: 'ipcRenderer would be here' };
    const event: HostEvent = { type: 'functions.changed', id: 'f1' };
    emitter.emit(EVENT_CHANNEL, sender, event);
    emitter.emit(EVENT_CHANNEL, sender, { type: 'evil' });
    emitter.emit(EVENT_CHANNEL, sender, { type: 'functions.changed', id: null });
    expect(seen).toEqual([[event], [{ type: 'functions.changed', id: null }]]);
    off();
    off();
    emitter.emit(EVENT_CHANNEL, sender, event);
    expect(seen).toHaveLength(2);
    expect(emitter.listenerCount(EVENT_CHANNEL)).toBe(0);
    expect(() => bridge.onEvent('nope' as unknown as (e: HostEvent) => void)).toThrow('listener must be a function, got string');
  });

  it('isIpcReply accepts only the two envelope shapes', () => {
    expect(isIpcReply({ ok: true, result: undefined })).toBe(true);
    expect(isIpcReply({ ok: false, error: { name: 'X', message: 'y' } })).toBe(true);
    expect(isIpcReply({ ok: true })).toBe(false);
    expect(isIpcReply({ ok: false, error: { name: 1, message: 'y' } })).toBe(false);
    expect(isIpcReply(null)).toBe(false);
  });

  it('preload.ts exposes exactly { call, onEvent, pathForFile } as window.fnstudio and never ipcRenderer itself', () => {
    const source = readFileSync(path.join(__dirname, 'preload.ts'), 'utf8');
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    const exposed = /exposeInMainWorld\('fnstudio',\s*\{([\s\S]*?)\}\);/.exec(code);
    expect(exposed).not.toBeNull();
    const keys = [...exposed![1].matchAll(/^\s*(\w+)\s*:/gm)].map((m) => m[1]);
    expect(keys).toEqual(['call', 'onEvent', 'pathForFile']);
    expect(exposed![1]).not.toMatch(/ipcRenderer/);
  });
});

describe('bundled preload', () => {
  it('is one CommonJS file that requires only electron and exposes { call, onEvent, pathForFile }', async () => {
    const { build } = await import('esbuild');
    // Same options as scripts/build-preload.mjs, written to memory.
    const result = await build({
      entryPoints: [path.join(__dirname, 'preload.ts')],
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], write: false, logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    const required: string[] = [];
    const exposed: Array<[string, Record<string, unknown>]> = [];
    const emitter = new EventEmitter();
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push([key, api]) },
      webUtils: { getPathForFile: (file: { name: string }) => `/home/me/captures/${file.name}` },
      ipcRenderer: {
        invoke: async (_c: string, method: string) => ({ ok: true, result: `called ${method}` }),
        on: (c: string, l: (...a: unknown[]) => void) => emitter.on(c, l),
        removeListener: (c: string, l: (...a: unknown[]) => void) => emitter.removeListener(c, l),
      },
    };
    const fakeRequire = (id: string): unknown => {
      required.push(id);
      if (id === 'electron') return fakeElectron;
      throw new Error(`sandboxed preload cannot require ${id}`);
    };
    const mod = { exports: {} };
    // Runs the bundled preload as CommonJS with a require that records what it loads.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating the bundle is the point of the test
    new Function('require', 'module', 'exports', code)(fakeRequire, mod, mod.exports);
    expect(required).toEqual(['electron']);
    expect(exposed).toHaveLength(1);
    const [key, api] = exposed[0];
    expect(key).toBe('fnstudio');
    expect(Object.keys(api)).toEqual(['call', 'onEvent', 'pathForFile']);
    // A dropped file's real path, from Electron's webUtils (a replay reads it where it is).
    expect((api.pathForFile as (file: { name: string }) => string)({ name: 'big.ndjson.gz' })).toBe('/home/me/captures/big.ndjson.gz');
    const call = api.call as (m: string, a: unknown[]) => Promise<unknown>;
    await expect(call('functions.list', [])).resolves.toBe('called functions.list');
  });
});
