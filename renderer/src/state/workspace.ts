/** The workspace folder in use: following the host when it moves, and the dialog that changes it. */
import type { WorkspaceInfo } from '../../../main/contract';
import { api } from '../platform/api';
import * as editors from '../editor/editor-registry';
import { workspaceDialogMessage, workspaceSavedText } from '../domain/workspace-source';
import { ask } from './dialogs';
import { refreshFunctions } from './function-list';
import { showError, showInfo } from './notices';
import { guardUnsaved } from './open-function';
import { isDetached, useStudio } from './store';

const get = useStudio.getState;
const set = useStudio.setState;

/** Set while the user's own switch runs, after they chose to discard unsaved edits for it. */
let discardingForSwitch = false;

export async function refreshWorkspace(): Promise<void> {
  try {
    await adoptWorkspace(await api.workspace.info());
  } catch (err) {
    showError('Could not read the workspace folder', err);
  }
}

/**
 * Follows the host to another workspace folder. A clean open function is closed (its id
 * may name another function there); one with unsaved edits stays open with its edits,
 * detached: saving and running it are refused until the workspace is back in its folder.
 */
export async function adoptWorkspace(info: WorkspaceInfo): Promise<void> {
  const previous = get().workspace;
  set({ workspace: info });
  if (previous !== null && previous.root === info.root) return;
  const current = get().current;
  if (current && get().dirty && !discardingForSwitch) {
    if (isDetached(get())) {
      set({
        notice: {
          kind: 'error',
          text: `The workspace is now ${info.root}. “${current.meta.displayName}” still holds your unsaved edits from ${current.root}; saving and running it are off until the workspace is back there.`,
        },
      });
    } else {
      showInfo(`Back in ${info.root}: “${current.meta.displayName}” can be saved again.`);
    }
  } else if (current || get().openError) {
    editors.closeCode();
    set({ current: null, dirty: false, external: null, savedEvents: [], openError: null, outcome: null, runError: null });
  }
  await refreshFunctions();
}

/** The “Workspace folder” dialog: saves the workspacePath preference; the host decides whether the folder moves now. */
export async function changeWorkspace(): Promise<void> {
  const { workspace, prefs } = get();
  if (!workspace || !prefs) return;
  const result = await ask({
    title: 'Workspace folder',
    message: workspaceDialogMessage(workspace),
    input: { label: 'Folder', value: prefs.workspacePath, placeholder: workspace.followsPreference ? 'empty: the default folder' : workspace.root },
    buttons: [
      { id: 'cancel', label: 'Cancel', variant: 'plain' },
      { id: 'ok', label: workspace.followsPreference ? 'Switch' : 'Save for later', variant: 'primary' },
    ],
    defaultButton: 'ok',
  });
  if (result.button !== 'ok') return;
  const workspacePath = result.input.trim();
  if (workspace.followsPreference) {
    if (!(await guardUnsaved('switching the workspace folder'))) return;
    discardingForSwitch = true;
  }
  try {
    const saved = await api.preferences.set({ workspacePath });
    set({ prefs: saved });
    const info = await api.workspace.info();
    await adoptWorkspace(info);
    showInfo(workspaceSavedText(info, workspacePath));
  } catch (err) {
    showError('Could not change the workspace folder', err);
  } finally {
    discardingForSwitch = false;
  }
}
