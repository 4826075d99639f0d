/**
 * Where the local workspace lives. Precedence: the CLI flag `--workspace`, then the
 * FNSTUDIO_WORKSPACE environment variable, then the `workspacePath` preference, then
 * `<home>/fnstudio-functions`.
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FnStudioError } from '../contract/errors';
import type { WorkspaceSource } from '../contract/function';

const DEFAULT_WORKSPACE_DIRNAME = 'fnstudio-functions';
export const WORKSPACE_ENV = 'FNSTUDIO_WORKSPACE';

export interface WorkspaceLocationInput {
  flag?: string | null;
  env?: NodeJS.ProcessEnv;
  preference?: string | null;
  home?: string;
  cwd?: string;
}

export interface WorkspaceLocation {
  root: string;
  source: Exclude<WorkspaceSource, 'host'>;
}

export function resolveWorkspaceRoot(input: WorkspaceLocationInput = {}): string {
  return resolveWorkspaceLocation(input).root;
}

/** The folder and which of the four sources chose it. */
export function resolveWorkspaceLocation(input: WorkspaceLocationInput = {}): WorkspaceLocation {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const candidates: Array<[WorkspaceLocation['source'], string | null | undefined]> = [
    ['flag', input.flag],
    ['env', env[WORKSPACE_ENV]],
    ['preference', input.preference],
  ];
  for (const [source, value] of candidates) {
    if (typeof value === 'string' && value.trim() !== '') return { root: path.resolve(cwd, expandHome(value.trim(), input.home)), source };
  }
  return { root: path.join(input.home ?? os.homedir(), DEFAULT_WORKSPACE_DIRNAME), source: 'default' };
}

/** For logs: why this folder. */
export function describeWorkspaceSource(source: WorkspaceSource): string {
  switch (source) {
    case 'flag':
      return 'from --workspace';
    case 'env':
      return `from ${WORKSPACE_ENV}`;
    case 'preference':
      return 'from the workspacePath preference';
    case 'default':
      return 'the default folder';
    case 'host':
      return 'fixed by the host';
  }
}

/** True when the flag or the environment variable decides, so the preference cannot. */
export function isOverridden(source: WorkspaceSource): boolean {
  return source === 'flag' || source === 'env';
}

/**
 * Checks that `root` can be the workspace: an existing folder we may read and write, or
 * (with `create`) a missing one we can create; creating it is the only change made.
 * Rejects InvalidArgument naming the folder and the problem. Without `create`, a missing
 * folder is accepted as it is (it will be created when it is first used).
 */
export async function prepareWorkspaceFolder(root: string, options: { create: boolean }): Promise<void> {
  const fail = (problem: string): never => {
    throw new FnStudioError('InvalidArgument', `Cannot use ${root} as the workspace folder: ${problem}`);
  };
  let stat;
  try {
    stat = await fs.stat(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return fail('part of that path is a file, not a folder');
    if (code === 'EACCES' || code === 'EPERM') return fail('no permission to reach it');
    if (code !== 'ENOENT') return fail((err as Error).message);
    if (!options.create) return;
    try {
      await fs.mkdir(root, { recursive: true });
    } catch (mkdirErr) {
      const mkdirCode = (mkdirErr as NodeJS.ErrnoException).code;
      if (mkdirCode === 'EACCES' || mkdirCode === 'EPERM' || mkdirCode === 'EROFS') return fail('it does not exist and there is no permission to create it');
      if (mkdirCode === 'ENOTDIR' || mkdirCode === 'EEXIST') return fail('part of that path is a file, not a folder');
      return fail(`it does not exist and cannot be created (${(mkdirErr as Error).message})`);
    }
    return;
  }
  if (!stat.isDirectory()) return fail('it is a file, not a folder');
  try {
    await fs.access(root, fsConstants.R_OK | fsConstants.W_OK | fsConstants.X_OK);
  } catch {
    fail('no permission to read and write in it');
  }
}

/**
 * Why a saved workspacePath cannot be used as given, or null. A relative path would mean
 * a different folder for each host (the desktop app's working directory is arbitrary),
 * so the preference takes an absolute path or one under `~/`; empty means the default.
 */
export function workspacePathProblem(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === '~' || trimmed.startsWith('~/') || path.isAbsolute(trimmed)) return null;
  return `The workspace folder must be an absolute path or start with ~/ (got "${trimmed}")`;
}

function expandHome(p: string, home: string | undefined): string {
  if (p === '~') return home ?? os.homedir();
  if (p.startsWith('~/')) return path.join(home ?? os.homedir(), p.slice(2));
  return p;
}
