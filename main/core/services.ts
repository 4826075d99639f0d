/**
 * Assembles the core services behind the contract. Hosts (web host, Electron, tests)
 * create one CoreServices, dispatch calls to it and forward its host events.
 * The parts: workspace-bundle.ts (the services of one folder), workspace-in-use.ts (which
 * folder, and moving it), workspace-routing.ts (calls to the folder in use), host-events.ts.
 */
import * as path from 'node:path';
import type { FnStudioApi, SettingsService } from '../contract/api';
import type { FunctionMeta } from '../contract/function';
import type { HostEvent } from '../contract/transport';
import type { Runtime } from '../../runtime/api';
import { createCaptureService } from './capture/capture-service';
import { createHostEvents } from './host-events';
import { createPreferencesService, MemoryPreferencesStore, type PreferencesStore } from './preferences-service';
import { ReplayUploads } from './replay/uploads';
import { defaultResourcesDir } from './resources-dir';
import type { RunSettings } from './runner';
import { createSamples } from './samples';
import type { SecretStore } from './secrets/secret-store';
import { createTemplates } from './templates';
import { createTestsService } from './tests/tests-service';
import type { LocalWorkspace } from './workspace';
import { openWorkspaceBundle } from './workspace-bundle';
import { startingWorkspace, WorkspaceInUse } from './workspace-in-use';
import type { WorkspaceLocationInput } from './workspace-location';
import { routeToWorkspaceInUse } from './workspace-routing';
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

export function createCoreServices(options: CoreServicesOptions): CoreServices {
  const resourcesDir = options.resourcesDir ?? defaultResourcesDir();
  const templates = createTemplates(path.join(resourcesDir, 'templates'));
  const { runtime, secretStore } = options;
  const start = startingWorkspace(options);
  const storedPreferences = createPreferencesService(options.preferencesStore ?? new MemoryPreferencesStore());
  const events = createHostEvents();
  const emit = (event: HostEvent): void => events.emit(event);

  const uploads = new ReplayUploads();
  const inUse = new WorkspaceInUse({
    start,
    open: (root) =>
      openWorkspaceBundle(root, {
        templates,
        runtime,
        preferences: storedPreferences,
        secretStore,
        settings: options.settings,
        resolveSettings: options.resolveSettings,
        now: options.now,
        emit,
        uploads,
      }),
    preferences: storedPreferences,
    watch: { watch: options.watch, watchDebounceMs: options.watchDebounceMs, onWatchError: options.onWatchError },
    emit,
  });
  const routed = routeToWorkspaceInUse(inUse);
  const functionDir = (id: string) => inUse.current.workspace.functionDir(id);

  const capture = createCaptureService({
    runner: routed.runner,
    functionDir,
    workspaceRoot: () => inUse.current.workspace.root,
    emit,
  });

  const { remotes, sync } = createSyncServices({
    root: () => inUse.current.workspace.root,
    remoteStore: secretStore && options.configDir ? new RemoteStore({ configDir: options.configDir, secretStore }) : null,
    runtime,
    emit,
  });

  return {
    get localWorkspace() {
      return inUse.current.workspace;
    },
    ready: inUse.ready,
    ...routed,
    templates: { list: () => templates.list() },
    samples: createSamples(path.join(resourcesDir, 'samples')),
    preferences: inUse.preferences,
    workspace: { info: async () => inUse.info() },
    capture: { start: (req) => capture.start(req), stop: () => capture.stop(), status: () => capture.status() },
    tests: createTestsService({ functionDir, runtime, secretStore }),
    remotes,
    sync,
    onEvent: (listener) => events.subscribe(listener),
    async close() {
      inUse.refuseMoves();
      await capture.close();
      await inUse.close();
      events.clear();
      await uploads.close();
    },
  };
}
