/**
 * Sync of a handler.ts folder against fake-segment: Segment gets the compiled JavaScript;
 * type and syntax errors refuse the push; status and diff compare compiled code; a remote
 * change never touches handler.ts (pull writes handler.remote.js).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../../runtime';
import type { Runtime } from '../../../runtime/api';
import { startFakeSegment, type FakeSegment } from '../remote/fake-segment/server';
import { FunctionsClient } from '../remote/functions-client';
import { runtimeCompileCheck } from './compile-check';
import { codeHash } from './local-function';
import { SyncEngine } from './sync-engine';
import { COMPILED_BANNER } from './typescript-source';

const TOKEN = 'ts-sync-token-abcdef';
const SETTINGS = [{ name: 'endpoint', label: 'Endpoint', description: '', type: 'STRING' as const, required: true, sensitive: false }];
const SOURCE = [
  '// Posts tracks to the endpoint.',
  'interface Payload {',
  '  name: string;',
  '}',
  '',
  'async function onTrack(event: SegmentTrackEvent, settings: FunctionSettings): Promise<number> {',
  '  const body: Payload = { name: event.event };',
  '  const res = await fetch(settings.endpoint, { method: "POST", body: JSON.stringify(body) });',
  '  return res.status;',
  '}',
  '',
].join('\n');

let fake: FakeSegment;
let runtime: Runtime;
let root: string;
let dir: string;

beforeAll(async () => {
  runtime = createRuntime({ workers: 1 });
  fake = await startFakeSegment({ token: TOKEN, workspaceName: 'Acme' });
});
afterAll(async () => {
  await fake.close();
  await runtime.close();
});
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'fnstudio-ts-sync-'));
  dir = path.join(root, 'poster');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'function.json'), JSON.stringify({ displayName: 'Poster', description: '', resourceType: 'DESTINATION', settings: SETTINGS }));
  writeFileSync(path.join(dir, 'handler.ts'), SOURCE);
  fake.reset();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function engine(): SyncEngine {
  return new SyncEngine({
    connect: async () => new FunctionsClient({ apiUrl: fake.url, token: TOKEN, backoffBaseMs: 5, maxAttempts: 2, timeoutMs: 5000 }),
    compileCheck: runtimeCompileCheck(runtime),
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads function.json's fields freely; each is asserted
const meta = (): Record<string, any> => JSON.parse(readFileSync(path.join(dir, 'function.json'), 'utf8'));
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const writes = (): number => fake.requests.filter((r) => r.method !== 'GET').length;

async function pushed(): Promise<string> {
  const result = await engine().push(dir, { remoteName: 'prod' });
  if (result.status !== 'pushed') throw new Error(`push ended ${result.status}: ${JSON.stringify(result)}`);
  return result.remoteFunctionId;
}

describe('sync of a handler.ts function', () => {
  it('pushes the compiled JavaScript (readable, no types, no source map) and records its hash and the source hash', async () => {
    const preview = await engine().previewPush(dir, 'prod');
    expect(preview).toMatchObject({ compiledFrom: 'handler.ts', problems: [], conflict: null });
    expect(preview.codeDiff).toContain('+++ poster/handler.ts (compiled)');
    const id = await pushed();
    const code = fake.get(id)!.code!;
    expect(code.startsWith(COMPILED_BANNER)).toBe(true);
    expect(code).toContain('async function onTrack(event, settings) {');
    expect(code).toContain('const body = { name: event.event };');
    expect(code).not.toMatch(/interface Payload|: Payload|Promise<number>|sourceMappingURL|sourcesContent/);
    const remote = meta().remote;
    expect(remote.codeHash).toBe(codeHash(code));
    expect(remote.compiledFrom).toEqual({ file: 'handler.ts', sourceHash: codeHash(SOURCE) });
    expect(readFileSync(path.join(dir, 'handler.ts'), 'utf8')).toBe(SOURCE);
    expect(existsSync(path.join(dir, 'handler.js'))).toBe(false);
    expect(await engine().status(dir)).toMatchObject({ state: 'in-sync', compiledFrom: 'handler.ts' });
    expect((await engine().diff(dir)).codeDiff).toBe('');
    // The compiled code runs in the sandbox as Segment would run it.
    const outcome = await runtime.invoke({
      functionId: 'deployed',
      code,
      filename: 'handler.js',
      input: { type: 'track', event: 'Signed Up' },
      settings: { endpoint: 'https://hooks.example.com/in' },
      network: { mockRules: [{ method: 'POST', url: 'https://hooks.example.com/*', status: 201 }], offline: true },
    });
    expect(outcome).toMatchObject({ outcome: 'Success', result: 201 });
  });

  it('refuses a type error and a syntax error with file:line:col, sending nothing', async () => {
    writeFileSync(path.join(dir, 'handler.ts'), SOURCE.replace('const body: Payload = { name: event.event };', 'const body: Payload = { name: settings.apiToken };'));
    const before = writes();
    const typed = await engine().push(dir, { remoteName: 'prod' });
    expect(typed.status).toBe('invalid');
    if (typed.status === 'invalid') {
      expect(typed.problems).toHaveLength(1);
      expect(typed.problems[0]).toMatch(new RegExp(`^${escape(path.join(dir, 'handler.ts'))}:7:42 error TS2339: 'apiToken' is not a declared setting of this function`));
    }
    writeFileSync(path.join(dir, 'handler.ts'), 'async function onTrack(event: SegmentTrackEvent {\n  return 1;\n}\n');
    const syntax = await engine().push(dir, { remoteName: 'prod' });
    expect(syntax.status).toBe('invalid');
    if (syntax.status === 'invalid') expect(syntax.problems[0]).toMatch(new RegExp(`^handler\\.ts does not compile: ${escape(path.join(dir, 'handler.ts'))}:1:49 ',' expected\\.$`));
    expect(writes()).toBe(before);
  });

  it('an edit is a local change diffed as compiled JavaScript; pushing it brings the remote in sync', async () => {
    const id = await pushed();
    writeFileSync(path.join(dir, 'handler.ts'), SOURCE.replace('return res.status;', 'return res.status + 0;'));
    expect((await engine().status(dir)).state).toBe('local-changes');
    const diff = await engine().diff(dir);
    expect(diff.codeDiff).toContain('-    return res.status;\n+    return res.status + 0;');
    await pushed();
    expect(fake.get(id)!.code).toContain('return res.status + 0;');
    expect((await engine().status(dir)).state).toBe('in-sync');
  });

  it('a remote edit: pull never touches handler.ts, writes handler.remote.js and reports a conflict; push --overwrite-remote then replaces it', async () => {
    const id = await pushed();
    const theirs = `${fake.get(id)!.code!}// edited in Segment's editor\n`;
    fake.edit(id, { code: theirs });
    expect((await engine().status(dir)).state).toBe('remote-changes');
    const [pull] = await engine().pull(root, 'prod', [id]);
    expect(pull).toMatchObject({ action: 'conflict', functionId: 'poster' });
    expect(pull.message).toContain('never replaces handler.ts with JavaScript');
    expect(pull.message).toContain(path.join('poster', 'handler.remote.js'));
    expect(pull.conflict?.remote.code).toBe(theirs);
    expect(readFileSync(path.join(dir, 'handler.ts'), 'utf8')).toBe(SOURCE);
    expect(readFileSync(path.join(dir, 'handler.remote.js'), 'utf8')).toBe(theirs);
    expect(existsSync(path.join(dir, 'handler.js'))).toBe(false);
    // Taking theirs would put JavaScript over TypeScript: refused.
    await expect(engine().resolve(dir, { take: 'theirs' })).rejects.toThrow(/never replaces it with the remote's JavaScript/);
    // A plain push is a conflict; nothing is written remotely.
    const before = writes();
    expect((await engine().push(dir)).status).toBe('conflict');
    expect(writes()).toBe(before);
    const forced = await engine().push(dir, { overwriteRemote: true });
    expect(forced.status).toBe('pushed');
    if (forced.status === 'pushed') expect(readFileSync(path.join(forced.backup!, 'handler.js'), 'utf8')).toBe(theirs);
    expect(fake.get(id)!.code).not.toContain('edited in Segment');
    expect(existsSync(path.join(dir, 'handler.remote.js'))).toBe(false);
    expect((await engine().status(dir)).state).toBe('in-sync');
  });

  it('a remote settings change is pulled into function.json; handler.ts stays', async () => {
    const id = await pushed();
    const more = [...SETTINGS, { name: 'retries', label: 'Retries', description: '', type: 'STRING' as const, required: false, sensitive: false }];
    fake.edit(id, { settings: more });
    const [pull] = await engine().pull(root, 'prod', [id]);
    expect(pull).toMatchObject({ action: 'updated' });
    expect(pull.message).toContain('handler.ts is unchanged');
    expect(meta().settings.map((s: { name: string }) => s.name)).toEqual(['endpoint', 'retries']);
    expect(readFileSync(path.join(dir, 'handler.ts'), 'utf8')).toBe(SOURCE);
    expect(existsSync(path.join(dir, 'handler.remote.js'))).toBe(false);
    expect((await engine().status(dir)).state).toBe('in-sync');
  });

  it('a folder with both handler.js and handler.ts is refused', async () => {
    writeFileSync(path.join(dir, 'handler.js'), 'async function onTrack() {}\n');
    await expect(engine().previewPush(dir, 'prod')).rejects.toThrow(/has both handler\.js and handler\.ts/);
  });
});
