/**
 * The two IPC channels between the preload and the Electron main process, and the
 * envelope a call's answer travels in. Errors go as data (not thrown) because Electron
 * would reduce a thrown error to a message prefixed with "Error invoking remote method".
 */
import type { WireError } from '../contract/errors';

export const CALL_CHANNEL = 'fnstudio:call';
export const EVENT_CHANNEL = 'fnstudio:event';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: WireError };

export function isIpcReply(value: unknown): value is IpcReply {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: unknown };
  if (v.ok === true) return 'result' in v;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  const e = v.error as { name?: unknown; message?: unknown };
  return typeof e.name === 'string' && typeof e.message === 'string';
}
