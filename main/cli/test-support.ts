/**
 * Test helpers: run the real built binary (bin/fnstudio.js) as a child process, and
 * write scratch files. Used only by main/cli/*.test.ts.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'fnstudio.js');

export function assertBuilt(): void {
  if (!existsSync(path.join(REPO_ROOT, 'out', 'main', 'cli', 'main.js'))) {
    throw new Error('out/ is missing: run `npm run build:node` before these tests (npm test does)');
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  stdin?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Runs `node bin/fnstudio.js ...args` asynchronously (a synchronous spawn would block the
 * test's own HTTP server). Colour variables are cleared unless given.
 */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(options.stdin ?? '');
  return collectOutput(child);
}

/** Resolves with a child's exit code and everything it printed. */
export function collectOutput(child: ChildProcessWithoutNullStreams): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** function.json of the test "Collector" function: a plain endpoint and an encrypted API key. */
export const COLLECTOR_META = {
  displayName: 'Collector',
  description: '',
  resourceType: 'DESTINATION',
  settings: [
    { name: 'endpoint', label: 'Endpoint', description: '', type: 'STRING', required: true, sensitive: false },
    { name: 'apiKey', label: 'API Key', description: '', type: 'STRING', required: true, sensitive: true },
  ],
};

export class Scratch {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-cli-'));

  /** Writes `content` (strings as is, anything else as JSON) and returns the path. */
  write(relative: string, content: unknown): string {
    const file = path.join(this.dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  }

  path(relative: string): string {
    return path.join(this.dir, relative);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
