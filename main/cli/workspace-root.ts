/**
 * The workspace folder a CLI command works in, by the same precedence as the studio:
 * `--workspace DIR`, FNSTUDIO_WORKSPACE, the workspacePath preference, ~/fnstudio-functions.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { handlerFileIn, type HandlerFileName } from '../core/handler-file';
import { ConfPreferencesStore, defaultPreferencesDir } from '../core/preferences/conf-store';
import { describeWorkspaceSource, resolveWorkspaceLocation } from '../core/workspace-location';
import { InputError } from './cli-error';

export interface CliWorkspace {
  root: string;
  /** e.g. "from --workspace", for messages. */
  why: string;
}

export async function cliWorkspace(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<CliWorkspace> {
  let preference: string | null = null;
  if (!flag && !env.FNSTUDIO_WORKSPACE) {
    try {
      preference = (await new ConfPreferencesStore({ dir: env.FNSTUDIO_CONFIG_DIR || defaultPreferencesDir(env) }).read()).workspacePath;
    } catch {
      // Unreadable preferences: the default folder, as the studio would use.
    }
  }
  const location = resolveWorkspaceLocation({ flag: flag ?? null, env, preference });
  return { root: location.root, why: describeWorkspaceSource(location.source) };
}

/** A function folder of the workspace, with the handler file it holds ('both' is the caller's to judge). */
export interface WorkspaceFunctionFolder {
  name: string;
  dir: string;
  handler: HandlerFileName | 'both';
}

/** The workspace's function folders by name (dot folders skipped); bad input when there are none. */
export async function workspaceFunctionFolders(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<WorkspaceFunctionFolder[]> {
  const workspace = await cliWorkspace(flag, env);
  let names: string[];
  try {
    names = await fs.readdir(workspace.root);
  } catch {
    throw new InputError(`${workspace.root} (the workspace, ${workspace.why}): no such folder; give function folders or --workspace DIR`);
  }
  const folders: WorkspaceFunctionFolder[] = [];
  for (const name of names.sort((a, b) => a.localeCompare(b))) {
    if (name.startsWith('.')) continue;
    const dir = path.join(workspace.root, name);
    const handler = await handlerFileIn(dir);
    if (handler !== null) folders.push({ name, dir, handler });
  }
  if (folders.length === 0) throw new InputError(`${workspace.root} (the workspace, ${workspace.why}) has no function folders (folders holding handler.js or handler.ts)`);
  return folders;
}
