import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { MAX_RPC_MESSAGE_BYTES, type HostEvent, type Transport } from '../../../main/contract';
import { createApi } from './api-client';
import { createWebSocketTransport } from './websocket-transport';

/** A real JSON-RPC 2.0 WebSocket server on 127.0.0.1 speaking the web host's dialect. */
let http: Server;
let wss: WebSocketServer;
let url: string;

beforeEach(async () => {
  http = createServer();
  wss = new WebSocketServer({ server: http, path: '/rpc' });
  wss.on('connection', (socket) => {
    socket.on('message', (raw: Buffer) => {
      const req = JSON.parse(raw.toString()) as { id: number; method: string; params: unknown[] };
      if (req.method === 'functions.list') {
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: [{ id: 'a', displayName: 'A', description: '', updatedAt: 'x' }] }));
      } else if (req.method === 'functions.get') {
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, error: { code: -32000, message: `Function "${String(req.params[0])}" not found`, data: { name: 'NotFound' } } }));
      } else if (req.method === 'functions.saveCode') {
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: { params: req.params } }));
      } else if (req.method === 'test.push') {
        socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'event', params: { type: 'functions.changed', id: 'a' } }));
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: null }));
      } else if (req.method === 'test.drop') {
        socket.terminate();
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/rpc`;
});

afterEach(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

const WebSocketImpl = NodeWebSocket as unknown as typeof WebSocket;

function transport(onConnectionChange?: (connected: boolean) => void): Transport {
  return createWebSocketTransport(url, { WebSocketImpl, onConnectionChange });
}

describe('createWebSocketTransport', () => {
  it('calls methods and returns their results through the typed API', async () => {
    const api = createApi(transport());
    expect(await api.functions.list()).toEqual([{ id: 'a', displayName: 'A', description: '', updatedAt: 'x' }]);
  });

  it('refuses a call over the host\'s message limit, saying so, and keeps the connection', async () => {
    const api = createApi(transport());
    const huge = 'é'.repeat(MAX_RPC_MESSAGE_BYTES * 0.6);
    await expect(api.functions.saveCode('a', huge)).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: 'functions.saveCode: this call is 9.6 MB; the fnstudio host takes at most 8.0 MB per call',
    });
    expect(await api.functions.list()).toHaveLength(1);
  });

  it('rejects with an error carrying the contract error name and message', async () => {
    const api = createApi(transport());
    await expect(api.functions.get('nope')).rejects.toMatchObject({ name: 'NotFound', message: 'Function "nope" not found' });
  });

  it('drops trailing undefined arguments so optional parameters stay absent', async () => {
    const api = createApi(transport());
    expect(await api.functions.saveCode('a', 'code', undefined)).toEqual({ params: ['a', 'code'] });
  });

  it('delivers host events to listeners until they unsubscribe', async () => {
    const t = transport();
    const seen: HostEvent[] = [];
    const off = t.onEvent((e) => seen.push(e));
    await t.call('test.push', []);
    expect(seen).toEqual([{ type: 'functions.changed', id: 'a' }]);
    off();
    await t.call('test.push', []);
    expect(seen).toHaveLength(1);
  });

  it('fails calls in flight when the connection drops, reports it, and reconnects for the next call', async () => {
    const status: boolean[] = [];
    const t = transport((connected) => status.push(connected));
    await expect(t.call('test.drop', [])).rejects.toMatchObject({ name: 'Disconnected' });
    expect(status).toEqual([true, false]);
    expect(await t.call('functions.list', [])).toHaveLength(1);
    expect(status).toEqual([true, false, true]);
  });

  it('reports an unreachable host clearly', async () => {
    const status: boolean[] = [];
    const t = createWebSocketTransport('ws://127.0.0.1:9/rpc', { WebSocketImpl, onConnectionChange: (c) => status.push(c) });
    await expect(t.call('functions.list', [])).rejects.toThrow(/Cannot reach the fnstudio host/);
    expect(status).toEqual([]);
  });
});
