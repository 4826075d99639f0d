/**
 * Assembles the core services behind the contract. Hosts (web host, Electron, tests)
 * create one CoreServices, dispatch calls to it and forward its host events.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { FnStudioApi, FunctionsService, HistoryService, MocksService, PreferencesService, ReplayService, RunnerService, SettingsService } from '../contract/api';
import { FnStudioError } from '../contract/errors';
import type { FunctionMeta, Preferences, WorkspaceInfo, WorkspaceSource } from '../contract/function';
import { METHODS } from '../contract/methods';
import type { HostEvent } from '../contract/transport';
import type { Runtime } from '../../runtime/api';
import { createCaptureService } from './capture/capture-service';
import { createPreferencesService, MemoryPreferencesStore, type PreferencesStore } from './preferences-service';
import { createMocksService, rulesForRun } from './function-mocks';
import { createReplayService } from './replay/service';
import { ReplayUploads } from './replay/uploads';
import { createRunner, type RunSettings } from './runner';
import { createRunHistory, type RunHistory } from './run-history';
import { createSamples } from './samples';
import { createUnwiredSettingsService } from './settings-placeholder';
import type { SecretStore } from './secrets/secret-store';
import { createRunSettingsResolver, createWorkspaceSettingsService, withSettingsLifecycle } from './settings/wiring';
import { createTemplates } from './templates';
import { createTestsService } from './tests/tests-service';
import { LocalWorkspace } from './workspace';
import { isOverridden, prepareWorkspaceFolder, resolveWorkspaceLocation, WORKSPACE_ENV, workspacePathProblem, type WorkspaceLocationInput } from './workspace-location';
import { WorkspaceWatcher } from './workspace-watcher';
import { RemoteStore } from './remote/remotes';
import { createSyncServices } from './sync/sync-service';

export interface CoreServicesOptions {
  /**
   * A fixed workspace folder (tests, embeddings): preference changes never move it.
   * Give this or `workspaceLocation`.
   */
  workspaceRoot?: string;
  /**
   * What a host resolves the folder from (flag, environment, the stored preference).
   * With it, setting the workspacePath preference moves the workspace at once when the
   * preference is what decides it (see workspace-location's precedence).
   */
  workspaceLocation?: WorkspaceLocationInput;
  /** Folder holding templates/ and samples/; default: the app's resources/. */
  resourcesDir?: string;
  runtime: Runtime;
  preferencesStore?: PreferencesStore;
  /**
   * The OS keychain for encrypted settings. When given, settings test values, their
   * resolution for runs (Invalid Settings, secret redaction) and their lifecycle on
   * settings changes / function deletion are wired in. Without it settings are unwired.
   */
  secretStore?: SecretStore;
  /** Overrides the settings service (otherwise derived from secretStore). */
  settings?: SettingsService;
  /** Overrides the runner's settings hook (otherwise derived from secretStore). */
  resolveSettings?: (functionId: string, meta: FunctionMeta) => Promise<RunSettings>;
  /** Watch the workspace for outside edits (default true). */
  watch?: boolean;
  watchDebounceMs?: number;
  now?: () => Date;
  /** Config folder for remotes.json (Segment workspaces); with secretStore it wires remotes.* and sync.*. */
  configDir?: string;
  /** Called once if live updates are unavailable (e.g. inotify limit). */
  onWatchError?: (err: Error) => void;
}

export interface CoreServices extends FnStudioApi {
  /** The local workspace in use now; another object after the workspace moved. */
  readonly localWorkspace: LocalWorkspace;
  /** Resolves when the watcher is running (or immediately if watching is off). */
  readonly ready: Promise<void>;
  onEvent(listener: (event: HostEvent) => void): () => void;
  /** Stops the watcher; the runtime belongs to the caller and is not closed. */
  close(): Promise<void>;
}

/** Everything bound to one workspace folder. A move builds a new one beside the old. */
interface WorkspaceBundle {
  workspace: LocalWorkspace;
  functions: FunctionsService;
  settings: SettingsService;
  runner: RunnerService;
  mocks: MocksService;
  history: RunHistory;
  replay: ReplayService;
  watcher: WorkspaceWatcher | null;
  /** Runs started in this folder and not finished: a retired bundle stays cancellable until 0. */
  activeRuns: number;
}

