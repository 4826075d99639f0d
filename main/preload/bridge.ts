/**
 * The object the preload exposes as `window.fnstudio`. Kept free of electron imports so
 * its checks are unit-tested; preload.ts hands it the real ipcRenderer.
 *
 * Rejections are plain `{ name, message }` objects on purpose: contextBridge copies an
 * Error as a bare Error with only its message, which would lose the contract's error name.
 */
/* eslint-disable @typescript-eslint/only-throw-error, @typescript-eslint/prefer-promise-reject-errors -- plain { name, message } objects, as said above */
import type { WireError } from '../contract/errors';
import { isHostEvent, type HostEvent, type Transport } from '../contract/transport';
import { CALL_CHANNEL, EVENT_CHANNEL, isIpcReply } from './ipc-protocol';

/** The part of Electron's ipcRenderer the bridge uses; never exposed to the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function wireError(name: string, message: string): WireError {
  return Object.freeze({ name, message });
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

export function createBridge(ipc: IpcRendererLike): Transport {
  return {
    call(method: string, args: unknown[]): Promise<unknown> {
      if (typeof method !== 'string') {
        return Promise.reject(wireError('InvalidArgument', `fnstudio.call: method must be a string, got ${kind(method)}`));
      }
      if (!Array.isArray(args)) {
        return Promise.reject(wireError('InvalidArgument', `fnstudio.call(${JSON.stringify(method)}): args must be an array, got ${kind(args)}`));
      }
      return ipc.invoke(CALL_CHANNEL, method, args).then(
        (reply) => {
          if (!isIpcReply(reply)) throw wireError('Internal', `fnstudio.call(${JSON.stringify(method)}): malformed reply from the host`);
          if (reply.ok) return reply.result;
          throw wireError(reply.error.name, reply.error.message);
        },
        (err: unknown) => {
          throw wireError('Internal', `fnstudio.call(${JSON.stringify(method)}) failed: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
    },

    onEvent(listener: (event: HostEvent) => void): () => void {
      if (typeof listener !== 'function') {
        throw new TypeError(`fnstudio.onEvent: listener must be a function, got ${kind(listener)}`);
      }
      // Only the payload reaches the page: the IPC event object carries the ipcRenderer.
      const relay = (_event: unknown, payload: unknown): void => {
        if (isHostEvent(payload)) listener(payload);
      };
      ipc.on(EVENT_CHANNEL, relay);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(EVENT_CHANNEL, relay);
      };
    },
  };
}
