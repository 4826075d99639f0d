import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createCoreServices, type CoreServices } from './services';
import { dispatch } from './dispatch';
import { lazyRuntime } from './lazy-runtime';
import type { HostEvent } from '../contract/transport';

let tmp: string;
let core: CoreServices;
let events: HostEvent[];

const noRuntime = lazyRuntime(() => {
  throw new Error('runtime not used here');
});

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-core-'));
  core = createCoreServices({ workspaceRoot: path.join(tmp, 'ws'), runtime: noRuntime, watchDebounceMs: 50 });
  events = [];
  core.onEvent((e) => events.push(e));
  await core.ready;
});
afterEach(async () => {
  await core.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function waitFor(pred: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The function a functions.changed names (null: the list); undefined for other events. */
const idOf = (e: HostEvent): string | null | undefined => (e.type === 'functions.changed' ? e.id : undefined);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('workspace watcher', () => {
  it('reports new, edited, event-added and deleted functions', async () => {
    const fn = await core.functions.create({ displayName: 'Live', templateId: 'default' });
    await waitFor(() => events.some((e) => idOf(e) === null), 'list change after create');
    await sleep(300);
    events.length = 0;

    await fs.writeFile(path.join(tmp, 'ws', fn.id, 'handler.js'), '// git checkout\n');
    await waitFor(() => events.some((e) => idOf(e) === fn.id), 'handler edit');
    expect((await core.functions.get(fn.id)).code).toBe('// git checkout\n');

    events.length = 0;
    await fs.writeFile(path.join(tmp, 'ws', fn.id, 'events', 'added.json'), '{}');
    await waitFor(() => events.some((e) => idOf(e) === fn.id), 'saved event added outside');

    events.length = 0;
    await fs.rm(path.join(tmp, 'ws', fn.id), { recursive: true });
    await waitFor(() => events.some((e) => idOf(e) === null), 'folder removal');
    expect(await core.functions.list()).toEqual([]);
  });

  it('keeps watching a function folder that was deleted and recreated under the same name', async () => {
    const fn = await core.functions.create({ displayName: 'Phoenix', templateId: 'default' });
    const dir = path.join(tmp, 'ws', fn.id);
    await sleep(400);
    const saved = await fs.readFile(path.join(dir, 'function.json'), 'utf8');
    await fs.rm(dir, { recursive: true });
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'function.json'), saved);
    await fs.writeFile(path.join(dir, 'handler.js'), '// recreated\n');
    await waitFor(() => events.some((e) => idOf(e) === fn.id), 'recreated function');
    await sleep(400);
    events.length = 0;
    await fs.writeFile(path.join(dir, 'handler.js'), '// edited after recreation\n');
    await waitFor(() => events.some((e) => idOf(e) === fn.id), 'edit in the recreated folder');
  });

  it('lists nothing while the workspace folder is gone and picks up functions made after it came back', async () => {
    const root = path.join(tmp, 'ws');
    await core.functions.create({ displayName: 'Old', templateId: 'default' });
    await waitFor(() => events.some((e) => idOf(e) === null), 'list change after create');
    await sleep(300);
    events.length = 0;
    await fs.rm(root, { recursive: true });
    await waitFor(() => events.some((e) => idOf(e) === null), 'the workspace folder removal');
    expect(await core.functions.list()).toEqual([]);
    await fs.mkdir(root);
    await sleep(1500);
    events.length = 0;
    const other = createCoreServices({ workspaceRoot: root, runtime: noRuntime, watch: false });
    await other.functions.create({ displayName: 'New', templateId: 'default' });
    await other.close();
    await waitFor(() => events.some((e) => idOf(e) === null), 'a function created after the folder came back');
    expect((await core.functions.list()).map((f) => f.id)).toEqual(['new']);
  });

  it('settles bursts and ignores temp files', async () => {
    const fn = await core.functions.create({ displayName: 'Burst', templateId: 'default' });
    await sleep(400);
    events.length = 0;
    for (let i = 0; i < 5; i++) await core.functions.saveCode(fn.id, `// v${i}\n`);
    await waitFor(() => events.some((e) => idOf(e) === fn.id), 'a change');
    await sleep(1000);
    events.length = 0;
    // An atomic writer's temp file alone is not a change.
    await fs.writeFile(path.join(tmp, 'ws', fn.id, '.handler.js.abc123.tmp'), 'partial');
    await fs.rm(path.join(tmp, 'ws', fn.id, '.handler.js.abc123.tmp'));
    await sleep(500);
    expect(events).toEqual([]);
  });
});

describe('dispatch', () => {
  it('validates, calls and wraps results and errors', async () => {
    expect(await dispatch(core, 'functions.list', [])).toEqual({ ok: true, result: [] });
    expect(await dispatch(core, 'functions.create', [{ displayName: 'D', templateId: 'batch' }])).toMatchObject({ ok: true, result: { id: 'd' } });
    expect(await dispatch(core, 'functions.delete', ['d'])).toEqual({ ok: true, result: null });
    expect(await dispatch(core, 'functions.get', ['d'])).toEqual({ ok: false, error: { name: 'NotFound', message: expect.stringContaining('No function "d"') } });
    expect(await dispatch(core, 'functions.readMeta', ['d'])).toMatchObject({ ok: false, error: { name: 'UnknownMethod' } });
    expect(await dispatch(core, 'functions.saveEvent', ['d', 'x', '"just a string"'])).toEqual({
      ok: false,
      error: { name: 'InvalidArgument', message: 'functions.saveEvent: argument 3 (json) must be JSON for an event object or an array of events' },
    });
    expect(await dispatch(core, 'toString', [])).toMatchObject({ ok: false, error: { name: 'UnknownMethod' } });
    expect(await dispatch(core, 'functions.list', null)).toMatchObject({ ok: false, error: { name: 'InvalidArgument' } });
  });

  it('reports an unwired settings service clearly', async () => {
    await core.functions.create({ displayName: 'S', templateId: 'default' });
    expect(await dispatch(core, 'settings.getTestValues', ['s'])).toMatchObject({ ok: true, result: { keychain: { available: false } } });
    expect(await dispatch(core, 'settings.setTestValue', ['s', 'apiKey', 'x'])).toMatchObject({ ok: false, error: { name: 'KeychainUnavailable' } });
  });
});

describe('templates and samples', () => {
  it('ships the five templates, each a valid script declaring its handlers', async () => {
    const templates = await core.templates.list();
    expect(templates.map((t) => t.name)).toEqual([
      'All handlers (default)',
      'POST to a webhook',
      'Retry on 5xx/429 with RetryError',
      'Validate and reject',
      'Batch handler',
    ]);
    const expected: Record<string, string[]> = {
      default: ['onTrack', 'onIdentify', 'onGroup', 'onPage', 'onScreen', 'onAlias', 'onDelete'],
      webhook: ['onTrack', 'onIdentify'],
      retry: ['onTrack'],
      validate: ['onTrack', 'onIdentify'],
      batch: ['onBatch', 'onTrack'],
    };
    for (const t of templates) {
      expect(t.description.length).toBeGreaterThan(20);
      // Segment's SES-based runtime refuses these even in comments.
      expect(t.code).not.toMatch(/<!--|import\(|eval\(|\brequire\(/);
      const context = vm.createContext({});
      new vm.Script(t.code, { filename: `${t.id}.js` }).runInContext(context);
      for (const handler of expected[t.id]) expect(typeof context[handler], `${t.id} ${handler}`).toBe('function');
    }
  });

  it('ships one sample per event type plus a batch', async () => {
    const samples = await core.samples.list();
    expect(samples.map((s) => s.id)).toEqual(['track', 'identify', 'page', 'screen', 'group', 'alias', 'delete', 'batch']);
    for (const s of samples.slice(0, 7)) {
      expect((s.event as { type: string }).type).toBe(s.type);
      const e = s.event as { userId?: string; anonymousId?: string; messageId: string };
      expect(e.userId ?? e.anonymousId).toBeTruthy();
      expect(e.messageId.length).toBeLessThanOrEqual(100);
    }
    expect((samples[0].event as { event: string }).event).toBe('Course Clicked');
    const batch = samples[7].event as Array<{ type: string; messageId: string }>;
    expect(Array.isArray(batch)).toBe(true);
    expect(new Set(batch.map((e) => e.type)).size).toBeGreaterThan(2);
    expect(new Set(batch.map((e) => e.messageId)).size).toBe(batch.length);
  });
});
