/**
 * push and restore without --yes on a real terminal: the built binary runs under a
 * pseudo-terminal (util-linux `script`, so stdin.isTTY is true as for a person at a shell),
 * asks, and writes to the (fake) Segment workspace only after "y". The token comes from
 * SEGMENT_PUBLIC_API_TOKEN with --api-url, so no keychain is involved.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSegment, type FakeSegment } from '../core/remote/fake-segment/server';
import { assertBuilt, BIN, runCli, Scratch } from './test-support';

const TOKEN = `seg_tty_${randomBytes(12).toString('hex')}`;
const ORIGINAL = 'async function onTrack(event) {\n  return "original";\n}\n';
const MINE = 'async function onTrack(event) {\n  return "mine";\n}\n';
let fake: FakeSegment;
let scratch: Scratch;
let env: Record<string, string>;
let remoteId: string;

/** Quotes one word for /bin/sh, which `script` runs the command with. */
function shellWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs fnstudio on a pseudo-terminal and types `answer` + Enter once the [y/N] prompt shows.
 * `output` is what the terminal showed (stdout and stderr together, as on a screen).
 */
function inTerminal(args: readonly string[], answer: string): Promise<{ code: number | null; output: string; asked: boolean }> {
  const command = [process.execPath, BIN, ...args].map(shellWord).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    env: { ...process.env, ...env, SHELL: '/bin/sh', FORCE_COLOR: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let asked = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (!asked && output.includes('[y/N]')) {
      asked = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, asked }));
  });
}

beforeAll(async () => {
  assertBuilt();
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new Error(`this test needs util-linux's 'script' command (Debian: bsdutils) to give the CLI a terminal: ${probe.error.message}`);
  fake = await startFakeSegment({ token: TOKEN, workspaceName: 'TTY Space' });
  const seeded = fake.seed({ displayName: 'Typed', code: ORIGINAL }).id;
  if (!seeded) throw new Error('fake-segment returned a function without an id');
  remoteId = seeded;
  scratch = new Scratch();
  env = { FNSTUDIO_CONFIG_DIR: scratch.path('config'), FNSTUDIO_WORKSPACE: scratch.path('ws'), SEGMENT_PUBLIC_API_TOKEN: TOKEN };
  const pulled = await runCli(['pull', '--all', '--api-url', fake.url], { env });
  expect(pulled.stderr).toBe('');
  expect(pulled.code).toBe(0);
});
afterAll(async () => {
  await fake?.close();
  scratch?.remove();
});

describe('push and restore without --yes on a terminal', () => {
  it('push asks; "n" writes nothing (exit 2), "y" pushes (exit 0)', async () => {
    const folder = scratch.path('ws/typed');
    writeFileSync(path.join(folder, 'handler.js'), MINE);

    const declined = await inTerminal(['push', folder, '--api-url', fake.url], 'n');
    expect(declined.asked).toBe(true);
    expect(declined.output).toContain(`Save in remote`);
    expect(declined.output).toContain('Nothing was pushed.');
    expect(declined.code).toBe(2);
    expect(fake.get(remoteId)?.code).toBe(ORIGINAL);

    const accepted = await inTerminal(['push', folder, '--api-url', fake.url], 'y');
    expect(accepted.asked).toBe(true);
    expect(accepted.output).not.toContain('Nothing was pushed.');
    expect(accepted.code).toBe(0);
    expect(fake.get(remoteId)?.code).toBe(MINE);
    expect(JSON.parse(readFileSync(path.join(folder, 'function.json'), 'utf8'))).toMatchObject({ remote: { functionId: remoteId } });
  });

  it('restore asks; "n" restores nothing (exit 2), "y" restores the version (exit 0)', async () => {
    const folder = scratch.path('ws/typed');
    const versions = await runCli(['versions', folder, '--json', '--api-url', fake.url], { env });
    expect(versions.code).toBe(0);
    const list = JSON.parse(versions.stdout) as { versions: Array<{ id: string }> };
    // Newest first: [0] is the push above, [1] the original.
    expect(list.versions).toHaveLength(2);
    const original = list.versions[1].id;

    const declined = await inTerminal(['restore', folder, original, '--api-url', fake.url], 'no');
    expect(declined.asked).toBe(true);
    expect(declined.output).toContain(`Restore version ${original}`);
    expect(declined.output).toContain('Nothing was restored.');
    expect(declined.code).toBe(2);
    expect(fake.get(remoteId)?.code).toBe(MINE);

    const accepted = await inTerminal(['restore', folder, original, '--api-url', fake.url], 'yes');
    expect(accepted.asked).toBe(true);
    expect(accepted.code).toBe(0);
    expect(fake.get(remoteId)?.code).toBe(ORIGINAL);
  });

  it('the token appears nowhere on the terminal', async () => {
    const shown = await inTerminal(['push', scratch.path('ws/typed'), '--api-url', fake.url], 'n');
    expect(shown.output).not.toContain(TOKEN);
  });
});
