import type { Transport } from '../../../main/contract';
import { HostError } from './rpc-error';

/**
 * Electron's preload bridge (`window.fnstudio`) as a Transport. Errors thrown across
 * contextBridge arrive as plain Errors (their class is lost): keep the contract name the
 * host gave them so the UI can tell NotFound from Conflict.
 */
export function bridgeTransport(bridge: Transport): Transport {
  return {
    call: (method, args) =>
      bridge.call(method, args).catch((err: unknown) => {
        const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown };
        throw new HostError(typeof e.name === 'string' && e.name !== 'Error' ? e.name : 'Internal', typeof e.message === 'string' ? e.message : String(err));
      }),
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
