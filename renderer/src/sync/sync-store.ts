/**
 * State of the Segment-workspace features (issue 8): remotes, each function's sync
 * status, the overlay (push preview, conflict, version diff), history, and the current
 * wait the host reported. Kept apart from the studio store so the features stay in one place.
 */
import { create } from 'zustand';
import type { DeployReport, FunctionSyncStatus, PullResult, PushPreview, RemoteFunctionInfo, RemoteInfo, SyncConflict, VersionsResult } from '../../../main/contract';

export type SyncOverlay =
  | { kind: 'preview'; functionId: string; deploy: boolean; preview: PushPreview; busy: boolean }
  | { kind: 'conflict'; functionId: string; conflict: SyncConflict; busy: boolean }
  | { kind: 'version'; functionId: string; versionId: string; versionCode: string; localCode: string; busy: boolean };

export interface SyncState {
  remotes: RemoteInfo[];
  statuses: Record<string, FunctionSyncStatus>;
  /** The remotes dialog (connect, browse, pull). */
  remotesOpen: boolean;
  browsing: { remote: string; functions: RemoteFunctionInfo[] | null; error: string | null; pullResults: PullResult[] | null } | null;
  connectResult: { ok: boolean; text: string } | null;
  connecting: boolean;
  overlay: SyncOverlay | null;
  history: { functionId: string; result: VersionsResult | null; error: string | null; loading: boolean } | null;
  /** The last push of each function: what the API did with save and deploy. */
  lastPush: Record<string, { text: string; deploy: DeployReport | null }>;
  /** A wait the host is in (rate limit / retry), until `until` (ms since epoch). */
  wait: { text: string; until: number } | null;
  busy: string | null;
}

export const useSync = create<SyncState>(() => ({
  remotes: [],
  statuses: {},
  remotesOpen: false,
  browsing: null,
  connectResult: null,
  connecting: false,
  overlay: null,
  history: null,
  lastPush: {},
  wait: null,
  busy: null,
}));

export const STATE_LABELS: Record<string, string> = {
  unlinked: 'not linked',
  'in-sync': 'in sync',
  'local-changes': 'local changes',
  'remote-changes': 'remote changes',
  conflict: 'conflict',
  'remote-deleted': 'remote deleted',
  unknown: 'status unknown',
};
