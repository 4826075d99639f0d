/**
 * What the UI does with Segment workspaces: connect, browse and pull, statuses, Save /
 * Save & Deploy with a preview, conflicts, history and restore. Host errors become
 * notices; nothing here touches the editor buffer except by saving it to disk first.
 */
import type { ConflictChoice, HostEvent, PushResult } from '../../../main/contract';
import { api, onHostEvent } from '../platform/api';
import { errorMessage } from '../platform/rpc-error';
import * as editors from '../editor/editor-registry';
import { showError, showInfo } from '../state/notices';
import { save } from '../state/open-function';
import { confirm } from '../state/dialogs';
import { useStudio } from '../state/store';
import { useSync } from './sync-store';

const get = useSync.getState;
const set = useSync.setState;

let statusTimer: ReturnType<typeof setTimeout> | null = null;

export async function initSync(): Promise<void> {
  onHostEvent((event) => handleEvent(event));
  // Changes made in a Segment workspace send no event: look again when the window comes back.
  window.addEventListener('focus', () => {
    if (get().remotes.length > 0) void refreshStatuses();
  });
  await loadRemotes();
  if (get().remotes.length > 0) await refreshStatuses();
}

function handleEvent(event: HostEvent): void {
  if (event.type === 'remote.wait') {
    const seconds = (event.waitMs / 1000).toFixed(1);
    const text =
      event.reason === 'rate-limited'
        ? `The Segment workspace “${event.remoteName}” is rate-limiting requests: waiting ${seconds} s before retrying “${event.operation}”…`
        : `“${event.operation}” on “${event.remoteName}” failed; retrying in ${seconds} s…`;
    set({ wait: { text, until: Date.now() + event.waitMs } });
    return;
  }
  if (event.type === 'functions.changed' && get().remotes.length > 0) {
    // Edits on disk change local states; coalesce bursts of file events into one refresh.
    if (statusTimer) clearTimeout(statusTimer);
    statusTimer = setTimeout(() => void refreshStatuses(), 800);
  }
}

async function loadRemotes(): Promise<void> {
  try {
    set({ remotes: await api.remotes.list() });
  } catch (err) {
    showError('Cannot list Segment workspaces', err);
  }
}

async function refreshStatuses(): Promise<void> {
  try {
    const list = await api.sync.status();
    set({ statuses: Object.fromEntries(list.map((s) => [s.functionId, s])) });
  } catch (err) {
    showError('Cannot read sync status', err);
  }
}

async function refreshStatus(functionId: string): Promise<void> {
  try {
    const status = await api.sync.statusOf(functionId);
    set({ statuses: { ...get().statuses, [functionId]: status } });
  } catch {
    // The full refresh reports problems; one function's badge can wait.
  }
}

export function openRemotes(): void {
  set({ remotesOpen: true, connectResult: null });
  void loadRemotes();
}

export function closeRemotes(): void {
  set({ remotesOpen: false, browsing: null });
}

export async function connectRemote(input: { name: string; region: 'us' | 'eu' | 'custom'; apiUrl: string; token: string }): Promise<boolean> {
  set({ connecting: true, connectResult: null });
  try {
    const result = await api.remotes.add({
      name: input.name.trim(),
      token: input.token,
      ...(input.region === 'custom' ? { apiUrl: input.apiUrl.trim() } : { region: input.region }),
    });
    const count = result.destinationFunctions === null ? 'the token works' : `${result.destinationFunctions} destination function${result.destinationFunctions === 1 ? '' : 's'}`;
    set({ connectResult: { ok: true, text: `Connected “${result.remote.name}” (${result.remote.apiUrl}): ${count}.` } });
    await loadRemotes();
    await browseRemote(result.remote.name);
    return true;
  } catch (err) {
    set({ connectResult: { ok: false, text: errorMessage(err) } });
    return false;
  } finally {
    set({ connecting: false });
  }
}

