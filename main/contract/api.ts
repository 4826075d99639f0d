/**
 * The API every host exposes and the renderer consumes: one interface per service,
 * every method async. Method names on the wire are "<service>.<method>".
 */
import type { CaptureStartRequest, CaptureStatus } from './capture';
import type { FunctionMocks, MockRuleProblem } from './mock';
import type { Outcome } from './outcome';
import type { RunRecord, RunRecordSummary } from './run-history';
import type { DestinationFilter, ReplayEventDetail, ReplayEventRecord, ReplayEventsQuery, ReplayRunInfo, ReplayStartRequest, ReplaySummary, ReplayUploadProgress, ReplayUploadStarted } from './replay';
import type {
  FunctionDetail,
  FunctionMeta,
  FunctionSummary,
  Preferences,
  RunRequest,
  SampleEvent,
  SavedEvent,
  SettingValue,
  SettingsTestValues,
  TemplateInfo,
  WorkspaceInfo,
} from './function';
import type { FunctionTestReport, TestCaseFile, TestRunRequest } from './tests';
import type {
  AddRemoteInput,
  AddRemoteResult,
  ConflictChoice,
  FunctionSyncStatus,
  PullResult,
  PushPreview,
  PushResult,
  RemoteFunctionInfo,
  RemoteInfo,
  VersionsResult,
} from './sync';

export type FunctionMetaPatch = Partial<Pick<FunctionMeta, 'displayName' | 'description' | 'settings' | 'strictNetwork'>>;

export interface FunctionsService {
  list(): Promise<FunctionSummary[]>;
  /** Always reads the disk. Rejects NotFound, or CorruptFunction when function.json is bad. */
  get(id: string): Promise<FunctionDetail>;
  create(input: { displayName: string; templateId: string }): Promise<FunctionDetail>;
  /**
   * Writes handler.js atomically. With `expectedVersion` (the codeVersion the editor
   * loaded) it rejects Conflict when the file changed on disk meanwhile.
   */
  saveCode(id: string, code: string, expectedVersion?: string): Promise<{ codeVersion: string }>;
  /** Refuses (CorruptFunction) to overwrite a corrupt function.json. */
  updateMeta(id: string, patch: FunctionMetaPatch): Promise<FunctionMeta>;
  /** Removes the function's folder (the UI confirms first). */
  delete(id: string): Promise<void>;
  listEvents(id: string): Promise<SavedEvent[]>;
  /** `json` must parse as JSON (an object or an array). */
  saveEvent(id: string, name: string, json: string): Promise<void>;
  deleteEvent(id: string, name: string): Promise<void>;
}

export interface TemplatesService {
  list(): Promise<TemplateInfo[]>;
}

export interface SamplesService {
  list(): Promise<SampleEvent[]>;
}

export interface RunnerService {
  /** Resolves with the outcome; rejects RunCancelled when cancelled. */
  run(req: RunRequest): Promise<Outcome>;
  /** Unknown or finished run ids are ignored. */
  cancel(runId: string): Promise<void>;
}

export interface PreferencesService {
  get(): Promise<Preferences>;
  set(patch: Partial<Preferences>): Promise<Preferences>;
}

/** The local workspace folder itself. It changes with the workspacePath preference when that decides it. */
export interface WorkspaceService {
  info(): Promise<WorkspaceInfo>;
}

/** Settings test values & secrets (issue 4). */
export interface SettingsService {
  /** Non-secret test values plus, for encrypted settings, only whether a value is set. */
  getTestValues(functionId: string): Promise<SettingsTestValues>;
  /** Routes sensitive settings to the keychain; null clears the value. */
  setTestValue(functionId: string, name: string, value: SettingValue): Promise<void>;
  /** Explicit user request only. */
  revealSecret(functionId: string, name: string): Promise<string | null>;
}

/** The live capture endpoint (capture.ts); one at a time. */
export interface CaptureService {
  /** Rejects Conflict when one is running, InvalidArgument for a port in use or a bad mocks.json. */
  start(req: CaptureStartRequest): Promise<CaptureStatus>;
  /** Stops it (waiting for the runs under way); stopping when none runs is fine. */
  stop(): Promise<CaptureStatus>;
  status(): Promise<CaptureStatus>;
}

/** A function's mock rules in `<folder>/mocks.json` (issue 12). */
export interface MocksService {
  /** The file as it is on disk, with every problem; a missing file is `exists: false`. */
  get(functionId: string): Promise<FunctionMocks>;
  /** Problems of rules-file text without saving it: one per bad rule, or one for the file. */
  check(json: string): Promise<MockRuleProblem[]>;
  /** Validates and writes mocks.json atomically; rejects InvalidArgument naming the rule index. */
  set(functionId: string, json: string): Promise<FunctionMocks>;
}

/** The last runs of a function, in its git-ignored `.fnstudio/runs/` (issue 12). */
export interface HistoryService {
  /** Newest first. */
  list(functionId: string): Promise<RunRecordSummary[]>;
  /** Rejects NotFound when the run was pruned or never kept. */
  get(functionId: string, runId: string): Promise<RunRecord>;
}

