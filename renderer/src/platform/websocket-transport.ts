import { MAX_RPC_MESSAGE_BYTES, type HostEvent, type JsonRpcRequest, type Transport } from '../../../main/contract';
import { HostError } from './rpc-error';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** How long to wait before reconnecting after the socket closed (grows up to the max). */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 4000;

/**
 * JSON-RPC 2.0 over a WebSocket to the web host (same origin, `/rpc`; the token cookie
 * authenticates it). Calls made while (re)connecting wait for the socket; calls in flight
 * when it drops fail, because the host may or may not have run them.
 */
export interface WebSocketTransportOptions {
  /** Told true when a connection opens and false when an open connection drops. */
  onConnectionChange?: (connected: boolean) => void;
  /** The WebSocket class (tests pass Node's `ws`). */
  WebSocketImpl?: typeof WebSocket;
}

export function createWebSocketTransport(url: string, options: WebSocketTransportOptions = {}): Transport {
  const WebSocketImpl = options.WebSocketImpl ?? WebSocket;
  const listeners = new Set<(event: HostEvent) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let reconnectDelay = RECONNECT_MIN_MS;

  function connect(): Promise<WebSocket> {
    if (opened) return opened;
    opened = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocketImpl(url);
      socket = ws;
      let wasOpen = false;
      ws.addEventListener('open', () => {
        wasOpen = true;
        reconnectDelay = RECONNECT_MIN_MS;
        options.onConnectionChange?.(true);
        resolve(ws);
      });
      ws.addEventListener('message', (msg) => handleMessage(msg.data));
      // A failed connection is reported by the close that follows.
      ws.addEventListener('error', () => undefined);
      ws.addEventListener('close', () => {
        socket = null;
        opened = null;
        if (wasOpen) options.onConnectionChange?.(false);
        reject(new HostError('Disconnected', 'Cannot reach the fnstudio host (is `fnstudio serve` still running?)'));
        for (const [id, p] of pending) {
          pending.delete(id);
          p.reject(new HostError('Disconnected', 'The connection to the fnstudio host was lost during the call'));
        }
        // Keep host events flowing after a host restart or a network blip.
        if (listeners.size > 0) {
          setTimeout(() => void connect().catch(() => undefined), reconnectDelay);
          reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
        }
      });
    });
    // A rejected connect is reported to the caller that needed it; nobody else must see it unhandled.
    opened.catch(() => undefined);
    return opened;
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: { message?: unknown; data?: { name?: unknown } } };
    if (m.method === 'event' && m.id === undefined) {
      for (const listener of listeners) listener(m.params as HostEvent);
      return;
    }
    if (typeof m.id !== 'number') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) {
      const name = typeof m.error.data?.name === 'string' ? m.error.data.name : 'Internal';
      p.reject(new HostError(name, typeof m.error.message === 'string' ? m.error.message : name));
    } else {
      p.resolve(m.result);
    }
  }

  return {
    async call(method, args) {
      const ws = await connect();
      const id = nextId++;
      const request: JsonRpcRequest = { jsonrpc: '2.0', id, method, params: args };
      const text = JSON.stringify(request);
      // The host closes a socket whose message is over its limit: refuse here, saying why,
      // instead of losing the connection and every other call on it.
      const bytes = messageBytes(text);
      if (bytes > MAX_RPC_MESSAGE_BYTES) {
        throw new HostError('InvalidArgument', `${method}: this call is ${megabytes(bytes)}; the fnstudio host takes at most ${megabytes(MAX_RPC_MESSAGE_BYTES)} per call`);
      }
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(text);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!socket) void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}

/** UTF-8 length; encoding only when the text could be over the limit. */
function messageBytes(text: string): number {
  if (text.length * 3 <= MAX_RPC_MESSAGE_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
