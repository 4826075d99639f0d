/**
 * How the renderer reaches a host. Electron's preload exposes a Transport as
 * `window.fnstudio`; the web host speaks JSON-RPC 2.0 over a WebSocket at /rpc.
 */

import { isCaptureHostEvent, type CaptureHostEvent } from './capture';
import { WORKSPACE_SOURCES, type WorkspaceInfo } from './function';
import type { RemoteWaitEvent } from './sync';
import type { ReplayProgress } from './replay';

/** Pushed from host to renderer. */
export type HostEvent =
  /** A function changed on disk; id null means the list itself changed. */
  | { type: 'functions.changed'; id: string | null }
  /**
   * The workspace is now another folder (the workspacePath preference changed), or what
   * decides it changed. Function ids refer to the new folder from now on.
   */
  | { type: 'workspace.changed'; workspace: WorkspaceInfo }
  /** The live capture (capture.ts). */
  | CaptureHostEvent
  /** A call to a Segment workspace waits (rate limit or retry); UIs show the wait. */
  | RemoteWaitEvent
  /** A replay (replay.start) advanced; sent a few times a second while it runs. */
  | { type: 'replay.progress'; progress: ReplayProgress };

export interface Transport {
  /** Resolves with the result; rejects with an Error whose name is the wire error's name. */
  call(method: string, args: unknown[]): Promise<unknown>;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: HostEvent) => void): () => void;
}

export const RPC_PATH = '/rpc';

/**
 * The largest JSON-RPC message the web host reads (UTF-8 bytes): a handler at the contract's
 * code limit plus its event, with room for JSON escaping. Larger ones close the socket, so
 * the renderer refuses to send them and says why.
 */
export const MAX_RPC_MESSAGE_BYTES = 8 * 1024 * 1024;

export type JsonRpcId = number | string;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params: unknown[];
}

export interface JsonRpcSuccess {
  jsonrpc: '2.0';
  id: JsonRpcId;
  result: unknown;
}

export interface JsonRpcFailure {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  error: { code: number; message: string; data: { name: string } };
}

export interface JsonRpcEventNotification {
  jsonrpc: '2.0';
  method: 'event';
  params: HostEvent;
}

export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;

/** JSON-RPC 2.0 error codes; the contract error name travels in `data.name`. */
export const JSON_RPC_ERRORS = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  /** Any service error (NotFound, Conflict, ...). */
  serverError: -32000,
} as const;

/** Maps a contract error name to the JSON-RPC code the web host uses. */
export function jsonRpcCodeFor(errorName: string): number {
  if (errorName === 'UnknownMethod') return JSON_RPC_ERRORS.methodNotFound;
  if (errorName === 'InvalidArgument') return JSON_RPC_ERRORS.invalidParams;
  return JSON_RPC_ERRORS.serverError;
}

export function isHostEvent(value: unknown): value is HostEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; id?: unknown; workspace?: unknown };
  if (v.type === 'functions.changed') return v.id === null || typeof v.id === 'string';
  if (v.type === 'workspace.changed') return isWorkspaceInfo(v.workspace);
  if (v.type === 'remote.wait') {
    const w = value as Partial<RemoteWaitEvent>;
    return typeof w.remoteName === 'string' && (w.reason === 'rate-limited' || w.reason === 'retry') && typeof w.waitMs === 'number' && typeof w.operation === 'string';
  }
  if (typeof v.type === 'string' && v.type.startsWith('capture.')) return isCaptureHostEvent(v);
  if (v.type === 'replay.progress') {
    const p = (value as { progress?: unknown }).progress;
    return typeof p === 'object' && p !== null && typeof (p as { runId?: unknown }).runId === 'string';
  }
  return false;
}

function isWorkspaceInfo(value: unknown): value is WorkspaceInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { root?: unknown; source?: unknown; followsPreference?: unknown };
  return (
    typeof v.root === 'string' &&
    v.root !== '' &&
    (WORKSPACE_SOURCES as readonly unknown[]).includes(v.source) &&
    typeof v.followsPreference === 'boolean'
  );
}