/** Saved test cases of a function (`tests/*.test.json`, issue 10). */
export interface TestsService {
  /** Every case file with its raw text (a malformed one too: running it reports the problem). */
  list(functionId: string): Promise<TestCaseFile[]>;
  /** Runs the function's cases (or `files`) against `code` (default: handler.js on disk). */
  run(req: TestRunRequest): Promise<FunctionTestReport>;
  /**
   * Writes `tests/<name>.test.json`. `json` must be a valid test case (InvalidArgument names
   * the problem). An existing case is replaced only with `overwrite` (AlreadyExists otherwise).
   */
  save(functionId: string, name: string, json: string, overwrite?: boolean): Promise<TestCaseFile>;
}

/** Segment workspaces reached over the Public API (issue 8). Tokens go in, never out. */
export interface RemotesService {
  list(): Promise<RemoteInfo[]>;
  /** Checks the token with one call, then keeps it in the OS keychain. */
  add(input: AddRemoteInput): Promise<AddRemoteResult>;
  remove(name: string): Promise<boolean>;
}

/**
 * Sync of local functions with Segment workspaces (issue 8). Remote failures reject with
 * RemoteFailed (the message says what to do); conflicts are results, not errors.
 */
export interface SyncService {
  /** Every function of the remote; only DESTINATION ones are pullable. */
  listRemote(remoteName: string): Promise<RemoteFunctionInfo[]>;
  pull(remoteName: string, selection: 'all' | string[]): Promise<PullResult[]>;
  /** Every local function's state (reads each linked remote). */
  status(): Promise<FunctionSyncStatus[]>;
  statusOf(functionId: string): Promise<FunctionSyncStatus>;
  /** Checks + diffs + conflict, writing nothing. `remoteName` creates an unlinked function there. */
  previewPush(functionId: string, remoteName?: string): Promise<PushPreview>;
  push(functionId: string, options: { deploy: boolean; remoteName?: string }): Promise<PushResult>;
  resolve(functionId: string, choice: ConflictChoice): Promise<{ backup: string | null }>;
  /** Forgets the function's link to its remote (e.g. deleted there); files are kept. */
  unlink(functionId: string): Promise<void>;
  versions(functionId: string): Promise<VersionsResult>;
  versionCode(functionId: string, versionId: string): Promise<string>;
  restore(functionId: string, versionId: string): Promise<{ versionId: string; localUpdated: boolean; message: string; backup: string | null }>;
}

/**
 * Replays of captured events through a function (issue 9). Progress arrives as
 * `replay.progress` host events; runs are recorded under the function's .fnstudio/replays/.
 */
export interface ReplayService {
  /** Resolves with the summary when the run ends (cancelled runs too: `cancelled: true`). */
  start(req: ReplayStartRequest): Promise<ReplaySummary>;
  /** Unknown or finished run ids are ignored. */
  cancel(runId: string): Promise<void>;
  list(functionId: string): Promise<ReplayRunInfo[]>;
  summary(functionId: string, runId: string): Promise<ReplaySummary>;
  events(functionId: string, runId: string, query: ReplayEventsQuery): Promise<{ records: ReplayEventRecord[]; matched: number }>;
  /** Full details of one event (kept for failures and a sample of successes); rejects NotFound otherwise. */
  detail(functionId: string, runId: string, seq: number): Promise<ReplayEventDetail>;
  delete(functionId: string, runId: string): Promise<void>;
  /** The function's filters.json ([] when there is none). */
  getFilters(functionId: string): Promise<DestinationFilter[]>;
  /** Validates (FQL included) and writes filters.json; rejects InvalidArgument naming the filter. */
  saveFilters(functionId: string, filters: DestinationFilter[]): Promise<DestinationFilter[]>;
  /** Starts uploading a dropped file of `size` bytes into a temporary file of the host. */
  uploadBegin(name: string, size: number): Promise<ReplayUploadStarted>;
  /** Appends the chunk that starts at `offset` (the bytes received so far; base64). */
  uploadChunk(uploadId: string, offset: number, dataBase64: string): Promise<ReplayUploadProgress>;
  /** Deletes an upload no run will use (a removed file, a cancelled start); unknown ids are ignored. */
  uploadDiscard(uploadId: string): Promise<void>;
}

export interface FnStudioApi {
  functions: FunctionsService;
  templates: TemplatesService;
  samples: SamplesService;
  runner: RunnerService;
  preferences: PreferencesService;
  settings: SettingsService;
  workspace: WorkspaceService;
  capture: CaptureService;
  mocks: MocksService;
  history: HistoryService;
  tests: TestsService;
  remotes: RemotesService;
  sync: SyncService;
  replay: ReplayService;
}

export type ServiceName = keyof FnStudioApi;

/** Every "<service>.<method>" of FnStudioApi, e.g. "functions.list". */
export type MethodName = {
  [S in ServiceName]: `${S}.${keyof FnStudioApi[S] & string}`;
}[ServiceName];

type MethodOf<M extends MethodName> = M extends `${infer S}.${infer F}`
  ? S extends ServiceName
    ? F extends keyof FnStudioApi[S]
      ? FnStudioApi[S][F]
      : never
    : never
  : never;

export type MethodArgs<M extends MethodName> = MethodOf<M> extends (...args: infer A) => unknown ? A : never;
export type MethodResult<M extends MethodName> = MethodOf<M> extends (...args: never[]) => Promise<infer R> ? R : never;
