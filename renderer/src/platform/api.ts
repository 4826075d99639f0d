/**
 * The renderer's only way to the host: Electron's bridge (`window.fnstudio`, exposed by the
 * preload) when present, else the web host's WebSocket. Both are a Transport; a typed
 * FnStudioApi is built over it.
 */
import type { FnStudioApi, HostEvent, Transport } from '../../../main/contract';
import { createApi } from './api-client';
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

const transport = pickTransport();
export const api: FnStudioApi = createApi(transport);
export function onHostEvent(listener: (event: HostEvent) => void): () => void {
  return transport.onEvent(listener);
}
