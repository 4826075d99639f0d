/**
 * Segment workspaces ("remotes") and sync, as every side sees them (issue 8). Plain data:
 * these values cross the IPC bridge and the WebSocket. A token never appears here.
 */

export type RemoteRegion = 'us' | 'eu';

export interface RemoteInfo {
  name: string;
  apiUrl: string;
  region: RemoteRegion | null;
  addedAt: string;
}

export interface AddRemoteInput {
  name: string;
  /** Give a region or an apiUrl. */
  region?: RemoteRegion;
  apiUrl?: string;
  /** Goes to the OS keychain after one check call; never returned. */
  token: string;
}

export interface AddRemoteResult {
  remote: RemoteInfo;
  /** Destination functions in the Segment workspace, or null when the API did not say. */
  destinationFunctions: number | null;
}

/** A function in a Segment workspace. Only DESTINATION functions can be pulled; others are shown read-only. */
export interface RemoteFunctionInfo {
  id: string;
  /** Without the " (Workspace name)" suffix. */
  displayName: string;
  resourceType: string;
  description: string;
  pullable: boolean;
  /** The local function folder linked to it, if any. */
  linkedTo: string | null;
}

export type SyncState = 'unlinked' | 'in-sync' | 'local-changes' | 'remote-changes' | 'conflict' | 'remote-deleted' | 'unknown';

/** What the API said about deployment; nulls are things it did not say. */
export interface DeployedState {
  deployedAt: string | null;
  isLatestVersion: boolean | null;
}

export interface FunctionSyncStatus {
  /** The local function (folder name). */
  functionId: string;
  state: SyncState;
  remote: { name: string; functionId: string } | null;
  /** Why the state is 'unknown' (the remote could not be read), or other notes. */
  problem?: string;
  deployed?: DeployedState;
  /** Set for a handler.ts function: Segment runs JavaScript, so what it gets is the compiled handler.ts. */
  compiledFrom?: 'handler.ts';
}

/** One side of a function as text, for diffs and the three-way view. */
export interface SyncTexts {
  code: string;
  /** The settings schema as pretty JSON. */
  settings: string;
  displayName: string;
  description: string;
}

export interface SyncConflict {
  functionId: string;
  /** As last pulled or pushed; null when the base copy is not on this machine. */
  base: SyncTexts | null;
  local: SyncTexts;
  remote: SyncTexts;
  /** What changed on each side since the base. */
  localChanged: Array<'code' | 'settings'>;
  remoteChanged: Array<'code' | 'settings'>;
}

export interface PushPreview {
  functionId: string;
  remoteName: string;
  /** Linked remote function id; null when the push will create the function. */
  remoteFunctionId: string | null;
  /** The remote side as it is now (empty texts when the push creates the function). */
  remote: SyncTexts;
  /** The local side as it will be sent. */
  local: SyncTexts;
  /** Unified diffs remote → local ('' when equal). */
  codeDiff: string;
  settingsDiff: string;
  /** e.g. 'display name: "A" → "B"'. */
  metaChanges: string[];
  /** Compile errors and settings-schema problems: the push is refused while any exist. */
  problems: string[];
  conflict: SyncConflict | null;
  nothingToPush: boolean;
  /** Set for a handler.ts function: `local.code` is the JavaScript compiled from it, which is what is sent. */
  compiledFrom?: 'handler.ts';
}

export interface DeployReport {
  requested: boolean;
  /** What the deploy call did: not made, accepted, or refused by the API (with its words). */
  call: 'not-requested' | 'accepted' | 'refused' | 'failed';
  message: string;
  /** Read back from the API after saving. */
  state: DeployedState;
  /** The latest version's isDeployed, when versions are available. */
  latestVersionDeployed: boolean | null;
}

export type PushResult =
  | { status: 'pushed'; functionId: string; remoteFunctionId: string; created: boolean; deploy: DeployReport; backup: string | null }
  | { status: 'conflict'; conflict: SyncConflict }
  | { status: 'invalid'; problems: string[] };

export interface PullResult {
  remoteFunctionId: string;
  /** The local folder; null when nothing was written for a new function. */
  functionId: string | null;
  action: 'created' | 'updated' | 'unchanged' | 'conflict' | 'skipped';
  message: string;
  conflict?: SyncConflict;
  backup?: string;
}

export interface VersionInfo {
  id: string;
  author: string | null;
  createdAt: string | null;
  deployedAt: string | null;
  isDeployed: boolean | null;
}

export interface VersionsResult {
  available: boolean;
  /** Why not, when unavailable (versions are alpha endpoints). */
  message?: string;
  versions: VersionInfo[];
}

export type ConflictChoice = { keep: 'mine' } | { take: 'theirs' } | { merged: { code: string; settings?: string } };

/** Progress a long remote call reports: a rate-limit wait or a retry. */
export interface RemoteWaitEvent {
  type: 'remote.wait';
  remoteName: string;
  reason: 'rate-limited' | 'retry';
  waitMs: number;
  operation: string;
}
