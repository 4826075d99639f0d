/**
 * The API every host exposes and the renderer consumes: one interface per service,
 * every method async. Method names on the wire are "<service>.<method>".
 */
import type { Outcome } from './outcome';
import type { DestinationFilter, ReplayEventDetail, ReplayEventRecord, ReplayEventsQuery, ReplayRunInfo, ReplayStartRequest, ReplaySummary } from './replay';
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

export type FunctionMetaPatch = Partial<Pick<FunctionMeta, 'displayName' | 'description' | 'settings'>>;

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
}

export interface FnStudioApi {
  functions: FunctionsService;
  templates: TemplatesService;
  samples: SamplesService;
  runner: RunnerService;
  preferences: PreferencesService;
  settings: SettingsService;
  workspace: WorkspaceService;
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
