/**
 * The renderer's only way to the host: Electron's bridge (`window.fnstudio`, exposed by the
 * preload) when present, else the web host's WebSocket. Both are a Transport; a typed
 * FnStudioApi is built over it.
 */
import type { FnStudioApi, HostEvent, Transport } from '../../../main/contract';
import { HostError } from './rpc-error';
import { createWebSocketTransport } from './websocket-transport';

declare global {
  interface Window {
    fnstudio?: Transport;
  }
}

function pickTransport(): Transport {
  const bridge = window.fnstudio;
  if (bridge && typeof bridge.call === 'function') {
    // Errors thrown across contextBridge lose their class; keep the name the host gave them.
    return {
      call: (method, args) =>
        bridge.call(method, args).catch((err: unknown) => {
          const e = err as { name?: unknown; message?: unknown };
          throw new HostError(typeof e?.name === 'string' ? e.name : 'Internal', typeof e?.message === 'string' ? e.message : String(err));
        }),
      onEvent: (listener) => bridge.onEvent(listener),
    };
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketTransport(`${scheme}://${location.host}/rpc`);
}

/** `api.functions.list()` → transport.call('functions.list', []). */
export function createApi(transport: Transport): FnStudioApi {
  return new Proxy({} as FnStudioApi, {
    get(_target, service) {
      if (typeof service !== 'string') return undefined;
      return new Proxy(
        {},
        {
          get(_t, method) {
            if (typeof method !== 'string' || method === 'then') return undefined;
            return (...args: unknown[]) => {
              // JSON turns a trailing undefined into null; the validators expect it absent.
              let end = args.length;
              while (end > 0 && args[end - 1] === undefined) end--;
              return transport.call(`${service}.${method}`, args.slice(0, end));
            };
          },
        },
      );
    },
  });
}

const transport = pickTransport();
export const api: FnStudioApi = createApi(transport);
export function onHostEvent(listener: (event: HostEvent) => void): () => void {
  return transport.onEvent(listener);
}
