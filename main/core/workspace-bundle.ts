/**
 * Everything bound to one workspace folder: the folder itself, and the services that read
 * and write in it. A workspace move builds a new bundle beside the old one (see
 * workspace-in-use.ts). A new per-folder service is added here and routed in
 * workspace-routing.ts.
 */
import type { FunctionsService, MocksService, PreferencesService, ReplayService, RunnerService, SettingsService } from '../contract/api';
import type { FunctionMeta } from '../contract/function';
import type { HostEvent } from '../contract/transport';
import type { Runtime } from '../../runtime/api';
import { createMocksService, rulesForRun } from './function-mocks';
import { createReplayService } from './replay/service';
import type { ReplayUploads } from './replay/uploads';
import { createRunner, type RunSettings } from './runner';
import { createRunHistory, type RunHistory } from './run-history';
import type { SecretStore } from './secrets/secret-store';
import { createUnwiredSettingsService } from './settings-placeholder';
import { createRunSettingsResolver, createWorkspaceSettingsService, withSettingsLifecycle } from './settings/wiring';
import type { TemplateSource } from './templates';
import { LocalWorkspace } from './workspace';
import { WorkspaceWatcher } from './workspace-watcher';

export interface WorkspaceBundle {
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

/** What every bundle is built from, whichever folder it serves (see CoreServicesOptions). */
export interface BundleSetup {
  templates: TemplateSource;
  runtime: Runtime;
  preferences: PreferencesService;
  secretStore?: SecretStore;
  settings?: SettingsService;
  resolveSettings?: (functionId: string, meta: FunctionMeta) => Promise<RunSettings>;
  now?: () => Date;
  emit: (event: HostEvent) => void;
  /** Files dropped for replays, shared by the workspaces a session moves between. */
  uploads: ReplayUploads;
}

export function openWorkspaceBundle(root: string, setup: BundleSetup): WorkspaceBundle {
  const { secretStore } = setup;
  const workspace = new LocalWorkspace({ root, templates: setup.templates, now: setup.now });
  const resolveSettings = setup.resolveSettings ?? (secretStore ? createRunSettingsResolver(workspace, secretStore) : undefined);
  return {
    workspace,
    functions: secretStore ? withSettingsLifecycle(workspace, workspace, secretStore) : workspace,
    settings: setup.settings ?? (secretStore ? createWorkspaceSettingsService(workspace, secretStore) : createUnwiredSettingsService()),
    runner: createRunner({
      runtime: setup.runtime,
      preferences: setup.preferences,
      readMeta: (id) => workspace.readMeta(id),
      handlerFileOf: (id) => workspace.handlerFileOf(id),
      resolveSettings,
      readMocks: async (id) => rulesForRun(await workspace.existingFolder(id), id),
    }),
    mocks: createMocksService((id) => workspace.existingFolder(id)),
    history: createRunHistory({ functionFolder: (id) => workspace.existingFolder(id) }),
    replay: createReplayService({ runtime: setup.runtime, functionDir: (id) => workspace.functionDir(id), getFunction: (id) => workspace.get(id), resolveSettings, emit: setup.emit, uploads: setup.uploads }),
    watcher: null,
    activeRuns: 0,
  };
}

export interface WatchSetup {
  /** false: no watcher at all (default true). */
  watch?: boolean;
  watchDebounceMs?: number;
  onWatchError?: (err: Error) => void;
  /** A function (id) or the list (null) changed on disk. */
  onChange: (id: string | null) => void;
}

/** Watches the bundle's folder for outside edits and clears staging left by a crash. */
export async function watchWorkspaceBundle(bundle: WorkspaceBundle, setup: WatchSetup): Promise<void> {
  if (setup.watch === false) return;
  const watcher = new WorkspaceWatcher({
    root: bundle.workspace.root,
    debounceMs: setup.watchDebounceMs,
    onChange: setup.onChange,
    onWatchError: setup.onWatchError,
  });
  bundle.watcher = watcher;
  try {
    await watcher.start();
    await bundle.workspace.removeStaleStaging();
  } catch (err) {
    watcher.close();
    throw err;
  }
}