export async function removeRemote(name: string): Promise<void> {
  if (!(await confirm('Disconnect Segment workspace', `Remove “${name}” and its token from this machine? Linked functions keep their files.`, 'Remove', 'danger'))) return;
  try {
    await api.remotes.remove(name);
    if (get().browsing?.remote === name) set({ browsing: null });
    await loadRemotes();
  } catch (err) {
    showError(`Cannot remove “${name}”`, err);
  }
}

export async function browseRemote(remote: string): Promise<void> {
  set({ browsing: { remote, functions: null, error: null, pullResults: null } });
  try {
    const functions = await api.sync.listRemote(remote);
    set({ browsing: { remote, functions, error: null, pullResults: null } });
  } catch (err) {
    set({ browsing: { remote, functions: [], error: errorMessage(err), pullResults: null } });
  }
}

export async function pullFunctions(remote: string, selection: 'all' | string[]): Promise<void> {
  set({ busy: 'pull' });
  try {
    const results = await api.sync.pull(remote, selection);
    // Re-listed so "linked to …" shows what was just pulled.
    const functions = await api.sync.listRemote(remote).catch(() => get().browsing?.functions ?? []);
    set({ browsing: { remote, functions, error: null, pullResults: results } });
    await refreshStatuses();
  } catch (err) {
    showError('Pull failed', err);
  } finally {
    set({ busy: null });
  }
}

/** Saves the editor to disk, then shows what a push would change (or the conflict). */
export async function startPush(deploy: boolean, remoteName?: string): Promise<void> {
  const current = useStudio.getState().current;
  if (!current) return;
  if (useStudio.getState().dirty && !(await save())) return;
  set({ busy: 'preview' });
  try {
    const preview = await api.sync.previewPush(current.id, remoteName);
    if (preview.conflict) {
      set({ overlay: { kind: 'conflict', functionId: current.id, conflict: preview.conflict, busy: false } });
      return;
    }
    if (preview.nothingToPush && !deploy) {
      showInfo(`“${current.meta.displayName}” already matches the Segment workspace`);
      return;
    }
    set({ overlay: { kind: 'preview', functionId: current.id, deploy, preview, busy: false } });
  } catch (err) {
    showError('Cannot prepare the save to Segment', err);
  } finally {
    set({ busy: null });
  }
}

export async function confirmPush(): Promise<void> {
  const overlay = get().overlay;
  if (overlay?.kind !== 'preview') return;
  set({ overlay: { ...overlay, busy: true } });
  let result: PushResult;
  try {
    result = await api.sync.push(overlay.functionId, { deploy: overlay.deploy, remoteName: overlay.preview.remoteFunctionId ? undefined : overlay.preview.remoteName });
  } catch (err) {
    set({ overlay: null });
    showError('Save to Segment failed (your local files are unchanged)', err);
    return;
  }
  if (result.status === 'conflict') {
    set({ overlay: { kind: 'conflict', functionId: overlay.functionId, conflict: result.conflict, busy: false } });
    return;
  }
  if (result.status === 'invalid') {
    set({ overlay: { ...overlay, busy: false, preview: { ...overlay.preview, problems: result.problems } } });
    return;
  }
  set({ overlay: null, lastPush: { ...get().lastPush, [result.functionId]: { text: `${result.created ? 'Created' : 'Saved'} as ${result.remoteFunctionId}. ${result.deploy.message}.`, deploy: result.deploy } } });
  showInfo(result.deploy.call === 'accepted' ? 'Saved and deployed to the Segment workspace' : 'Saved to the Segment workspace');
  await refreshStatus(result.functionId);
  if (get().history?.functionId === result.functionId) await loadHistory(result.functionId);
}

export function closeOverlay(): void {
  set({ overlay: null });
}

export async function openConflict(functionId: string): Promise<void> {
  set({ busy: 'preview' });
  try {
    const preview = await api.sync.previewPush(functionId);
    if (preview.conflict) set({ overlay: { kind: 'conflict', functionId, conflict: preview.conflict, busy: false } });
    else showInfo('No conflict any more: save to Segment when ready');
  } catch (err) {
    showError('Cannot read the conflict', err);
  } finally {
    set({ busy: null });
  }
}

