import { describe, expect, it } from 'vitest';
import type { HostEvent, Transport } from '../../../main/contract';
import { createApi } from './api-client';
import { bridgeTransport } from './bridge-transport';

/** Stands in for the preload's `window.fnstudio` (itself tested with the real preload bundle by the Electron helper). */
function bridge(handler: (method: string, args: unknown[]) => Promise<unknown>): Transport & { emit(e: HostEvent): void } {
  const listeners = new Set<(e: HostEvent) => void>();
  return {
    call: handler,
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit(e) {
      for (const l of listeners) l(e);
    },
  };
}

describe('bridgeTransport', () => {
  it('passes method names and arguments through the typed API', async () => {
    const calls: Array<[string, unknown[]]> = [];
    const api = createApi(bridgeTransport(bridge(async (m, a) => (calls.push([m, a]), { codeVersion: 'v2' }))));
    expect(await api.functions.saveCode('fn', 'code', 'v1')).toEqual({ codeVersion: 'v2' });
    expect(calls).toEqual([['functions.saveCode', ['fn', 'code', 'v1']]]);
  });

  it('keeps the contract error name of errors that crossed contextBridge', async () => {
    const failing = bridgeTransport(
      bridge(async () => {
        const err = new Error('handler.js changed on disk');
        err.name = 'Conflict';
        throw err;
      }),
    );
    await expect(failing.call('functions.saveCode', [])).rejects.toMatchObject({ name: 'Conflict', message: 'handler.js changed on disk' });
    const plain = bridgeTransport(
      bridge(async () => {
        throw new Error('boom');
      }),
    );
    await expect(plain.call('functions.list', [])).rejects.toMatchObject({ name: 'Internal', message: 'boom' });
  });

  it('forwards host events', () => {
    const b = bridge(async () => null);
    const seen: HostEvent[] = [];
    const off = bridgeTransport(b).onEvent((e) => seen.push(e));
    b.emit({ type: 'functions.changed', id: null });
    off();
    b.emit({ type: 'functions.changed', id: 'x' });
    expect(seen).toEqual([{ type: 'functions.changed', id: null }]);
  });
});
