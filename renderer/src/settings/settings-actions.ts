/**
 * What the Settings tab does: edit the draft schema, save it with functions.updateMeta,
 * and read/write test values through the settings service (the host routes encrypted
 * ones to the OS keychain). Host errors end up next to the field they concern and in the
 * studio's notice bar; they never escape as unhandled rejections.
 */
import type { FunctionMeta, SettingValue } from '../../../main/contract';
import { api } from '../platform/api';
import { errorMessage } from '../platform/rpc-error';
import { showError, showInfo } from '../state/notices';
import { confirm } from '../state/dialogs';
import { isDetached, useStudio } from '../state/store';
import {
  draftProblems,
  moveDraft,
  newDraft,
  redraft,
  removeDraft,
  schemaFromDrafts,
  updateDraft,
  type DraftPatch,
} from './settings-draft';
import { isDraftDirty, planSync, type DraftStash } from './panel-sync';
import { INITIAL_SETTINGS_STATE, useSettings, type FieldStatus } from './settings-store';

const get = useSettings.getState;
const set = useSettings.setState;

/** Unsaved drafts of functions the user switched away from, restored on return. */
const unsavedDrafts: DraftStash = new Map();

/**
 * Set when the open function was kept from a previous workspace folder: its id now names a
 * namesake in the new folder, whose settings and secrets must not be read or written for it.
 */
function detachedProblem(): string | null {
  const studio = useStudio.getState();
  if (!isDetached(studio)) return null;
  return `the workspace moved to ${studio.workspace?.root}; these settings belong to ${studio.current?.root}`;
}

export function isDirty(): boolean {
  return isDraftDirty(get());
}

/** Follows the studio's open function (see planSync). */
export function syncWithFunction(functionId: string | null, meta: FunctionMeta | null): void {
  const plan = planSync(get(), functionId, meta?.settings ?? null, unsavedDrafts);
  switch (plan.kind) {
    case 'close':
      set({ ...INITIAL_SETTINGS_STATE });
      return;
    case 'unchanged':
      return;
    case 'open':
      set({ ...INITIAL_SETTINGS_STATE, functionId: plan.functionId, saved: plan.saved, drafts: plan.drafts, openKey: plan.openKey });
      break;
    case 'adopt':
      set({ saved: plan.saved, drafts: plan.drafts, changedOnDisk: false });
      break;
    case 'conflict':
      set({ saved: plan.saved, changedOnDisk: true });
      break;
  }
  void loadTestValues();
}

export async function loadTestValues(): Promise<void> {
  const functionId = get().functionId;
  if (!functionId || detachedProblem() !== null) return;
  try {
    const testValues = await api.settings.getTestValues(functionId);
    if (get().functionId === functionId) set({ testValues, testValuesError: null });
  } catch (err) {
    if (get().functionId === functionId) set({ testValuesError: errorMessage(err) });
  }
}

// ───────────────────────────── builder ─────────────────────────────

export function addSetting(): string {
  const draft = newDraft();
  set({ drafts: [...get().drafts, draft], openKey: draft.key, saveError: null });
  return draft.key;
}

export function editSetting(key: string, patch: DraftPatch): void {
  set({ drafts: updateDraft(get().drafts, key, patch), saveError: null });
}

export function moveSetting(key: string, delta: number): void {
  set({ drafts: moveDraft(get().drafts, key, delta) });
}

/** Drag and drop: puts the dragged card where the target card is. */
export function moveSettingTo(key: string, targetKey: string): void {
  const drafts = get().drafts;
  const from = drafts.findIndex((d) => d.key === key);
  const to = drafts.findIndex((d) => d.key === targetKey);
  if (from < 0 || to < 0 || from === to) return;
  set({ drafts: moveDraft(drafts, key, to - from) });
}

export function toggleOpen(key: string): void {
  set({ openKey: get().openKey === key ? null : key });
}

