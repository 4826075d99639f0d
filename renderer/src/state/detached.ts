/**
 * The guard every action that writes to or runs the open function passes: a function kept
 * from a workspace folder no longer in use must not reach its namesake in the new folder.
 */
import { showError } from './notices';
import { isDetached, useStudio } from './store';

/** True (and says why) when the open function belongs to a workspace folder no longer in use. */
export function refuseDetached(prefix: string): boolean {
  const state = useStudio.getState();
  const { current, workspace } = state;
  if (!current || !isDetached(state)) return false;
  showError(
    prefix,
    new Error(`“${current.meta.displayName}” was opened from ${current.root}, but the workspace is now ${workspace?.root}. Copy your edits, or switch the workspace back to save them there.`),
  );
  return true;
}
