/**
 * The function open in the code editor: opening it, saving its buffer, and keeping the
 * buffer and the file on disk apart when either changes (dirty flag, conflicts, reloads).
 */
import type { FunctionDetail } from '../../../main/contract';
import { api } from '../platform/api';
import { errorMessage, errorName } from '../platform/rpc-error';
import * as editors from '../editor/editor-registry';
import { refuseDetached } from './detached';
import { ask } from './dialogs';
import { loadSavedEvents } from './events';
import { showError, showInfo } from './notices';
import { savePrefs } from './preferences';
import { isDetached, useStudio } from './store';

const get = useStudio.getState;
const set = useStudio.setState;

export function recomputeDirty(): void {
  const current = get().current;
  const dirty = current !== null && editors.getCode() !== current.savedCode;
  if (dirty !== get().dirty) set({ dirty });
}

/** Resolves true when it is fine to leave the open function (saved, discarded, or clean). */
export async function guardUnsaved(action: string): Promise<boolean> {
  const { current, dirty } = get();
  if (!current || !dirty) return true;
  const result = await ask({
    title: 'Unsaved changes',
    message: `“${current.meta.displayName}” has unsaved changes. Save them before ${action}?`,
    buttons: [
      { id: 'cancel', label: 'Cancel', variant: 'plain' },
      { id: 'discard', label: 'Discard changes', variant: 'danger' },
      { id: 'save', label: 'Save', variant: 'primary' },
    ],
    defaultButton: 'save',
  });
  if (result.button === 'save') return save();
  return result.button === 'discard';
}

/** Makes `detail` the open function, its code in the editor and nothing left of the previous one. */
export function adopt(detail: FunctionDetail): void {
  editors.openCode(detail.id, detail.code, detail.handlerFile);
  set({
    current: { id: detail.id, meta: detail.meta, handlerFile: detail.handlerFile, codeVersion: detail.codeVersion, savedCode: detail.code, root: get().workspace?.root ?? null },
    openError: null,
    dirty: false,
    external: null,
    outcome: null,
    outcomeOrigin: null,
    runError: null,
    cursor: { line: 1, column: 1 },
  });
}

export async function openFunction(id: string, options: { skipGuard?: boolean } = {}): Promise<void> {
  if (get().current?.id === id) return;
  if (!options.skipGuard && !(await guardUnsaved('switching functions'))) return;
  try {
    const detail = await api.functions.get(id);
    adopt(detail);
    void loadSavedEvents(id);
    void savePrefs({ lastFunctionId: id });
  } catch (err) {
    editors.closeCode();
    set({ current: null, dirty: false, external: null, savedEvents: [], openError: { id, message: errorMessage(err) } });
  }
}

/** Saves the buffer. Resolves false when nothing was saved (error or user cancelled). */
export async function save(): Promise<boolean> {
  const current = get().current;
  if (!current) return false;
  if (refuseDetached('Could not save')) return false;
  const code = editors.getCode();
  try {
    const { codeVersion } = await api.functions.saveCode(current.id, code, current.codeVersion);
    afterSave(current.id, code, codeVersion);
    return true;
  } catch (err) {
    if (errorName(err) !== 'Conflict') {
      showError('Could not save', err);
      return false;
    }
    const choice = await ask({
      title: `${current.handlerFile} changed on disk`,
      message: `Another program changed “${current.meta.displayName}” since you opened it. Overwrite the file on disk with your version, or reload it (your edits are lost)?`,
      buttons: [
        { id: 'cancel', label: 'Cancel', variant: 'plain' },
        { id: 'reload', label: 'Reload from disk', variant: 'plain' },
        { id: 'overwrite', label: 'Overwrite', variant: 'danger' },
      ],
      defaultButton: 'cancel',
    });
    if (choice.button === 'reload') {
      await reloadFromDisk();
      return false;
    }
    if (choice.button !== 'overwrite') return false;
    try {
      const { codeVersion } = await api.functions.saveCode(current.id, code);
      afterSave(current.id, code, codeVersion);
      return true;
    } catch (err2) {
      showError('Could not save', err2);
      return false;
    }
  }
}

function afterSave(id: string, code: string, codeVersion: string): void {
  const current = get().current;
  if (!current || current.id !== id) return;
  set({ current: { ...current, savedCode: code, codeVersion }, external: null });
  recomputeDirty();
  showInfo(`Saved ${current.meta.displayName}`);
}

export async function reloadFromDisk(): Promise<void> {
  const current = get().current;
  if (!current || refuseDetached('Could not reload')) return;
  try {
    const detail = await api.functions.get(current.id);
    editors.replaceCode(detail.code, detail.handlerFile);
    set({ current: { ...current, meta: detail.meta, handlerFile: detail.handlerFile, codeVersion: detail.codeVersion, savedCode: detail.code }, external: null });
    recomputeDirty();
  } catch (err) {
    showError('Could not reload', err);
  }
}

/** Keep my version: the banner goes away; the next save will ask before overwriting. */
export function keepMine(): void {
  set({ external: null });
}

/**
 * A function of the workspace changed on disk (`id` null: any may have): when it is the open
 * one, a clean buffer follows the file, a dirty one keeps its edits and offers reload/keep.
 */
export async function followDiskChange(id: string | null): Promise<void> {
  const current = get().current;
  if (!current || (id !== null && id !== current.id)) return;
  // Its id now names a function of another folder: reading that one would replace the kept edits.
  if (isDetached(get())) return;
  let detail: FunctionDetail;
  try {
    detail = await api.functions.get(current.id);
  } catch (err) {
    if (errorName(err) === 'NotFound') {
      editors.closeCode();
      set({ current: null, dirty: false, external: null, openError: { id: current.id, message: 'This function was deleted on disk.' } });
    } else {
      set({ notice: { kind: 'error', text: `“${current.meta.displayName}” changed on disk and cannot be read: ${errorMessage(err)}` } });
    }
    return;
  }
  const latest = get().current;
  if (!latest || latest.id !== detail.id) return;
  if (detail.codeVersion === latest.codeVersion && detail.handlerFile === latest.handlerFile) {
    set({ current: { ...latest, meta: detail.meta } });
    return;
  }
  const fromDisk = { meta: detail.meta, handlerFile: detail.handlerFile, codeVersion: detail.codeVersion, savedCode: detail.code };
  const buffer = editors.getCode();
  if (buffer === detail.code) {
    // Our own save (or an identical external write): just adopt the new version (and file:
    // the same code may now be handler.ts).
    if (detail.handlerFile !== latest.handlerFile) editors.replaceCode(detail.code, detail.handlerFile);
    set({ current: { ...latest, ...fromDisk }, external: null });
  } else if (!get().dirty) {
    editors.replaceCode(detail.code, detail.handlerFile);
    set({ current: { ...latest, ...fromDisk }, external: null });
    showInfo(`Reloaded ${detail.meta.displayName}: it changed on disk`);
  } else {
    set({ current: { ...latest, meta: detail.meta }, external: { code: detail.code, codeVersion: detail.codeVersion, handlerFile: detail.handlerFile } });
  }
  recomputeDirty();
}
