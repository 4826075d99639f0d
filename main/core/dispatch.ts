/**
 * The one entry point hosts use for a call from the renderer: validate against the
 * contract's method table, call the service, and turn any failure into a wire error.
 * It returns instead of throwing because thrown errors lose their name across
 * Electron's IPC.
 */
import type { FnStudioApi } from '../contract/api';
import { toWireError, type WireError } from '../contract/errors';
import { validateCall } from '../contract/methods';

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: WireError };

export async function dispatch(api: FnStudioApi, method: unknown, args: unknown): Promise<DispatchResult> {
  try {
    validateCall(method, args);
    const [service, name] = method.split('.') as [keyof FnStudioApi, string];
    const target = api[service] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const result = await target[name](...(args as unknown[]));
    // undefined does not survive JSON-RPC (a missing result); void methods answer null.
    return { ok: true, result: result === undefined ? null : result };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}
