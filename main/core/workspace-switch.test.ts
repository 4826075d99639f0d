/**
 * The workspacePath preference moving the workspace live, on real temp folders with the
 * real watcher: switching, bad paths, the flag/env override, and runs across a switch.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InvokeRequest, Runtime } from '../../runtime/api';
import type { HostEvent } from '../contract/transport';
import type { Outcome } from '../contract/outcome';
import { createCoreServices, type CoreServices } from './services';
import { MemoryPreferencesStore } from './preferences-service';
import { resolveWorkspaceLocation } from './workspace-location';
import { compiledModule, runAsNobody, runningAsRoot, withScratchForNobody } from './unprivileged.testkit';

let tmp: string;
let home: string;
let a: string;
let b: string;
let core: CoreServices | null;
let events: HostEvent[];

/** A runtime whose invocations wait until the test releases them. */
function gatedRuntime() {
  const invoked: InvokeRequest[] = [];
  const gates: Array<() => void> = [];
  const runtime: Runtime = {
    invoke(request, signal) {
      invoked.push(request);
      return new Promise<Outcome>((resolve, reject) => {
        const abort = () => reject(Object.assign(new Error('cancelled'), { name: 'RunCancelled' }));
        if (signal?.aborted) return abort();
        signal?.addEventListener('abort', abort);
        gates.push(() => resolve({ outcome: 'Success', settingsSeen: request.settings } as unknown as Outcome));
      });
    },
    async close() {},
  };
  return { runtime, invoked, release: () => gates.splice(0).forEach((g) => g()) };
}

