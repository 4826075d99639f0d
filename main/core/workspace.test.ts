import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalWorkspace, codeVersionOf } from './workspace';
import { createTemplates } from './templates';
import { serializeMeta } from './function-meta';
import { defaultResourcesDir } from './resources-dir';
import { FnStudioError } from '../contract/errors';

let root: string;
let ws: LocalWorkspace;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-ws-'));
  ws = new LocalWorkspace({ root, templates: createTemplates(path.join(defaultResourcesDir(), 'templates')) });
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<FnStudioError> {
  try {
    await p;
  } catch (err) {
    return err as FnStudioError;
  }
  throw new Error('expected a rejection');
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(path.relative(root, p));
  }
  return out.sort();
}

describe('LocalWorkspace', () => {
  it('creates a function folder from a template with a slug id', async () => {
    const fn = await ws.create({ displayName: 'My Webhook!', templateId: 'webhook' });
    expect(fn.id).toBe('my-webhook');
    expect(fn.code).toContain('async function onTrack');
    expect(await fs.readFile(path.join(root, 'my-webhook', 'handler.js'), 'utf8')).toBe(fn.code);
    const meta = JSON.parse(await fs.readFile(path.join(root, 'my-webhook', 'function.json'), 'utf8'));
    expect(meta).toMatchObject({ displayName: 'My Webhook!', description: '', resourceType: 'DESTINATION' });
    // The template's settings, mock rules and test cases come along (templates.test.ts checks their content).
    expect(meta.settings.map((s: { name: string }) => s.name)).toEqual(['webhookUrl', 'token']);
    expect(JSON.parse(await fs.readFile(path.join(root, 'my-webhook', 'mocks.json'), 'utf8'))[0]).toMatchObject({ url: 'https://webhook.example.com/*' });
    expect((await fs.readdir(path.join(root, 'my-webhook', 'tests'))).length).toBeGreaterThan(0);
    expect((await fs.stat(path.join(root, 'my-webhook', 'events'))).isDirectory()).toBe(true);
    // Same name again gets a unique id.
    expect((await ws.create({ displayName: 'My Webhook!', templateId: 'default' })).id).toBe('my-webhook-2');
    expect((await ws.create({ displayName: '***', templateId: 'default' })).id).toBe('function');
    expect((await ws.list()).map((f) => f.id)).toEqual(['function', 'my-webhook', 'my-webhook-2']);
  });

  it('rejects unknown templates', async () => {
    const err = await errorOf(ws.create({ displayName: 'x', templateId: 'nope' }));
    expect(err.name).toBe('NotFound');
    expect(err.message).toContain('nope');
  });

  it('writes atomically: complete content and no temp files left', async () => {
    const fn = await ws.create({ displayName: 'Atomic', templateId: 'default' });
    const big = `// ${'x'.repeat(2_000_000)}\nasync function onTrack() {}\n`;
    await Promise.all([ws.saveCode(fn.id, big), ws.saveEvent(fn.id, 'first', '{"type":"track"}'), ws.updateMeta(fn.id, { description: 'd' })]);
    expect(await fs.readFile(path.join(root, fn.id, 'handler.js'), 'utf8')).toBe(big);
    expect((await allFiles(root)).filter((f) => !f.includes('/tests/') && !f.endsWith('mocks.json'))).toEqual(['atomic/.gitignore', 'atomic/events/first.json', 'atomic/function.json', 'atomic/handler.js']);
    // A concurrent reader only ever sees an old or a new version, never a torn one.
    const versions = new Set([big, 'short']);
    const reads: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      reads.push(fs.readFile(path.join(root, fn.id, 'handler.js'), 'utf8').then((t) => void expect(versions.has(t)).toBe(true)));
      await ws.saveCode(fn.id, i % 2 ? big : 'short');
    }
    await Promise.all(reads);
    expect((await fs.readdir(path.join(root, fn.id))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('shows external edits: get always reads disk', async () => {
    const fn = await ws.create({ displayName: 'Ext', templateId: 'default' });
    await fs.writeFile(path.join(root, fn.id, 'handler.js'), 'async function onTrack() { return 1 }');
    const got = await ws.get(fn.id);
    expect(got.code).toBe('async function onTrack() { return 1 }');
    expect(got.codeVersion).toBe(codeVersionOf(got.code));
    expect(got.codeVersion).not.toBe(fn.codeVersion);
    const meta = JSON.parse(await fs.readFile(path.join(root, fn.id, 'function.json'), 'utf8'));
    meta.displayName = 'Renamed elsewhere';
    await fs.writeFile(path.join(root, fn.id, 'function.json'), JSON.stringify(meta));
    expect((await ws.list())[0].displayName).toBe('Renamed elsewhere');
  });

  it('saveCode with a stale expected version is a Conflict and leaves the file alone', async () => {
    const fn = await ws.create({ displayName: 'C', templateId: 'default' });
    await fs.writeFile(path.join(root, fn.id, 'handler.js'), 'changed by git');
    const err = await errorOf(ws.saveCode(fn.id, 'mine', fn.codeVersion));
    expect(err.name).toBe('Conflict');
    expect(err.message).toContain('changed on disk');
    expect(await fs.readFile(path.join(root, fn.id, 'handler.js'), 'utf8')).toBe('changed by git');
    const ok = await ws.saveCode(fn.id, 'mine', codeVersionOf('changed by git'));
    expect(ok.codeVersion).toBe(codeVersionOf('mine'));
  });

  it('lists a corrupt function.json with an error naming line:col, and never overwrites it', async () => {
    const fn = await ws.create({ displayName: 'Good', templateId: 'default' });
    const bad = await ws.create({ displayName: 'Bad', templateId: 'default' });
    const badText = '{\n  "displayName": "Bad",\n  "description": }\n';
    await fs.writeFile(path.join(root, bad.id, 'function.json'), badText);
    const list = await ws.list();
    const entry = list.find((f) => f.id === 'bad');
    expect(entry?.error).toMatch(/^function\.json: invalid JSON at 3:18: /);
    expect(list.find((f) => f.id === fn.id)?.error).toBeUndefined();

    const getErr = await errorOf(ws.get(bad.id));
    expect(getErr.name).toBe('CorruptFunction');
    expect(getErr.message).toContain('invalid JSON at 3:18');

    const updErr = await errorOf(ws.updateMeta(bad.id, { description: 'x' }));
    expect(updErr.name).toBe('CorruptFunction');
    expect(updErr.message).toContain('refusing to overwrite');
    expect(await fs.readFile(path.join(root, bad.id, 'function.json'), 'utf8')).toBe(badText);
  });

  it('names the invalid field of a well-formed but wrong function.json', async () => {
    const fn = await ws.create({ displayName: 'F', templateId: 'default' });
    const file = path.join(root, fn.id, 'function.json');
    await fs.writeFile(file, JSON.stringify({ displayName: 'F', settings: [{ name: 'api key', label: 'K', description: '', type: 'STRING', required: true, sensitive: false }] }));
    expect((await ws.list())[0].error).toBe('function.json: field "settings" [0] field "name" "api key" is not a valid setting name (a JavaScript identifier such as apiKey)');
    await fs.writeFile(file, JSON.stringify({ description: 'no name' }));
    expect((await ws.list())[0].error).toBe('function.json: field "displayName" is missing');
    await fs.rm(file);
    expect((await ws.list())[0].error).toBe('function.json is missing');
  });

  it('updateMeta keeps unknown fields and bumps updatedAt', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const clocked = new LocalWorkspace({ root, templates: createTemplates(path.join(defaultResourcesDir(), 'templates')), now: () => new Date((t += 1000)) });
    const fn = await clocked.create({ displayName: 'Meta', templateId: 'default' });
    const file = path.join(root, fn.id, 'function.json');
    await fs.writeFile(file, JSON.stringify({ ...JSON.parse(await fs.readFile(file, 'utf8')), logoUrl: 'https://x/y.png' }));
    const setting = { name: 'apiKey', label: 'API Key', description: '', type: 'STRING' as const, required: true, sensitive: true };
    const meta = await clocked.updateMeta(fn.id, { displayName: ' Meta 2 ', settings: [setting] });
    expect(meta.displayName).toBe('Meta 2');
    expect(meta.updatedAt).toBe('2026-01-01T00:00:02.000Z');
    const onDisk = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(onDisk).toMatchObject({ displayName: 'Meta 2', logoUrl: 'https://x/y.png', settings: [setting], createdAt: '2026-01-01T00:00:01.000Z' });
    const err = await errorOf(clocked.updateMeta(fn.id, { settings: [setting, setting] }));
    expect(err.name).toBe('InvalidArgument');
    expect(err.message).toContain('two settings named "apiKey"');
  });

  it('keeps strictNetwork in function.json: checked on read, kept by meta written without it', async () => {
    const fn = await ws.create({ displayName: 'Strict', templateId: 'default' });
    const file = path.join(root, fn.id, 'function.json');
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).not.toHaveProperty('strictNetwork');
    expect((await ws.updateMeta(fn.id, { strictNetwork: true })).strictNetwork).toBe(true);
    expect((await ws.get(fn.id)).meta.strictNetwork).toBe(true);
    // A meta that does not know the field (e.g. built from Segment's fields by sync) keeps the file's value.
    const { strictNetwork, ...withoutStrict } = await ws.readMeta(fn.id);
    expect(strictNetwork).toBe(true);
    const raw = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    expect(JSON.parse(serializeMeta(withoutStrict, raw))).toMatchObject({ strictNetwork: true });
    await fs.writeFile(file, JSON.stringify({ ...raw, strictNetwork: 'yes' }));
    expect((await ws.list())[0].error).toBe('function.json: field "strictNetwork" must be true or false');
  });

  it('concurrent meta updates do not lose each other', async () => {
    const fn = await ws.create({ displayName: 'Race', templateId: 'default' });
    await Promise.all([ws.updateMeta(fn.id, { description: 'described' }), ws.updateMeta(fn.id, { displayName: 'Renamed' })]);
    expect(await ws.readMeta(fn.id)).toMatchObject({ description: 'described', displayName: 'Renamed' });
  });

  it('rejects ids and event names that would leave the workspace', async () => {
    await fs.mkdir(path.join(root, '..', path.basename(root) + '-outside'), { recursive: true });
    for (const id of ['..', '../x', `../${path.basename(root)}-outside`, 'a/b', '/etc', '.git', 'A']) {
      for (const p of [ws.get(id), ws.saveCode(id, 'x'), ws.delete(id), ws.listEvents(id)]) {
        const err = await errorOf(p);
        expect(err.name).toBe('InvalidArgument');
        expect(err.message).toMatch(/^Function id /);
      }
    }
    const fn = await ws.create({ displayName: 'E', templateId: 'default' });
    for (const name of ['../../x', '..', 'a/b', '.hidden']) {
      const err = await errorOf(ws.saveEvent(fn.id, name, '{}'));
      expect(err.name).toBe('InvalidArgument');
      expect(err.message).toMatch(/^Event name /);
    }
    await fs.rm(path.join(root, '..', path.basename(root) + '-outside'), { recursive: true });
    expect(await allFiles(root)).toEqual(['e/.gitignore', 'e/function.json', 'e/handler.js', 'e/mocks.json', 'e/tests/identify-unsupported.test.json', 'e/tests/sends-track.test.json']);
  });

  it('saves, lists and deletes events; rejects invalid JSON with line:col', async () => {
    const fn = await ws.create({ displayName: 'Ev', templateId: 'default' });
    await ws.saveEvent(fn.id, 'order completed', '{"type":"track","event":"Order Completed"}');
    await ws.saveEvent(fn.id, 'batch-1', '[{"type":"track"}]');
    expect(await ws.listEvents(fn.id)).toEqual([
      { name: 'batch-1', json: '[{"type":"track"}]' },
      { name: 'order completed', json: '{"type":"track","event":"Order Completed"}' },
    ]);
    const err = await errorOf(ws.saveEvent(fn.id, 'bad', '{\n "type": "track",\n}'));
    expect(err.name).toBe('InvalidArgument');
    expect(err.message).toMatch(/event "bad": invalid JSON at 3:1/);
    await ws.deleteEvent(fn.id, 'batch-1');
    expect((await ws.listEvents(fn.id)).map((e) => e.name)).toEqual(['order completed']);
    expect((await errorOf(ws.deleteEvent(fn.id, 'batch-1'))).name).toBe('NotFound');
  });

  it('deletes a function folder; unknown ids are NotFound', async () => {
    const fn = await ws.create({ displayName: 'Gone', templateId: 'default' });
    await ws.saveEvent(fn.id, 'e', '{}');
    await ws.delete(fn.id);
    expect(await fs.readdir(root)).toEqual([]);
    const err = await errorOf(ws.get(fn.id));
    expect(err.name).toBe('NotFound');
    expect(err.message).toContain('"gone"');
  });

  it('ignores stray files and folders that are not functions', async () => {
    await fs.mkdir(path.join(root, '.git'));
    await fs.mkdir(path.join(root, 'empty-folder'));
    await fs.writeFile(path.join(root, 'README.md'), '# mine');
    await fs.mkdir(path.join(root, 'hand-made'));
    await fs.writeFile(path.join(root, 'hand-made', 'handler.js'), 'async function onTrack() {}');
    const list = await ws.list();
    expect(list.map((f) => [f.id, f.error])).toEqual([['hand-made', 'function.json is missing']]);
  });

  it('removes only old staging folders left by a crashed create', async () => {
    await fs.mkdir(path.join(root, '.new-0123456789ab', 'events'), { recursive: true });
    await fs.mkdir(path.join(root, '.new-ba9876543210'));
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fs.utimes(path.join(root, '.new-0123456789ab'), old, old);
    expect(await ws.removeStaleStaging()).toEqual(['.new-0123456789ab']);
    expect(await fs.readdir(root)).toEqual(['.new-ba9876543210']);
    expect(await ws.list()).toEqual([]);
  });

  it('an absent workspace root lists as empty', async () => {
    const missing = new LocalWorkspace({ root: path.join(root, 'nope'), templates: createTemplates(path.join(defaultResourcesDir(), 'templates')) });
    expect(await missing.list()).toEqual([]);
  });
});
