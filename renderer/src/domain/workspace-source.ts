/**
 * What the UI says about the workspace folder. It must never suggest that the saved
 * workspacePath preference moves the folder when the --workspace flag, FNSTUDIO_WORKSPACE
 * or the host decides it: the host reports which source decided, and these texts follow it.
 */
import type { WorkspaceInfo, WorkspaceSource } from '../../../main/contract';

/** Short, for the label beside the folder. */
export function workspaceSourceText(source: WorkspaceSource): string {
  switch (source) {
    case 'flag':
      return 'set by --workspace';
    case 'env':
      return 'set by FNSTUDIO_WORKSPACE';
    case 'preference':
      return 'chosen in fnstudio';
    case 'default':
      return 'default folder';
    case 'host':
      return 'set by the host';
  }
}

/** The explanation in the “Workspace folder” dialog. */
export function workspaceDialogMessage(info: WorkspaceInfo): string {
  if (info.followsPreference) {
    return (
      `Functions are read from and saved to ${info.root} (${workspaceSourceText(info.source)}). ` +
      'Enter another folder (a full path, or one starting with ~/) to switch to it now; it is created if it does not exist. Nothing in either folder is moved or deleted. ' +
      'Leave it empty for the default folder (fnstudio-functions in your home folder).'
    );
  }
  if (info.source === 'host') {
    return `The host fixed the workspace to ${info.root}. A folder saved here is kept as a preference but does not change that.`;
  }
  const by = info.source === 'flag' ? 'the --workspace flag' : 'the FNSTUDIO_WORKSPACE environment variable';
  return (
    `This window uses ${info.root} because fnstudio was started with ${by}, which wins over this setting. ` +
    'A folder saved here is used only when fnstudio starts without it; the workspace does not change now.'
  );
}

/** What to tell the user after the preference was saved. */
export function workspaceSavedText(info: WorkspaceInfo, saved: string): string {
  if (info.followsPreference) return `Workspace folder: ${info.root}`;
  const target = saved.trim() === '' ? 'the default folder' : saved.trim();
  return `Saved ${target} for a later start. The workspace stays ${info.root} (${workspaceSourceText(info.source)}).`;
}
