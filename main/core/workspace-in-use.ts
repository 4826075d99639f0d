/**
 * The workspace folder in use, and moving it: where it starts (a fixed root, or resolved
 * from flag / environment / preference), its watcher, the `workspacePath` preference that
 * moves it at once when the preference is what decides it, and the folders moved away from
 * while runs were still under way there.
 */
import type { PreferencesService } from '../contract/api';
import { FnStudioError } from '../contract/errors';
import type { Preferences, WorkspaceInfo, WorkspaceSource } from '../contract/function';
import { METHODS } from '../contract/methods';
import type { HostEvent } from '../contract/transport';
import type { WorkspaceBundle, WatchSetup } from './workspace-bundle';
import { watchWorkspaceBundle } from './workspace-bundle';
import { isOverridden, prepareWorkspaceFolder, resolveWorkspaceLocation, WORKSPACE_ENV, workspacePathProblem, type WorkspaceLocationInput } from './workspace-location';

export interface StartingWorkspace {
  /** What the folder is resolved from; null for a fixed root, which preferences never move. */
  location: WorkspaceLocationInput | null;
  root: string;
  source: WorkspaceSource;
}

/** Where the workspace starts: see CoreServicesOptions.workspaceRoot / workspaceLocation. */
export function startingWorkspace(options: { workspaceRoot?: string; workspaceLocation?: WorkspaceLocationInput }): StartingWorkspace {
  const given = options.workspaceLocation;
  if (given) {
    // Environment and cwd as they were at start: a later change to the process must not reinterpret the preference.
    const location: WorkspaceLocationInput = {
      ...given,
      env: { [WORKSPACE_ENV]: (given.env ?? process.env)[WORKSPACE_ENV] },
      cwd: given.cwd ?? process.cwd(),
    };
    return { location, ...resolveWorkspaceLocation(location) };
  }
  if (options.workspaceRoot !== undefined) return { location: null, root: options.workspaceRoot, source: 'host' };
  throw new Error('createCoreServices needs workspaceRoot or workspaceLocation');
}

export interface WorkspaceInUseSetup {
  start: StartingWorkspace;
  open: (root: string) => WorkspaceBundle;
  /** The stored preferences; `preferences` below wraps them with the moves. */
  preferences: PreferencesService;
  watch: Omit<WatchSetup, 'onChange'>;
  emit: (event: HostEvent) => void;
}

export class WorkspaceInUse {
  /** The folder every new call goes to; another bundle after a move. */
  current: WorkspaceBundle;
  /** Folders moved away from while runs were under way there. */
  private readonly retired = new Set<WorkspaceBundle>();
  private readonly location: WorkspaceLocationInput | null;
  private source: WorkspaceSource;
  private closed = false;
  private switching: Promise<unknown> = Promise.resolve();
  /** Resolves when the watcher is running (or immediately if watching is off). */
  readonly ready: Promise<void>;
  readonly preferences: PreferencesService;

  constructor(private readonly setup: WorkspaceInUseSetup) {
    this.location = setup.start.location;
    this.source = setup.start.source;
    this.current = setup.open(setup.start.root);
    // A folder that cannot be the workspace (a file, no permission) is named as such, not
    // as a watcher's failure to mkdir.
    this.ready = prepareWorkspaceFolder(setup.start.root, { create: true }).then(() => {
      const watching = this.startWatching(this.current);
      watching.catch((err: Error) => setup.watch.onWatchError?.(err));
      return watching;
    });
    const stored = setup.preferences;
    this.preferences = {
      get: () => stored.get(),
      set: (patch) => {
        if (this.location === null || patch === null || typeof patch !== 'object' || typeof patch.workspacePath !== 'string') return stored.set(patch);
        // Validated here too: the switch acts on the patch before the store would check it.
        METHODS['preferences.set']([patch]);
        const workspacePath = patch.workspacePath;
        const next = this.switching.then(() => this.setWorkspacePreference(patch, workspacePath));
        this.switching = next.catch(() => undefined);
        return next;
      },
    };
  }

  info(): WorkspaceInfo {
    return { root: this.current.workspace.root, source: this.source, followsPreference: this.location !== null && !isOverridden(this.source) };
  }

  /** Every folder a run may still be under way in: the current one and retired ones. */
  live(): WorkspaceBundle[] {
    return [this.current, ...this.retired];
  }

  /**
   * Runs `task` in the folder in use now, to its end: its meta and settings never come from
   * a folder switched to mid-run, and it stays cancellable after a move.
   */
  async pinned<T>(task: (bundle: WorkspaceBundle) => Promise<T>): Promise<T> {
    const bundle = this.current;
    bundle.activeRuns++;
    try {
      return await task(bundle);
    } finally {
      bundle.activeRuns--;
      if (bundle.activeRuns === 0) this.retired.delete(bundle);
    }
  }

  /** From now on a move is refused (the studio is shutting down). */
  refuseMoves(): void {
    this.closed = true;
  }

  /** Waits for a move under way, then stops the watcher. */
  async close(): Promise<void> {
    this.closed = true;
    await this.switching;
    await this.ready.catch(() => undefined);
    this.current.watcher?.close();
  }

  private startWatching(bundle: WorkspaceBundle): Promise<void> {
    return watchWorkspaceBundle(bundle, {
      ...this.setup.watch,
      // A retired folder's late notice would name a function of the wrong folder.
      onChange: (id) => {
        if (this.current === bundle) this.setup.emit({ type: 'functions.changed', id });
      },
    });
  }

  /**
   * Moves the workspace when the preference decides it. The new folder is checked (and
   * created if missing) and watched before the preference is saved, so a bad path leaves
   * both the preference and the workspace as they were.
   */
  private async setWorkspacePreference(patch: Partial<Preferences>, workspacePath: string): Promise<Preferences> {
    const stored = this.setup.preferences;
    if (this.closed) throw new FnStudioError('Internal', 'The studio is shutting down');
    const problem = workspacePathProblem(workspacePath);
    if (problem) throw new FnStudioError('InvalidArgument', problem);
    const target = resolveWorkspaceLocation({ ...this.location, preference: workspacePath });
    if (isOverridden(target.source)) {
      // Only saved for a later start without the override; checked now so a typo shows up now.
      if (workspacePath.trim() !== '') {
        await prepareWorkspaceFolder(resolveWorkspaceLocation({ ...this.location, flag: null, env: {}, preference: workspacePath }).root, { create: false });
      }
      return stored.set(patch);
    }
    if (target.root === this.current.workspace.root) {
      const saved = await stored.set(patch);
      if (target.source !== this.source) {
        this.source = target.source;
        this.setup.emit({ type: 'workspace.changed', workspace: this.info() });
      }
      return saved;
    }
    await prepareWorkspaceFolder(target.root, { create: true });
    const next = this.setup.open(target.root);
    let saved: Preferences;
    try {
      await this.startWatching(next);
      saved = await stored.set(patch);
    } catch (err) {
      next.watcher?.close();
      throw err;
    }
    const previous = this.current;
    this.current = next;
    this.source = target.source;
    previous.watcher?.close();
    if (previous.activeRuns > 0) this.retired.add(previous);
    this.setup.emit({ type: 'workspace.changed', workspace: this.info() });
    return saved;
  }
}
