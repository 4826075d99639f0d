/**
 * The workspace folder a CLI command works in, by the same precedence as the studio:
 * `--workspace DIR`, FNSTUDIO_WORKSPACE, the workspacePath preference, ~/fnstudio-functions.
 */
import { ConfPreferencesStore, defaultPreferencesDir } from '../core/preferences/conf-store';
import { describeWorkspaceSource, resolveWorkspaceLocation } from '../core/workspace-location';

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
