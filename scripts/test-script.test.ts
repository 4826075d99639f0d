/**
 * scripts/test.sh's private keyring, run for real (dbus-run-session, gnome-keyring-daemon)
 * with stand-ins for npm and npx: it fails when it cannot start the keyring, and the daemon
 * it started runs during the suite and is gone afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.resolve(__dirname, 'test.sh');
const TOOLS = ['bash', 'dbus-run-session', 'dbus-daemon', 'dbus-send', 'mktemp', 'mkdir', 'chmod', 'cat', 'seq', 'sleep', 'grep', 'dirname'];

let bin: string;
beforeEach(() => {
  bin = mkdtempSync(path.join(tmpdir(), 'fnstudio-test-sh-'));
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

function which(tool: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, tool);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  throw new Error(`${tool} is not installed (see README, Prerequisites)`);
}

/** A PATH of exactly these tools, plus npm/npx stand-ins that report the keyring they see. */
function fakePath(tools: string[], keyringDaemon: string | null): string {
  for (const tool of tools) symlinkSync(which(tool), path.join(bin, tool));
  if (keyringDaemon !== null) {
    writeFileSync(path.join(bin, 'gnome-keyring-daemon'), keyringDaemon, { mode: 0o755 });
  }
  const standIn = '#!/bin/bash\n' + 'if [[ -n "$FNSTUDIO_KEYRING_PID" ]] && kill -0 "$FNSTUDIO_KEYRING_PID" 2>/dev/null; then echo "keyring $FNSTUDIO_KEYRING_PID alive for: $*"; else echo "no keyring for: $*"; fi\n';
  writeFileSync(path.join(bin, 'npm'), standIn, { mode: 0o755 });
  writeFileSync(path.join(bin, 'npx'), standIn, { mode: 0o755 });
  return bin;
}

function runTestSh(pathValue: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: pathValue, HOME: bin };
    const child = spawn(path.join(bin, 'bash'), [SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('scripts/test.sh', () => {
  it('fails, naming the tool, when gnome-keyring-daemon is missing', async () => {
    const result = await runTestSh(fakePath(TOOLS, null));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('fnstudio test: gnome-keyring-daemon is missing');
    expect(result.stdout).not.toContain('for: run build');
  });

  it('fails when the keyring daemon does not start, with what it said', async () => {
    const result = await runTestSh(fakePath(TOOLS, '#!/bin/bash\necho "cannot open the control socket" >&2\nexit 1\n'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('fnstudio test: gnome-keyring-daemon exited at start: cannot open the control socket');
    expect(result.stdout).not.toContain('for: run build');
  });

  it('runs the suite with its own keyring running and stops that daemon afterwards', async () => {
    symlinkSync(which('gnome-keyring-daemon'), path.join(bin, 'gnome-keyring-daemon'));
    const result = await runTestSh(fakePath(TOOLS, null));
    expect(result.stderr).not.toContain('fnstudio test:');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((l) => l.replace(/keyring \d+ alive/, 'keyring alive'))).toEqual([
      'keyring alive for: run build',
      'keyring alive for: run typecheck',
      'keyring alive for: run lint',
      'keyring alive for: vitest run',
      'keyring alive for: run test:e2e',
    ]);
    const pid = Number(/keyring (\d+) alive/.exec(lines[0])?.[1]);
    // The daemon it started is gone once the script has ended.
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });
});