export function createCoreServices(options: CoreServicesOptions): CoreServices {
  const resourcesDir = options.resourcesDir ?? defaultResourcesDir();
  const templates = createTemplates(path.join(resourcesDir, 'templates'));
  const secretStore = options.secretStore;
  // Environment and cwd as they were at start: a later change to the process must not reinterpret the preference.
  const givenLocation = options.workspaceLocation;
  const location: WorkspaceLocationInput | null = givenLocation
    ? {
        ...givenLocation,
        env: { [WORKSPACE_ENV]: (givenLocation.env ?? process.env)[WORKSPACE_ENV] },
        cwd: givenLocation.cwd ?? process.cwd(),
      }
    : null;
  let source: WorkspaceSource;
  let initialRoot: string;
  if (location) {
    ({ root: initialRoot, source } = resolveWorkspaceLocation(location));
  } else if (options.workspaceRoot !== undefined) {
    initialRoot = options.workspaceRoot;
    source = 'host';
  } else {
    throw new Error('createCoreServices needs workspaceRoot or workspaceLocation');
  }
  const basePreferences = createPreferencesService(options.preferencesStore ?? new MemoryPreferencesStore());
  const listeners = new Set<(event: HostEvent) => void>();
  const emit = (event: HostEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // One broken listener (a closed socket) must not starve the others.
      }
    }
  };

  // Files dropped for replays, shared by the workspaces a session moves between.
  const uploads = new ReplayUploads();
  const openBundle = (root: string): WorkspaceBundle => {
    const workspace = new LocalWorkspace({ root, templates, now: options.now });
    const resolveSettings = options.resolveSettings ?? (secretStore ? createRunSettingsResolver(workspace, secretStore) : undefined);
    return {
      workspace,
      functions: secretStore ? withSettingsLifecycle(workspace, workspace, secretStore) : workspace,
      settings: options.settings ?? (secretStore ? createWorkspaceSettingsService(workspace, secretStore) : createUnwiredSettingsService()),
      runner: createRunner({
        runtime: options.runtime,
        preferences: basePreferences,
        readMeta: (id) => workspace.readMeta(id),
        handlerFileOf: (id) => workspace.handlerFileOf(id),
        resolveSettings,
        readMocks: async (id) => rulesForRun(await workspace.existingFolder(id), id),
      }),
      mocks: createMocksService((id) => workspace.existingFolder(id)),
      history: createRunHistory({ functionFolder: (id) => workspace.existingFolder(id) }),
      replay: createReplayService({ runtime: options.runtime, functionDir: (id) => workspace.functionDir(id), getFunction: (id) => workspace.get(id), resolveSettings, emit, uploads }),
      watcher: null,
      activeRuns: 0,
    };
  };
  const startWatching = async (bundle: WorkspaceBundle): Promise<void> => {
    if (options.watch === false) return;
    const watcher = new WorkspaceWatcher({
      root: bundle.workspace.root,
      debounceMs: options.watchDebounceMs,
      // A retired folder's late notice would name a function of the wrong folder.
      onChange: (id) => {
        if (current === bundle) emit({ type: 'functions.changed', id });
      },
      onWatchError: options.onWatchError,
    });
    bundle.watcher = watcher;
    try {
      await watcher.start();
      await bundle.workspace.removeStaleStaging();
    } catch (err) {
      watcher.close();
      throw err;
    }
  };

  let current = openBundle(initialRoot);
  const retired = new Set<WorkspaceBundle>();
  let closed = false;
  // A folder that cannot be the workspace (a file, no permission) is named as such, not
  // as a watcher's failure to mkdir.
  const ready = prepareWorkspaceFolder(initialRoot, { create: true }).then(() => {
    const watching = startWatching(current);
    watching.catch((err: Error) => options.onWatchError?.(err));
    return watching;
  });

  const info = (): WorkspaceInfo => ({ root: current.workspace.root, source, followsPreference: location !== null && !isOverridden(source) });

  // Every call goes to the folder in use when it is made; a call already under way finishes in its own folder.
  const functions: FunctionsService = {
    list: () => current.functions.list(),
    get: (id) => current.functions.get(id),
    create: (input) => current.functions.create(input),
    saveCode: (id, code, expectedVersion) => current.functions.saveCode(id, code, expectedVersion),
    updateMeta: (id, patch) => current.functions.updateMeta(id, patch),
    delete: (id) => current.functions.delete(id),
    listEvents: (id) => current.functions.listEvents(id),
    saveEvent: (id, name, json) => current.functions.saveEvent(id, name, json),
    deleteEvent: (id, name) => current.functions.deleteEvent(id, name),
  };
  const mocks: MocksService = {
    get: (functionId) => current.mocks.get(functionId),
    check: (json) => current.mocks.check(json),
    set: (functionId, json) => current.mocks.set(functionId, json),
  };
  const history: HistoryService = {
    list: (functionId) => current.history.list(functionId),
    get: (functionId, runId) => current.history.get(functionId, runId),
  };
  const settings: SettingsService = {
    getTestValues: (functionId) => current.settings.getTestValues(functionId),
    setTestValue: (functionId, name, value) => current.settings.setTestValue(functionId, name, value),
    revealSecret: (functionId, name) => current.settings.revealSecret(functionId, name),
  };
  const runner: RunnerService = {
    // A run is pinned to the folder it started in: its meta and settings never come from a folder switched to mid-run.
    async run(req) {
      const bundle = current;
      bundle.activeRuns++;
      try {
        const startedAt = new Date();
        const outcome = await bundle.runner.run(req);
        // The history is a convenience: failing to keep a run must not fail the run.
        await bundle.history.record(req, outcome, startedAt).catch((err: Error) => console.warn(`fnstudio: could not keep run in history: ${err.message}`));
        return outcome;
      } finally {
        bundle.activeRuns--;
        if (bundle.activeRuns === 0) retired.delete(bundle);
      }
    },
    async cancel(runId) {
      await Promise.all([current, ...retired].map((b) => b.runner.cancel(runId)));
    },
  };

  /**
   * Moves the workspace when the preference decides it. The new folder is checked (and
   * created if missing) and watched before the preference is saved, so a bad path leaves
   * both the preference and the workspace as they were.
   */
  const setWorkspacePreference = async (patch: Partial<Preferences>, workspacePath: string): Promise<Preferences> => {
    if (closed) throw new FnStudioError('Internal', 'The studio is shutting down');
    const problem = workspacePathProblem(workspacePath);
    if (problem) throw new FnStudioError('InvalidArgument', problem);
    const target = resolveWorkspaceLocation({ ...location, preference: workspacePath });
    if (isOverridden(target.source)) {
      // Only saved for a later start without the override; checked now so a typo shows up now.
      if (workspacePath.trim() !== '') {
        await prepareWorkspaceFolder(resolveWorkspaceLocation({ ...location, flag: null, env: {}, preference: workspacePath }).root, { create: false });
      }
      return basePreferences.set(patch);
    }
    if (target.root === current.workspace.root) {
      const saved = await basePreferences.set(patch);
      if (target.source !== source) {
        source = target.source;
        emit({ type: 'workspace.changed', workspace: info() });
      }
      return saved;
    }
    await prepareWorkspaceFolder(target.root, { create: true });
    const next = openBundle(target.root);
    let saved: Preferences;
    try {
      await startWatching(next);
      saved = await basePreferences.set(patch);
    } catch (err) {
      next.watcher?.close();
      throw err;
    }
    const previous = current;
    current = next;
    source = target.source;
    previous.watcher?.close();
    if (previous.activeRuns > 0) retired.add(previous);
    emit({ type: 'workspace.changed', workspace: info() });
    return saved;
  };

  let switching: Promise<unknown> = Promise.resolve();
  const preferences: PreferencesService = {
    get: () => basePreferences.get(),
    set(patch) {
      if (location === null || patch === null || typeof patch !== 'object' || typeof patch.workspacePath !== 'string') return basePreferences.set(patch);
      // Validated here too: the switch acts on the patch before the store would check it.
      METHODS['preferences.set']([patch]);
      const workspacePath = patch.workspacePath;
      const next = switching.then(() => setWorkspacePreference(patch, workspacePath));
      switching = next.catch(() => undefined);
      return next;
    },
  };

  const capture = createCaptureService({
    runner,
    functionDir: (id) => current.workspace.functionDir(id),
    workspaceRoot: () => current.workspace.root,
    emit,
  });

  const { remotes, sync } = createSyncServices({
    root: () => current.workspace.root,
    remoteStore: secretStore && options.configDir ? new RemoteStore({ configDir: options.configDir, secretStore }) : null,
    runtime: options.runtime,
    emit,
  });

  return {
    get localWorkspace() {
      return current.workspace;
    },
    ready,
    functions,
    templates: { list: () => templates.list() },
    samples: createSamples(path.join(resourcesDir, 'samples')),
    runner,
    preferences,
    settings,
    workspace: { info: async () => info() },
    capture: { start: (req) => capture.start(req), stop: () => capture.stop(), status: () => capture.status() },
    mocks,
    history,
    tests: createTestsService({ functionDir: (id) => current.workspace.functionDir(id), runtime: options.runtime, secretStore }),
    remotes,
    sync,
    // Replays run in the folder in use when they start; records are read from the current one.
    replay: {
      start: (req) => current.replay.start(req),
      cancel: async (runId) => {
        await Promise.all([current, ...retired].map((b) => b.replay.cancel(runId)));
      },
      list: (functionId) => current.replay.list(functionId),
      summary: (functionId, runId) => current.replay.summary(functionId, runId),
      events: (functionId, runId, query) => current.replay.events(functionId, runId, query),
      detail: (functionId, runId, seq) => current.replay.detail(functionId, runId, seq),
      delete: (functionId, runId) => current.replay.delete(functionId, runId),
      getFilters: (functionId) => current.replay.getFilters(functionId),
      saveFilters: (functionId, filters) => current.replay.saveFilters(functionId, filters),
      uploadBegin: (name, size) => current.replay.uploadBegin(name, size),
      uploadChunk: (uploadId, offset, dataBase64) => current.replay.uploadChunk(uploadId, offset, dataBase64),
      uploadDiscard: (uploadId) => current.replay.uploadDiscard(uploadId),
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      await capture.close();
      await switching;
      await ready.catch(() => undefined);
      current.watcher?.close();
      listeners.clear();
      await uploads.close();
    },
  };
}

/**
 * The repository's resources/ folder, found from this file whether it runs compiled
 * (out/main/core) or as TypeScript source (main/core, under vitest).
 */
export function defaultResourcesDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'resources');
    if (existsSync(path.join(candidate, 'templates', 'index.json'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`Cannot find the resources/ folder above ${__dirname}`);
}
