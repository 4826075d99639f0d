/**
 * Opens a URL in the system browser when the platform has an opener; never fails the
 * caller (a headless machine simply has none).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

export function browserOpener(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): { command: string; args: (url: string) => string[] } | null {
  if (platform === 'darwin') return findOnPath('open', env) ? { command: 'open', args: (u) => [u] } : null;
  if (platform === 'win32') return { command: 'cmd', args: (u) => ['/c', 'start', '""', u.replace(/&/g, '^&')] };
  const xdg = findOnPath('xdg-open', env);
  return xdg ? { command: xdg, args: (u) => [u] } : null;
}

/** Returns whether an opener was started. */
export function openInBrowser(url: string): boolean {
  const opener = browserOpener();
  if (!opener) return false;
  try {
    const child = spawn(opener.command, opener.args(url), {
      detached: true,
      stdio: 'ignore',
      // cmd's `start` needs its empty title argument unquoted by Node.
      windowsVerbatimArguments: process.platform === 'win32',
    });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

function findOnPath(command: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
