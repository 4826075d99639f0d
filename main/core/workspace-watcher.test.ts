/**
 * The watcher on the real filesystem: the workspace root itself deleted, recreated,
 * replaced quickly, and the watcher disposed while the root is missing; handler.ts edited,
 * and handler.js turned into handler.ts and back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultResourcesDir } from './resources-dir';
import { createTemplates } from './templates';
import { LocalWorkspace } from './workspace';
import { WorkspaceWatcher } from './workspace-watcher';

let tmp: string;
let root: string;
let changes: Array<string | null>;
let watcher: WorkspaceWatcher;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-watch-'));
  root = path.join(tmp, 'functions');
  changes = [];
  watcher = new WorkspaceWatcher({ root, debounceMs: 50, missingRootPollMs: 100, onChange: (id) => changes.push(id) });
  await watcher.start();
});
afterEach(async () => {
  watcher.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function waitFor(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; changes: ${JSON.stringify(changes)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function writeFunction(dir: string, code = '// handler\n', handlerFile = 'handler.js'): Promise<void> {
  await fs.mkdir(path.join(dir, 'events'), { recursive: true });
  await fs.writeFile(path.join(dir, 'function.json'), '{"displayName":"F"}');
  await fs.writeFile(path.join(dir, handlerFile), code);
}

describe('WorkspaceWatcher and its root folder', () => {
  it('reports the removal of the root, then resumes when the root comes back', async () => {
    await writeFunction(path.join(root, 'before'));
    await waitFor(() => changes.includes(null), 'the first function');
    await sleep(200);
    changes.length = 0;

    await fs.rm(root, { recursive: true });
    await waitFor(() => changes.includes(null), 'the root removal as a list change');
    await sleep(300);
    changes.length = 0;

    // Built aside and moved in, as a clone or checkout would leave it.
    const staged = path.join(tmp, 'clone');
    await writeFunction(path.join(staged, 'after'));
    await fs.rename(staged, root);
    await waitFor(() => changes.includes(null), 'the recreated root');
    await sleep(300);
    changes.length = 0;

    // The new root and the function folders in it are watched again.
    await writeFunction(path.join(root, 'later'));
    await waitFor(() => changes.includes(null), 'a function created in the recreated root');
    await sleep(300);
    changes.length = 0;
    await fs.writeFile(path.join(root, 'after', 'handler.js'), '// edited\n');
    await waitFor(() => changes.includes('after'), 'an edit inside the recreated root');
    expect(watcher.activeResources().timers).toBeLessThanOrEqual(2);
  });

  it('notices a root replaced faster than the debounce (rm -rf && mkdir)', async () => {
    await sleep(100);
    await fs.rm(root, { recursive: true });
    await fs.mkdir(root);
    await sleep(300);
    changes.length = 0;
    await writeFunction(path.join(root, 'fresh'));
    await waitFor(() => changes.includes(null), 'a function created in the replaced root');
  });

  it('a root whose name starts with a dot is followed too', async () => {
    watcher.close();
    root = path.join(tmp, '.hidden-functions');
    watcher = new WorkspaceWatcher({ root, debounceMs: 50, missingRootPollMs: 100, onChange: (id) => changes.push(id) });
    await watcher.start();
    await writeFunction(path.join(root, 'one'));
    await waitFor(() => changes.includes(null), 'the first function');
    await sleep(200);
    changes.length = 0;
    await fs.rm(root, { recursive: true });
    await waitFor(() => changes.includes(null), 'the removal of a dot-named root');
    await fs.mkdir(root);
    await sleep(300);
    changes.length = 0;
    await writeFunction(path.join(root, 'two'));
    await waitFor(() => changes.includes(null), 'a function in the recreated dot-named root');
  });

  it('leaves no watch or timer behind when closed while the root is missing', async () => {
    await writeFunction(path.join(root, 'f'));
    await waitFor(() => changes.includes(null), 'the function');
    await fs.rm(root, { recursive: true });
    await waitFor(() => watcher.activeResources().watches === 0 && watcher.activeResources().timers === 1, 'the missing-root poll');
    watcher.close();
    expect(watcher.activeResources()).toEqual({ watches: 0, timers: 0 });
    changes.length = 0;
    await writeFunction(path.join(root, 'g'));
    await sleep(400);
    expect(changes).toEqual([]);
    expect(watcher.activeResources()).toEqual({ watches: 0, timers: 0 });
  });

  it('does not recreate a deleted root', async () => {
    await fs.rm(root, { recursive: true });
    await waitFor(() => watcher.activeResources().timers === 1 && watcher.activeResources().watches === 0, 'the missing-root poll');
    await sleep(300);
    await expect(fs.stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('WorkspaceWatcher and a function\'s test cases', () => {
  it('reports a test case added or edited in tests/, also when tests/ appears later', async () => {
    const dir = path.join(root, 'checked');
    await writeFunction(dir);
    await waitFor(() => changes.includes(null), 'the new function');
    await sleep(200);
    changes.length = 0;

    await fs.mkdir(path.join(dir, 'tests'));
    await fs.writeFile(path.join(dir, 'tests', 'a.test.json'), '{}');
    await waitFor(() => changes.includes('checked'), 'the first test case');
    await sleep(200);
    changes.length = 0;

    await fs.writeFile(path.join(dir, 'tests', 'a.test.json'), '{"event": {"type": "track"}, "expect": {}}');
    await waitFor(() => changes.includes('checked'), 'the edited test case');
  });
});

describe('WorkspaceWatcher and handler.ts', () => {
  // What the app reads after the watcher reports: the same service the hosts use.
  const workspace = () => new LocalWorkspace({ root, templates: createTemplates(path.join(defaultResourcesDir(), 'templates')) });

  async function settled(id: string): Promise<void> {
    await waitFor(() => changes.includes(id), `a change of ${id}`);
    await sleep(200);
    changes.length = 0;
  }

  it('reports an outside edit of handler.ts as a change of its function, which then reads the new TypeScript', async () => {
    await writeFunction(path.join(root, 'typed'), 'async function onTrack(event) {\n  return 1;\n}\n', 'handler.ts');
    await waitFor(() => changes.includes(null), 'the new function');
    await sleep(200);
    changes.length = 0;

    await fs.writeFile(path.join(root, 'typed', 'handler.ts'), 'async function onTrack(event) {\n  return 2 as number;\n}\n');
    await settled('typed');
    const detail = await workspace().get('typed');
    expect(detail.handlerFile).toBe('handler.ts');
    expect(detail.code).toContain('return 2 as number;');
  });

  it('reports handler.js becoming handler.ts (removed and written, or renamed) and back', async () => {
    await writeFunction(path.join(root, 'switch'), 'async function onTrack(event) {}\n');
    await waitFor(() => changes.includes(null), 'the new function');
    await sleep(200);
    changes.length = 0;
    const before = await workspace().get('switch');
    expect(before.handlerFile).toBe('handler.js');

    await fs.rm(path.join(root, 'switch', 'handler.js'));
    await fs.writeFile(path.join(root, 'switch', 'handler.ts'), 'async function onTrack(event: SegmentTrackEvent) {}\n');
    await settled('switch');
    expect(await workspace().get('switch')).toMatchObject({ handlerFile: 'handler.ts', code: 'async function onTrack(event: SegmentTrackEvent) {}\n' });

    // A rename keeps size, content and inode: only the name tells.
    await fs.rename(path.join(root, 'switch', 'handler.ts'), path.join(root, 'switch', 'handler.js'));
    await settled('switch');
    expect((await workspace().get('switch')).handlerFile).toBe('handler.js');
    await fs.rename(path.join(root, 'switch', 'handler.js'), path.join(root, 'switch', 'handler.ts'));
    await settled('switch');
    expect((await workspace().get('switch')).handlerFile).toBe('handler.ts');
  });
});
