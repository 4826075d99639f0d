/**
 * push / status / diff / pull of a handler.ts folder through the built binary against
 * fake-segment (the CI path: SEGMENT_PUBLIC_API_TOKEN with --api-url): the compiled
 * JavaScript is what Segment gets; a type error refuses the push; a remote edit never
 * reaches handler.ts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSegment, type FakeSegment } from '../core/remote/fake-segment/server';
import { assertBuilt, runCli, Scratch, type CliResult } from './test-support';

const TOKEN = `seg_ts_${randomBytes(12).toString('hex')}`;
const SOURCE = [
  'async function onTrack(event: SegmentTrackEvent, settings: FunctionSettings): Promise<string> {',
  '  const label: string = `${settings.prefix}:${event.event}`;',
  '  return label;',
  '}',
  '',
].join('\n');
const META = {
  displayName: 'Labeler',
  description: 'labels tracks',
  resourceType: 'DESTINATION',
  settings: [{ name: 'prefix', label: 'Prefix', description: '', type: 'STRING', required: true, sensitive: false }],
};

let fake: FakeSegment;
let scratch: Scratch;
let folder: string;

function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, '--api-url', fake.url], {
    env: { SEGMENT_PUBLIC_API_TOKEN: TOKEN, FNSTUDIO_CONFIG_DIR: scratch.path('config'), FNSTUDIO_WORKSPACE: scratch.path('ws') },
  });
}

const source = (): string => readFileSync(path.join(folder, 'handler.ts'), 'utf8');
const remoteId = (): string => (JSON.parse(readFileSync(path.join(folder, 'function.json'), 'utf8')) as { remote: { functionId: string } }).remote.functionId;

beforeAll(async () => {
  assertBuilt();
  fake = await startFakeSegment({ token: TOKEN, workspaceName: 'TS Space' });
  scratch = new Scratch();
  scratch.write('ws/labeler/function.json', META);
  folder = scratch.write('ws/labeler/handler.ts', SOURCE).replace(/\/handler\.ts$/, '');
});
afterAll(async () => {
  await fake.close();
  scratch.remove();
});

// Each step spawns the CLI several times (a push type-checks and starts a runtime): generous on a loaded machine.
describe('fnstudio push / status / diff / pull with handler.ts', { timeout: 120_000 }, () => {
  it('a type error refuses the push with file:line:col (exit 2), nothing is sent', async () => {
    writeFileSync(path.join(folder, 'handler.ts'), SOURCE.replace('settings.prefix', 'settings.prefx'));
    const refused = await cli(['push', folder, '--remote', 'segment', '--yes']);
    writeFileSync(path.join(folder, 'handler.ts'), SOURCE);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`fnstudio push: ${path.join(folder, 'handler.ts')}:2:37 error TS2551: 'prefx' is not a declared setting of this function (declared: prefix)`);
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('push sends the compiled JavaScript and says so; status is then in sync', async () => {
    const pushed = await cli(['push', folder, '--remote', 'segment', '--yes']);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain('Segment runs JavaScript: what is sent is handler.ts compiled.');
    expect(pushed.stdout).toContain('+++ labeler/handler.ts (compiled)');
    const code = fake.get(remoteId())!.code!;
    expect(code).toMatch(/^\/\/ Compiled by fnstudio from handler\.ts \(TypeScript\)/);
    expect(code).toContain('async function onTrack(event, settings) {\n    const label = `${settings.prefix}:${event.event}`;');
    expect(code).not.toMatch(/: string|Promise<|sourceMappingURL/);
    const status = await cli(['status', '--json']);
    expect(JSON.parse(status.stdout).functions).toEqual([expect.objectContaining({ functionId: 'labeler', state: 'in-sync', compiledFrom: 'handler.ts' })]);
    const diff = await cli(['diff', folder]);
    expect(diff.stdout).toBe('No differences.\n');
  });

  it('a local edit shows as a compiled diff', async () => {
    writeFileSync(path.join(folder, 'handler.ts'), SOURCE.replace('return label;', 'return label.toUpperCase();'));
    const status = await cli(['status']);
    expect(status.stdout).toMatch(/local changes\s+labeler\//);
    const diff = await cli(['diff', folder]);
    expect(diff.stdout).toContain('-    return label;\n+    return label.toUpperCase();');
  });

  it('a remote edit: status says so, pull keeps handler.ts and writes handler.remote.js (exit 3), push needs --overwrite-remote', async () => {
    const id = remoteId();
    const mine = source();
    const theirs = fake.get(id)!.code!.replace('return label;', 'return label + "!";');
    fake.edit(id, { code: theirs });
    const status = await cli(['status', '--json']);
    expect(JSON.parse(status.stdout).functions[0]).toMatchObject({ state: 'conflict' });
    const pull = await cli(['pull', 'Labeler', '--remote', 'segment']);
    expect(pull.code).toBe(3);
    expect(pull.stdout).toContain('never replaces handler.ts with JavaScript');
    expect(pull.stdout).toContain(path.join('labeler', 'handler.remote.js'));
    expect(source()).toBe(mine);
    expect(readFileSync(path.join(folder, 'handler.remote.js'), 'utf8')).toBe(theirs);
    const conflict = await cli(['push', folder, '--yes']);
    expect(conflict.code).toBe(3);
    expect(conflict.stderr).toContain('--overwrite-remote');
    expect(fake.get(id)!.code).toBe(theirs);
    const forced = await cli(['push', folder, '--yes', '--overwrite-remote', '--json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ ok: true, status: 'pushed' });
    expect(fake.get(id)!.code).toContain('return label.toUpperCase();');
    expect(existsSync(path.join(folder, 'handler.remote.js'))).toBe(false);
    expect(existsSync(path.join(folder, 'handler.js'))).toBe(false);
    expect(JSON.parse((await cli(['status', '--json'])).stdout).functions[0]).toMatchObject({ state: 'in-sync' });
  });

  it('--help of push and pull says what a TypeScript folder does', async () => {
    const push = await runCli(['push', '--help']);
    expect(push.stdout).toContain('Segment runs JavaScript, so for a folder with handler.ts what is pushed');
    expect(push.stdout).toContain('--overwrite-remote');
    const pull = await runCli(['pull', '--help']);
    expect(pull.stdout).toContain('pull writes it to handler.remote.js');
  });
});