/** Keep mine / take theirs / use the edited merge; then, unless theirs was taken, the push preview. */
export async function resolveConflict(choice: ConflictChoice): Promise<void> {
  const overlay = get().overlay;
  if (overlay?.kind !== 'conflict') return;
  set({ overlay: { ...overlay, busy: true } });
  try {
    const { backup } = await api.sync.resolve(overlay.functionId, choice);
    set({ overlay: null });
    await reloadEditorFromDisk(overlay.functionId);
    await refreshStatus(overlay.functionId);
    if ('take' in choice) showInfo(`Took the Segment workspace's version${backup ? ` (yours is kept in ${backup})` : ''}`);
    else await startPush(false);
  } catch (err) {
    set({ overlay: { ...overlay, busy: false } });
    showError('Cannot resolve the conflict', err);
  }
}

async function reloadEditorFromDisk(functionId: string): Promise<void> {
  const studio = useStudio.getState();
  if (studio.current?.id !== functionId) return;
  const detail = await api.functions.get(functionId);
  editors.replaceCode(detail.code, detail.handlerFile);
  useStudio.setState({ current: { ...studio.current, meta: detail.meta, handlerFile: detail.handlerFile, codeVersion: detail.codeVersion, savedCode: detail.code }, dirty: false, external: null });
}

export async function loadHistory(functionId: string): Promise<void> {
  set({ history: { functionId, result: get().history?.functionId === functionId ? get().history!.result : null, error: null, loading: true } });
  try {
    const result = await api.sync.versions(functionId);
    set({ history: { functionId, result, error: null, loading: false } });
  } catch (err) {
    set({ history: { functionId, result: null, error: errorMessage(err), loading: false } });
  }
}

export async function showVersionDiff(functionId: string, versionId: string): Promise<void> {
  try {
    const versionCode = await api.sync.versionCode(functionId, versionId);
    set({ overlay: { kind: 'version', functionId, versionId, versionCode, localCode: editors.getCode(), busy: false } });
  } catch (err) {
    showError('Cannot read that version', err);
  }
}

export async function restoreVersion(functionId: string, versionId: string): Promise<void> {
  const ok = await confirm('Restore this version?', `Version ${versionId} becomes the latest version in the Segment workspace (a new version; nothing is deleted). Your local edits are never replaced.`, 'Restore');
  if (!ok) return;
  set({ overlay: null });
  try {
    const result = await api.sync.restore(functionId, versionId);
    if (result.localUpdated) await reloadEditorFromDisk(functionId);
    showInfo(result.message);
    await loadHistory(functionId);
    await refreshStatus(functionId);
  } catch (err) {
    showError('Restore failed', err);
  }
}

/** Pulls the open function from its Segment workspace (a conflict opens the conflict view). */
export async function pullCurrent(functionId: string): Promise<void> {
  const status = get().statuses[functionId];
  if (!status?.remote) return;
  if (useStudio.getState().current?.id === functionId && useStudio.getState().dirty && !(await save())) return;
  set({ busy: 'pull' });
  try {
    const [result] = await api.sync.pull(status.remote.name, [status.remote.functionId]);
    if (result?.action === 'conflict' && result.conflict) {
      set({ overlay: { kind: 'conflict', functionId, conflict: result.conflict, busy: false } });
    } else {
      await reloadEditorFromDisk(functionId);
      showInfo(result?.message ?? 'Pulled');
    }
    await refreshStatus(functionId);
  } catch (err) {
    showError('Pull failed (your local files are unchanged)', err);
  } finally {
    set({ busy: null });
  }
}

export async function unlinkCurrent(functionId: string): Promise<void> {
  const ok = await confirm('Unlink from the Segment workspace?', 'The function keeps its files; it is no longer linked, so the next save creates it anew in the Segment workspace you choose.', 'Unlink');
  if (!ok) return;
  try {
    await api.sync.unlink(functionId);
    await refreshStatus(functionId);
  } catch (err) {
    showError('Cannot unlink', err);
  }
}
