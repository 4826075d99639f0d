/**
 * Assembles the core services behind the contract. Hosts (web host, Electron, tests)
 * create one CoreServices, dispatch calls to it and forward its host events.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { FnStudioApi, FunctionsService, PreferencesService, SettingsService } from '../contract/api';
import type { FunctionMeta } from '../contract/function';
import type { HostEvent } from '../contract/transport';
import type { Runtime } from '../../runtime/api';
import { createPreferencesService, MemoryPreferencesStore, type PreferencesStore } from './preferences-service';
import { createRunner, type RunSettings } from './runner';
import { createSamples } from './samples';
import { createUnwiredSettingsService } from './settings-placeholder';
import type { SecretStore } from './secrets/secret-store';
import { createRunSettingsResolver, createWorkspaceSettingsService, withSettingsLifecycle } from './settings/wiring';
import { createTemplates } from './templates';
import { LocalWorkspace } from './workspace';
import { WorkspaceWatcher } from './workspace-watcher';

export interface CoreServicesOptions {
  workspaceRoot: string;
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
  /** Called once if live updates are unavailable (e.g. inotify limit). */
  onWatchError?: (err: Error) => void;
}

export interface CoreServices extends FnStudioApi {
  readonly workspace: LocalWorkspace;
  /** Resolves when the watcher is running (or immediately if watching is off). */
  readonly ready: Promise<void>;
  onEvent(listener: (event: HostEvent) => void): () => void;
  /** Stops the watcher; the runtime belongs to the caller and is not closed. */
  close(): Promise<void>;
}

export function createCoreServices(options: CoreServicesOptions): CoreServices {
  const resourcesDir = options.resourcesDir ?? defaultResourcesDir();
  const templates = createTemplates(path.join(resourcesDir, 'templates'));
  const workspace = new LocalWorkspace({ root: options.workspaceRoot, templates, now: options.now });
  const secretStore = options.secretStore;
  const functions: FunctionsService = secretStore ? withSettingsLifecycle(workspace, workspace, secretStore) : workspace;
  const settings: SettingsService =
    options.settings ?? (secretStore ? createWorkspaceSettingsService(workspace, secretStore) : createUnwiredSettingsService());
  const resolveSettings = options.resolveSettings ?? (secretStore ? createRunSettingsResolver(workspace, secretStore) : undefined);
  const preferences: PreferencesService = createPreferencesService(options.preferencesStore ?? new MemoryPreferencesStore());
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

  let watcher: WorkspaceWatcher | null = null;
  const ready =
    options.watch === false
      ? Promise.resolve()
      : (async () => {
          watcher = new WorkspaceWatcher({
            root: workspace.root,
            debounceMs: options.watchDebounceMs,
            onChange: (id) => emit({ type: 'functions.changed', id }),
            onWatchError: options.onWatchError,
          });
          await watcher.start();
          await workspace.removeStaleStaging();
        })();
  ready.catch((err: Error) => options.onWatchError?.(err));

  return {
    workspace,
    ready,
    functions,
    templates: { list: () => templates.list() },
    samples: createSamples(path.join(resourcesDir, 'samples')),
    runner: createRunner({
      runtime: options.runtime,
      preferences,
      readMeta: (id) => workspace.readMeta(id),
      resolveSettings,
    }),
    preferences,
    settings,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await ready.catch(() => undefined);
      (watcher as WorkspaceWatcher | null)?.close();
      listeners.clear();
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
