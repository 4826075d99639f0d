/**
 * Where the local workspace lives. Precedence: the CLI flag `--workspace`, then the
 * FNSTUDIO_WORKSPACE environment variable, then the `workspacePath` preference, then
 * `<home>/fnstudio-functions`.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_WORKSPACE_DIRNAME = 'fnstudio-functions';
export const WORKSPACE_ENV = 'FNSTUDIO_WORKSPACE';

export interface WorkspaceLocationInput {
  flag?: string | null;
  env?: NodeJS.ProcessEnv;
  preference?: string | null;
  home?: string;
  cwd?: string;
}

export function resolveWorkspaceRoot(input: WorkspaceLocationInput = {}): string {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const chosen = [input.flag, env[WORKSPACE_ENV], input.preference].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (chosen !== undefined) return path.resolve(cwd, expandHome(chosen.trim(), input.home));
  return path.join(input.home ?? os.homedir(), DEFAULT_WORKSPACE_DIRNAME);
}

function expandHome(p: string, home: string | undefined): string {
  if (p === '~') return home ?? os.homedir();
  if (p.startsWith('~/')) return path.join(home ?? os.homedir(), p.slice(2));
  return p;
}
