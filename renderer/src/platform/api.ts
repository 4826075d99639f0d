/**
 * The renderer's only way to the host: Electron's bridge (`window.fnstudio`, exposed by the
 * preload) when present, else the web host's WebSocket. Both are a Transport; a typed
 * FnStudioApi is built over it.
 */
import type { FnStudioApi, HostEvent, Transport } from '../../../main/contract';
import { createApi } from './api-client';
import { bridgeTransport } from './bridge-transport';
import { createWebSocketTransport } from './websocket-transport';

declare global {
  interface Window {
    fnstudio?: Transport;
  }
}

const connectionListeners = new Set<(connected: boolean) => void>();

function pickTransport(): Transport {
  const bridge = window.fnstudio;
  if (bridge && typeof bridge.call === 'function') return bridgeTransport(bridge);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketTransport(`${scheme}://${location.host}/rpc`, {
    onConnectionChange: (connected) => connectionListeners.forEach((l) => l(connected)),
  });
}

/** The web host's connection opening (true) or dropping (false). Electron's bridge never drops. */
export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

const transport = pickTransport();
export const api: FnStudioApi = createApi(transport);
export function onHostEvent(listener: (event: HostEvent) => void): () => void {
  return transport.onEvent(listener);
}