export async function deleteSetting(key: string): Promise<void> {
  const draft = get().drafts.find((d) => d.key === key);
  if (!draft) return;
  const title = draft.label.trim() || draft.name || 'this setting';
  const stored = get().saved.some((s) => s.name === draft.name);
  const consequence = !stored
    ? 'It has not been saved yet.'
    : draft.sensitive
      ? 'When you save, its test value is removed from the OS keychain.'
      : 'When you save, its test value is removed too.';
  if (!(await confirm('Delete setting', `Delete the setting “${title}”? ${consequence}`, 'Delete', 'danger'))) return;
  set({ drafts: removeDraft(get().drafts, key), openKey: get().openKey === key ? null : get().openKey });
}

export function revertSettings(): void {
  const { saved, drafts } = get();
  set({ drafts: redraft(saved, drafts), saveError: null, changedOnDisk: false });
}

/** Saves the draft into function.json. Resolves false when nothing was saved. */
export async function saveSettings(): Promise<boolean> {
  const { functionId, drafts } = get();
  if (!functionId) return false;
  const detached = detachedProblem();
  if (detached !== null) {
    set({ saveError: `Could not save the settings: ${detached}` });
    return false;
  }
  const problems = draftProblems(drafts);
  const firstBad = drafts.find((d) => problems[d.key]);
  if (firstBad) {
    // Stay on the card being edited when it is one of those at fault (e.g. a duplicate name).
    const openKey = get().openKey;
    set({ openKey: openKey !== null && problems[openKey] ? openKey : firstBad.key, saveError: 'Fix the highlighted fields before saving.' });
    return false;
  }
  const settings = schemaFromDrafts(drafts);
  set({ saving: true, saveError: null });
  try {
    const meta = await api.functions.updateMeta(functionId, { settings });
    if (get().functionId !== functionId) return true;
    set({ saved: meta.settings, drafts: redraft(meta.settings, get().drafts), changedOnDisk: false });
    const current = useStudio.getState().current;
    if (current?.id === functionId) useStudio.setState({ current: { ...current, meta } });
    showInfo('Settings saved to function.json');
    await loadTestValues();
    return true;
  } catch (err) {
    set({ saveError: `Could not save the settings: ${errorMessage(err)}` });
    showError('Could not save the settings', err);
    // A locked or missing keychain is why a save that moves secrets fails: show the banner.
    await loadTestValues();
    return false;
  } finally {
    set({ saving: false });
  }
}

// ───────────────────────────── test values ─────────────────────────────

function setStatus(name: string, status: FieldStatus | null): void {
  const fieldStatus = { ...get().fieldStatus };
  if (status) fieldStatus[name] = status;
  else delete fieldStatus[name];
  set({ fieldStatus });
}

/** Stores one test value (null clears it). Resolves false when the host refused it. */
export async function setTestValue(name: string, value: SettingValue): Promise<boolean> {
  const functionId = get().functionId;
  if (!functionId) return false;
  const detached = detachedProblem();
  if (detached !== null) {
    setStatus(name, { state: 'error', message: `Not saved: ${detached}` });
    return false;
  }
  setStatus(name, { state: 'saving' });
  try {
    await api.settings.setTestValue(functionId, name, value);
    if (get().functionId !== functionId) return true;
    setStatus(name, { state: 'saved', cleared: value === null });
    await loadTestValues();
    return true;
  } catch (err) {
    if (get().functionId === functionId) {
      setStatus(name, { state: 'error', message: errorMessage(err) });
      await loadTestValues();
    }
    return false;
  }
}

/** Marks a value the UI refused locally (e.g. a duplicate key) next to its field. */
export function reportFieldProblem(name: string, message: string | null): void {
  setStatus(name, message === null ? null : { state: 'error', message });
}

/** The plaintext of an encrypted test value, on the user's explicit request. */
export async function revealSecret(name: string): Promise<string | null> {
  const functionId = get().functionId;
  if (!functionId) return null;
  const detached = detachedProblem();
  if (detached !== null) {
    setStatus(name, { state: 'error', message: `Could not reveal: ${detached}` });
    return null;
  }
  try {
    const value = await api.settings.revealSecret(functionId, name);
    setStatus(name, null);
    return value;
  } catch (err) {
    setStatus(name, { state: 'error', message: `Could not reveal: ${errorMessage(err)}` });
    await loadTestValues();
    return null;
  }
}
