/**
 * Notices changes made to the workspace outside the app (git checkout, another editor,
 * another window) and reports which function changed.
 *
 * fs.watch is watched per folder (the root, each function folder, its events/ and tests/)
 * rather than recursively: Node 20's recursive mode on Linux misses folders created
 * after the watch started. Bursts (an atomic save is create+rename) are debounced, and
 * an event is reported only when the files' stat signature really changed.
 *
 * The root itself may be deleted and recreated (`rm -rf` + `git clone`, a branch switch).
 * An inotify watch belongs to an inode, not a path: once the root is gone its watch is
 * dead for good, and a watch on a recreated root must be a new one. So every settle of
 * the root renews the root's watch, and while the root is missing it is polled (a stat
 * every `missingRootPollMs`) instead of watching its parent. Polling was chosen because a
 * parent watch is the fragile option on Linux: the parent can be removed too (then the
 * nearest surviving ancestor would have to be chased), replaced by a rename (the watch
 * silently follows the old inode), refused (EACCES, the inotify watch limit), or be
 * $HOME, whose every dotfile write would wake us. One stat a second while the folder is
 * missing costs nothing and cannot miss its return.
 */
import { statSync, watch, promises as fs, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { functionIdProblem } from '../contract/ids';
import { isTempFileName } from './atomic-write';
import { EVENTS_DIR } from './workspace';
import { TESTS_DIR } from '../contract/tests';

/** Sub-folders of a function folder that are part of the function: saved events and test cases. */
const FUNCTION_SUBDIRS = [EVENTS_DIR, TESTS_DIR];

export interface WorkspaceWatcherOptions {
  root: string;
  /** null: the list of functions changed (added, removed, renamed). */
  onChange: (id: string | null) => void;
  debounceMs?: number;
  /** How often a missing root is looked for (default 1000 ms). */
  missingRootPollMs?: number;
  /** Told once if the OS refuses to watch (e.g. inotify limits); the app keeps working without live updates. */
  onWatchError?: (err: Error) => void;
}

export class WorkspaceWatcher {
  /** Watched folders with the inode they had: a folder deleted and recreated needs a new watch. */
  private readonly watchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly signatures = new Map<string, string>();
  /**
   * Entries the root watcher saw change since the last settle. A folder deleted and
   * recreated can get its old inode number back, so its watch is renewed whenever the
   * root reports its name rather than trusting the inode alone.
   */
  private readonly touchedByRoot = new Set<string>();
  private listSignature = '';
  /** Set while the root does not exist: looks for it to come back. */
  private missingRootPoll: NodeJS.Timeout | null = null;
  private closed = false;
  private warned = false;

  constructor(private readonly options: WorkspaceWatcherOptions) {}

  async start(): Promise<void> {
    await fs.mkdir(this.options.root, { recursive: true });
    this.listSignature = await this.computeListSignature();
    this.watchDir(this.options.root, null);
    await this.syncFunctionWatchers();
  }

  close(): void {
    this.closed = true;
    this.stopMissingRootPoll();
    for (const w of this.watchers.values()) w.watcher.close();
    this.watchers.clear();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Open fs watches and pending timers (debounce and missing-root poll): 0 and 0 after close. */
  activeResources(): { watches: number; timers: number } {
    return { watches: this.watchers.size, timers: this.timers.size + (this.missingRootPoll === null ? 0 : 1) };
  }

  /** Returns true when an existing watch was replaced (the folder was recreated). */
  private watchDir(dir: string, id: string | null, renew = false): boolean {
    if (this.closed) return false;
    const ino = inodeOf(dir);
    const existing = this.watchers.get(dir);
    if (existing && existing.ino === ino && !renew) return false;
    if (existing) {
      existing.watcher.close();
      this.watchers.delete(dir);
    }
    if (ino === null) return existing !== undefined;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_type, filename) => {
        const name = filename?.toString();
        // The root's own deletion or move is reported under its own name, which may start with a dot.
        if (id === null && dir === this.options.root && name === path.basename(dir)) {
          this.schedule(null);
          return;
        }
        if (name && isTempFileName(name)) return;
        // A new hidden staging folder (create) settles with a rename we will see anyway.
        if (id === null && name?.startsWith('.')) return;
        if (id === null && name) this.touchedByRoot.add(name);
        this.schedule(id);
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(err as Error);
      return existing !== undefined;
    }
    watcher.on('error', () => {
      // The folder went away (deleted function): forget it; the root watcher reports the removal.
      watcher.close();
      if (this.watchers.get(dir)?.watcher === watcher) this.watchers.delete(dir);
      if (dir === this.options.root) this.schedule(null);
    });
    this.watchers.set(dir, { watcher, ino });
    return existing !== undefined;
  }

  private schedule(id: string | null): void {
    if (this.closed) return;
    const key = id ?? '';
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.settle(id).catch(() => undefined);
      }, this.options.debounceMs ?? 150),
    );
  }

  private async settle(id: string | null): Promise<void> {
    if (id === null) {
      // Before the listing, so a change after this point is seen by the new watch.
      this.renewRootWatch();
      const signature = await this.computeListSignature();
      const touched = new Set(this.touchedByRoot);
      this.touchedByRoot.clear();
      await this.syncFunctionWatchers(touched);
      if (this.closed || signature === this.listSignature) return;
      this.listSignature = signature;
      this.options.onChange(null);
      return;
    }
    const dir = path.join(this.options.root, id);
    for (const sub of FUNCTION_SUBDIRS) this.watchDir(path.join(dir, sub), id);
    const signature = await this.computeFunctionSignature(dir);
    if (this.closed || signature === this.signatures.get(id)) return;
    this.signatures.set(id, signature);
    this.options.onChange(id);
  }

  /**
   * Replaces the root's watch (its folder may have been recreated, possibly with the old
   * inode number), or, when the root is missing, drops it and polls for the root's return.
   */
  private renewRootWatch(): void {
    if (this.closed) return;
    const root = this.options.root;
    if (inodeOf(root) === null) {
      const existing = this.watchers.get(root);
      existing?.watcher.close();
      this.watchers.delete(root);
      this.startMissingRootPoll();
      return;
    }
    this.stopMissingRootPoll();
    this.watchDir(root, null, true);
  }

  private startMissingRootPoll(): void {
    if (this.missingRootPoll !== null || this.closed) return;
    const timer = setInterval(() => {
      if (inodeOf(this.options.root) === null) return;
      this.stopMissingRootPoll();
      this.schedule(null);
    }, this.options.missingRootPollMs ?? 1000);
    // A missing folder must not keep the process alive, just as the fs watches do not.
    timer.unref();
    this.missingRootPoll = timer;
  }

  private stopMissingRootPoll(): void {
    if (this.missingRootPoll === null) return;
    clearInterval(this.missingRootPoll);
    this.missingRootPoll = null;
  }

  private async syncFunctionWatchers(renew: ReadonlySet<string> = new Set()): Promise<void> {
    const ids = new Set(await this.functionFolders());
    for (const [dir, { watcher }] of this.watchers) {
      const rel = path.relative(this.options.root, dir);
      if (rel === '') continue;
      const id = rel.split(path.sep)[0];
      if (!ids.has(id)) {
        watcher.close();
        this.watchers.delete(dir);
        this.signatures.delete(id);
      }
    }
    for (const id of ids) {
      const dir = path.join(this.options.root, id);
      if (!this.signatures.has(id)) this.signatures.set(id, await this.computeFunctionSignature(dir));
      const recreated = this.watchDir(dir, id, renew.has(id));
      const subRecreated = FUNCTION_SUBDIRS.map((sub) => this.watchDir(path.join(dir, sub), id, renew.has(id))).some(Boolean);
      // Deleted and recreated between two looks (a git checkout): the list looks the same, the content may not.
      if (recreated || subRecreated) this.schedule(id);
    }
  }

  private async functionFolders(): Promise<string[]> {
    try {
      const entries = await fs.readdir(this.options.root, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && functionIdProblem(e.name) === null).map((e) => e.name);
    } catch {
      return [];
    }
  }

  private async computeListSignature(): Promise<string> {
    return (await this.functionFolders()).sort().join('\n');
  }

  /** Names, sizes and mtimes of everything that makes up a function. */
  private async computeFunctionSignature(dir: string): Promise<string> {
    const parts: string[] = [];
    for (const sub of ['', ...FUNCTION_SUBDIRS]) {
      let names: string[];
      try {
        names = (await fs.readdir(path.join(dir, sub))).filter((n) => !isTempFileName(n)).sort();
      } catch {
        parts.push(`${sub}:absent`);
        continue;
      }
      for (const name of names) {
        try {
          const st = await fs.stat(path.join(dir, sub, name));
          if (st.isFile()) parts.push(`${sub}/${name}:${st.size}:${st.mtimeMs}:${st.ino}`);
        } catch {
          // Vanished between readdir and stat: the next event will settle it.
        }
      }
    }
    return parts.join('|');
  }

  private warn(err: Error): void {
    if (this.warned) return;
    this.warned = true;
    this.options.onWatchError?.(err);
  }
}

function inodeOf(dir: string): number | null {
  try {
    const stat = statSync(dir);
    return stat.isDirectory() ? stat.ino : null;
  } catch {
    return null;
  }
}