async function writeFunction(root: string, id: string, description: string): Promise<void> {
  await fs.mkdir(path.join(root, id, 'events'), { recursive: true });
  const meta = { displayName: id, description, resourceType: 'DESTINATION', settings: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
  await fs.writeFile(path.join(root, id, 'function.json'), JSON.stringify(meta));
  await fs.writeFile(path.join(root, id, 'handler.js'), `// ${description}\n`);
}

function start(options: { preference?: string; env?: NodeJS.ProcessEnv; flag?: string; runtime?: Runtime; resolveDescription?: boolean } = {}): CoreServices {
  const preference = options.preference ?? a;
  const created = createCoreServices({
    workspaceLocation: { flag: options.flag ?? null, env: options.env ?? {}, preference, home },
    runtime: options.runtime ?? gatedRuntime().runtime,
    preferencesStore: new MemoryPreferencesStore({ workspacePath: preference }),
    watchDebounceMs: 50,
    // Settings that show which folder a run's meta came from.
    resolveSettings: async (_id, meta) => ({ values: { folder: meta.description }, secrets: [] }),
  });
  created.onEvent((e) => events.push(e));
  core = created;
  return created;
}

async function waitFor(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = async (c: CoreServices) => (await c.functions.list()).map((f) => f.id);
const listChanges = () => events.filter((e) => e.type === 'functions.changed');

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-switch-'));
  home = path.join(tmp, 'home');
  a = path.join(tmp, 'a');
  b = path.join(tmp, 'b');
  await writeFunction(a, 'only-in-a', 'A');
  await writeFunction(b, 'only-in-b', 'B');
  events = [];
  core = null;
});
afterEach(async () => {
  await core?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('resolveWorkspaceLocation', () => {
  it('names the source that decided', () => {
    expect(resolveWorkspaceLocation({ flag: '/f', env: { FNSTUDIO_WORKSPACE: '/e' }, preference: '/p', home: '/h' })).toEqual({ root: '/f', source: 'flag' });
    expect(resolveWorkspaceLocation({ env: { FNSTUDIO_WORKSPACE: '/e' }, preference: '/p', home: '/h' })).toEqual({ root: '/e', source: 'env' });
    expect(resolveWorkspaceLocation({ env: {}, preference: ' /p ', home: '/h' })).toEqual({ root: '/p', source: 'preference' });
    expect(resolveWorkspaceLocation({ env: {}, preference: '  ', home: '/h' })).toEqual({ root: '/h/fnstudio-functions', source: 'default' });
  });
});

describe('changing the workspacePath preference', () => {
  it('moves the workspace to the new folder: list, watcher, event, and the old folder untouched', async () => {
    const c = start();
    await c.ready;
    expect(await c.workspace.info()).toEqual({ root: a, source: 'preference', followsPreference: true });
    expect(await ids(c)).toEqual(['only-in-a']);

    const saved = await c.preferences.set({ workspacePath: b });
    expect(saved.workspacePath).toBe(b);
    expect(await c.workspace.info()).toEqual({ root: b, source: 'preference', followsPreference: true });
    expect(events).toContainEqual({ type: 'workspace.changed', workspace: { root: b, source: 'preference', followsPreference: true } });
    expect(await ids(c)).toEqual(['only-in-b']);
    expect(c.localWorkspace.root).toBe(b);

    // The new folder is watched, the old one no longer.
    events.length = 0;
    await writeFunction(b, 'new-in-b', 'B2');
    await waitFor(() => listChanges().length > 0, 'a function created in the new folder');
    await sleep(300);
    events.length = 0;
    await writeFunction(a, 'new-in-a', 'A2');
    await fs.writeFile(path.join(a, 'only-in-a', 'handler.js'), '// edited in the old folder\n');
    await sleep(600);
    expect(listChanges()).toEqual([]);

    // Nothing was moved or deleted in the old folder.
    expect((await fs.readdir(a)).sort()).toEqual(['new-in-a', 'only-in-a']);
    expect(await fs.readFile(path.join(a, 'only-in-a', 'function.json'), 'utf8')).toContain('"description":"A"');
  });

  it('creates a missing folder (and nothing else), and an empty path means the default folder', async () => {
    const c = start();
    await c.ready;
    const fresh = path.join(tmp, 'new', 'nested');
    await c.preferences.set({ workspacePath: fresh });
    expect((await fs.stat(fresh)).isDirectory()).toBe(true);
    expect(await fs.readdir(fresh)).toEqual([]);
    expect(await ids(c)).toEqual([]);

    await c.preferences.set({ workspacePath: '' });
    expect(await c.workspace.info()).toEqual({ root: path.join(home, 'fnstudio-functions'), source: 'default', followsPreference: true });
  });

  it('a bad path is refused with the path and the problem; workspace and preference stay', async () => {
    const c = start();
    await c.ready;
    const file = path.join(tmp, 'a-file.txt');
    await fs.writeFile(file, 'not a folder');
    const notFolder = await rejection(c.preferences.set({ workspacePath: file }));
    expect(notFolder.name).toBe('InvalidArgument');
    expect(notFolder.message).toBe(`Cannot use ${file} as the workspace folder: it is a file, not a folder`);
    const under = path.join(file, 'sub');
    expect((await rejection(c.preferences.set({ workspacePath: under }))).message).toBe(
      `Cannot use ${under} as the workspace folder: part of that path is a file, not a folder`,
    );
    expect(await fs.readFile(file, 'utf8')).toBe('not a folder');
    // relative: which folder it meant would depend on where the host happened to start
    const relative = await rejection(c.preferences.set({ workspacePath: 'my-functions' }));
    expect(relative.name).toBe('InvalidArgument');
    expect(relative.message).toBe('The workspace folder must be an absolute path or start with ~/ (got "my-functions")');
    expect((await c.preferences.get()).workspacePath).toBe(a);
    expect(await c.workspace.info()).toEqual({ root: a, source: 'preference', followsPreference: true });
    expect(await ids(c)).toEqual(['only-in-a']);
    expect(events.filter((e) => e.type === 'workspace.changed')).toEqual([]);
    // Still watching the folder it stayed in.
    await writeFunction(a, 'still-watched', 'A3');
    await waitFor(() => listChanges().length > 0, 'a change in the folder it stayed in');
  });

  it('a folder that cannot be the workspace at start is named as such; switching away from it works', async () => {
    const file = path.join(tmp, 'start-file.txt');
    await fs.writeFile(file, 'not a folder');
    const c = start({ preference: file });
    const err = await rejection(c.ready);
    expect(err.name).toBe('InvalidArgument');
    expect(err.message).toBe(`Cannot use ${file} as the workspace folder: it is a file, not a folder`);
    await c.preferences.set({ workspacePath: a });
    expect(await c.workspace.info()).toEqual({ root: a, source: 'preference', followsPreference: true });
    expect(await ids(c)).toEqual(['only-in-a']);
    expect(await fs.readFile(file, 'utf8')).toBe('not a folder');
  });

  it('a folder without permission is refused', async () => {
    if (runningAsRoot()) {
      // root passes every permission check: ask as an unprivileged user (nobody) instead,
      // of the compiled module the hosts use.
      await withScratchForNobody(async (parent) => {
        const locked = path.join(parent, 'locked');
        await fs.mkdir(locked, { mode: 0o500 });
        const script = `require(${JSON.stringify(compiledModule('main/core/workspace-location.js'))}).prepareWorkspaceFolder(${JSON.stringify(locked)}, { create: true }).then(() => console.log('accepted'), (e) => console.log(e.message))`;
        expect(await runAsNobody(script)).toBe(`Cannot use ${locked} as the workspace folder: no permission to read and write in it`);
      });
      return;
    }
    const c = start();
    await c.ready;
    const locked = path.join(tmp, 'locked');
    await fs.mkdir(locked, { mode: 0o500 });
    const err = await rejection(c.preferences.set({ workspacePath: locked }));
    expect(err.message).toBe(`Cannot use ${locked} as the workspace folder: no permission to read and write in it`);
    expect((await c.workspace.info()).root).toBe(a);
  });

  // sysfs refuses new folders even to root, so this runs where a chmod test cannot.
  it.runIf(process.platform === 'linux' && existsSync('/sys/kernel'))('a folder that cannot be created is refused', async () => {
    const c = start();
    await c.ready;
    const uncreatable = '/sys/fnstudio-workspace-test';
    const err = await rejection(c.preferences.set({ workspacePath: uncreatable }));
    expect(err.message).toBe(`Cannot use ${uncreatable} as the workspace folder: it does not exist and there is no permission to create it`);
    expect((await c.workspace.info()).root).toBe(a);
    expect((await c.preferences.get()).workspacePath).toBe(a);
  });

  it('with FNSTUDIO_WORKSPACE or --workspace deciding, the preference is saved but the workspace stays', async () => {
    for (const override of [{ env: { FNSTUDIO_WORKSPACE: a } }, { flag: a }]) {
      const c = start(override);
      await c.ready;
      const source = 'flag' in override ? 'flag' : 'env';
      expect(await c.workspace.info()).toEqual({ root: a, source, followsPreference: false });
      const missing = path.join(tmp, 'later');
      expect((await c.preferences.set({ workspacePath: missing })).workspacePath).toBe(missing);
      expect((await c.preferences.get()).workspacePath).toBe(missing);
      expect(await c.workspace.info()).toEqual({ root: a, source, followsPreference: false });
      expect(await ids(c)).toEqual(['only-in-a']);
      // Not created: it is not used now.
      await expect(fs.stat(missing)).rejects.toMatchObject({ code: 'ENOENT' });
      // A path that can never work is still refused now rather than at the next start.
      const file = path.join(tmp, 'file');
      await fs.writeFile(file, '');
      expect((await rejection(c.preferences.set({ workspacePath: file }))).message).toContain(`Cannot use ${file}`);
      expect(events.filter((e) => e.type === 'workspace.changed')).toEqual([]);
      await c.close();
      core = null;
    }
  });

  it('a fixed root (given by the host) never moves', async () => {
    const c = createCoreServices({ workspaceRoot: a, runtime: gatedRuntime().runtime, watch: false });
    core = c;
    expect(await c.workspace.info()).toEqual({ root: a, source: 'host', followsPreference: false });
    await c.preferences.set({ workspacePath: b });
    expect((await c.workspace.info()).root).toBe(a);
  });

  it('runs under way finish in the folder they started in; they stay cancellable', async () => {
    await writeFunction(b, 'only-in-a', 'B-twin');
    const gated = gatedRuntime();
    const c = start({ runtime: gated.runtime });
    await c.ready;
    const input = { type: 'track', event: 'x', userId: 'u' };
    const finishing = c.runner.run({ runId: 'r1', functionId: 'only-in-a', code: '// run', input });
    const cancelled = c.runner.run({ runId: 'r2', functionId: 'only-in-a', code: '// run', input });
    await waitFor(() => gated.invoked.length === 2, 'both runs to reach the runtime');
    await c.preferences.set({ workspacePath: b });
    await c.runner.cancel('r2');
    expect((await rejection(cancelled)).name).toBe('RunCancelled');
    gated.release();
    // Settings came from the old folder's function.json, not from its namesake in the new one.
    expect(await finishing).toMatchObject({ outcome: 'Success', settingsSeen: { folder: 'A' } });
    // A run started now uses the new folder.
    const after = c.runner.run({ runId: 'r3', functionId: 'only-in-a', code: '// run', input });
    await waitFor(() => gated.invoked.length === 3, 'the third run');
    gated.release();
    expect(await after).toMatchObject({ settingsSeen: { folder: 'B-twin' } });
  });

  it('two quick changes apply in order; a change asked for during close is refused and nothing is watched after close', async () => {
    const c = start();
    await c.ready;
    const c1 = path.join(tmp, 'c1');
    const c2 = path.join(tmp, 'c2');
    await Promise.all([c.preferences.set({ workspacePath: c1 }), c.preferences.set({ workspacePath: c2 })]);
    expect((await c.workspace.info()).root).toBe(c2);
    expect((await c.preferences.get()).workspacePath).toBe(c2);
    // Asked for just before shutting down: refused rather than watching a folder after close.
    const pending = rejection(c.preferences.set({ workspacePath: b }));
    await c.close();
    core = null;
    expect((await pending).message).toBe('The studio is shutting down');
    events.length = 0;
    await writeFunction(b, 'after-close', 'x');
    await writeFunction(c2, 'after-close', 'x');
    await sleep(500);
    expect(events).toEqual([]);
  });
});
