/**
 * The sync commands as a user runs them: the built binary against fake-segment, a stored
 * remote in the (private test) keychain, and the CI path with SEGMENT_PUBLIC_API_TOKEN.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSegment, type FakeSegment } from '../core/remote/fake-segment/server';
import { requireSessionBus } from '../core/secrets/private-keyring.testkit';
import { assertBuilt, runCli, Scratch, type CliResult } from './test-support';

const TOKEN = `seg_cli_${randomBytes(12).toString('hex')}`;
const REMOTE = `cli-${randomBytes(3).toString('hex')}`;
let fake: FakeSegment;
let scratch: Scratch;
let env: Record<string, string | undefined>;
const outputs: CliResult[] = [];

async function cli(args: string[], options: { stdin?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const result = await runCli(args, { stdin: options.stdin, env: { ...env, ...options.env } });
  outputs.push(result);
  return result;
}

function allFiles(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    text += statSync(p).isDirectory() ? allFiles(p) : readFileSync(p, 'latin1');
  }
  return text;
}

beforeAll(async () => {
  assertBuilt();
  requireSessionBus();
  fake = await startFakeSegment({ token: TOKEN, readOnlyToken: 'reader-only', workspaceName: 'CLI Space' });
  fake.seed({ displayName: 'Webhook', code: 'async function onTrack(event) {\n  return 1;\n}\n' });
  fake.seed({ displayName: 'Mailer', code: 'async function onIdentify() {}\n' });
  fake.seed({ displayName: 'Ingest', code: '', resourceType: 'SOURCE' });
  scratch = new Scratch();
  env = { FNSTUDIO_CONFIG_DIR: scratch.path('config'), FNSTUDIO_WORKSPACE: scratch.path('ws'), SEGMENT_PUBLIC_API_TOKEN: undefined };
});
afterAll(async () => {
  await runCli(['remote', 'remove', REMOTE], { env });
  await fake.close();
  scratch.remove();
});

describe('fnstudio remote / pull / status / diff / push / versions / restore', () => {
  it('remote add takes the token from stdin, checks it, and never prints or files it', async () => {
    const added = await cli(['remote', 'add', REMOTE, '--api-url', fake.url], { stdin: `${TOKEN}\n` });
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('2 destination functions');
    const list = await cli(['remote', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ ok: true, remotes: [{ name: REMOTE, apiUrl: fake.url }] });
    const refused = await cli(['remote', 'add', 'other', '--api-url', fake.url], { stdin: 'wrong-token' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused the token/);
    const noToken = await cli(['remote', 'add', 'other', '--api-url', fake.url]);
    expect(noToken.code).toBe(2);
  });

  it('pull lists, then pulls all; status shows each state', async () => {
    const listed = await cli(['pull', '--remote', REMOTE]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Ingest\s+\(SOURCE, read-only\)/);
    const pulled = await cli(['pull', '--all', '--json']);
    expect(pulled.code).toBe(0);
    expect(JSON.parse(pulled.stdout).results.map((r: { action: string }) => r.action)).toEqual(['created', 'created']);
    writeFileSync(scratch.path('ws/webhook/handler.js'), 'async function onTrack(event) {\n  return 2;\n}\n');
    const status = await cli(['status', '--json']);
    expect(JSON.parse(status.stdout).functions.map((s: { functionId: string; state: string }) => [s.functionId, s.state])).toEqual([
      ['mailer', 'in-sync'],
      ['webhook', 'local-changes'],
    ]);
    const diff = await cli(['diff', scratch.path('ws/webhook')]);
    expect(diff.stdout).toContain('-  return 1;\n+  return 2;');
  });

  it('push refuses without --yes when stdin is not a terminal, then pushes with --yes --json', async () => {
    const folder = scratch.path('ws/webhook');
    const refused = await cli(['push', folder]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('stdin is not a terminal; pass --yes');
    const pushed = await cli(['push', folder, '--yes', '--json', '--deploy']);
    expect(pushed.code).toBe(0);
    const report = JSON.parse(pushed.stdout);
    expect(report).toMatchObject({ ok: true, status: 'pushed', deploy: { requested: true, call: 'refused', state: { isLatestVersion: true } } });
    expect(fake.get(report.remoteFunctionId)).toMatchObject({ displayName: 'Webhook (CLI Space)' });
  });

  it('a remote change underneath: push exits 3 with nothing written', async () => {
    const meta = JSON.parse(readFileSync(scratch.path('ws/webhook/function.json'), 'utf8'));
    fake.edit(meta.remote.functionId, { code: 'async function onTrack() { return "theirs" }\n' });
    writeFileSync(scratch.path('ws/webhook/handler.js'), 'async function onTrack() { return "mine" }\n');
    const pushed = await cli(['push', scratch.path('ws/webhook'), '--yes', '--json']);
    expect(pushed.code).toBe(3);
    expect(JSON.parse(pushed.stdout)).toMatchObject({ status: 'conflict', conflict: { remote: { code: 'async function onTrack() { return "theirs" }\n' } } });
    expect(fake.get(meta.remote.functionId)!.code).toContain('theirs');
    const pull = await cli(['pull', 'Webhook']);
    expect(pull.code).toBe(3);
    expect(readFileSync(scratch.path('ws/webhook/handler.js'), 'utf8')).toContain('mine');
  });

  it('versions and restore', async () => {
    const folder = scratch.path('ws/mailer');
    const meta = JSON.parse(readFileSync(path.join(folder, 'function.json'), 'utf8'));
    fake.edit(meta.remote.functionId, { code: 'async function onIdentify() { return "v2" }\n' });
    const versions = await cli(['versions', folder, '--json']);
    const list = JSON.parse(versions.stdout);
    expect(list).toMatchObject({ ok: true, available: true });
    expect(list.versions).toHaveLength(2);
    const noYes = await cli(['restore', folder, list.versions[1].id]);
    expect(noYes.code).toBe(2);
    const restored = await cli(['restore', folder, list.versions[1].id, '--yes']);
    expect(restored.code).toBe(0);
    expect(fake.get(meta.remote.functionId)!.code).toBe('async function onIdentify() {}\n');
    fake.switches.versions = false;
    const off = await cli(['versions', folder]);
    fake.switches.versions = true;
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/versions are not available for this workspace/);
  });

  it('CI: SEGMENT_PUBLIC_API_TOKEN with --api-url replaces the stored remote; a read-only token exits 1 naming the role', async () => {
    const folder = scratch.path('ws/mailer');
    writeFileSync(path.join(folder, 'handler.js'), 'async function onIdentify() { return "ci" }\n');
    const viaEnv = await cli(['push', folder, '--yes', '--api-url', fake.url], { env: { SEGMENT_PUBLIC_API_TOKEN: TOKEN, FNSTUDIO_CONFIG_DIR: scratch.path('empty-config') } });
    expect(viaEnv.stderr).toBe('');
    expect(viaEnv.code).toBe(0);
    writeFileSync(path.join(folder, 'handler.js'), 'async function onIdentify() { return "ci2" }\n');
    const reader = await cli(['push', folder, '--yes', '--api-url', fake.url], { env: { SEGMENT_PUBLIC_API_TOKEN: 'reader-only' } });
    expect(reader.code).toBe(1);
    expect(reader.stderr).toContain('needs Functions Admin');
    const badUrl = await cli(['push', folder, '--yes', '--api-url', 'http://10.1.2.3'], { env: { SEGMENT_PUBLIC_API_TOKEN: TOKEN } });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('plain http');
  });

  it('bad usage: exit 2 with the problem, as one JSON object with --json', async () => {
    const missing = await cli(['push', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { kind: 'usage', message: expect.stringContaining('missing the function folder') } });
    const typo = await cli(['status', '--jsn']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown option '--jsn' (did you mean '--json'?)");
    const unlinked = await cli(['diff', scratch.path('nowhere')]);
    expect(unlinked.code).toBe(2);
    expect(unlinked.stderr).toContain('no such folder');
    const help = await cli(['push', '--help']);
    expect(help.stdout).toContain('Usage: fnstudio push <function-folder> [--deploy] [--yes] [--json]');
  });

  it('the token appears in no output and no file under the workspace or the config folder', () => {
    for (const o of outputs) {
      expect(o.stdout).not.toContain(TOKEN);
      expect(o.stderr).not.toContain(TOKEN);
    }
    expect(allFiles(scratch.dir)).not.toContain(TOKEN);
  });
});
