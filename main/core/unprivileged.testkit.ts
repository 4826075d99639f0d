/**
 * Test support: permission checks mean nothing to root, which passes them all. When the
 * suite runs as root (CI does), a test asks the question as an unprivileged user instead:
 * `nobody` runs a snippet against the compiled modules (out/, built by npm test first) in
 * a scratch folder under /tmp that it can reach. Only tests import this file.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const NOBODY = 65534;

export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** out/<relative> of this repository, for `require` in a snippet. */
export function compiledModule(relative: string): string {
  return path.resolve(__dirname, '..', '..', 'out', relative);
}

/** A folder under /tmp that `nobody` can enter; removed after `use`. */
export async function withScratchForNobody<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join('/tmp', 'fnstudio-nobody-'));
  try {
    await fs.chmod(dir, 0o755);
    return await use(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Runs `script` (CommonJS) as nobody with an empty environment; resolves with its trimmed stdout. */
export function runAsNobody(script: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { uid: NOBODY, gid: NOBODY, env: {} }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim()),
    );
  });
}
