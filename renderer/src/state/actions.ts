/**
 * Everything the UI does, as plain async functions over the store and the host API.
 * Host errors become a notice (or a dialog when the user has a decision to make); they
 * never escape as unhandled rejections.
 */
import type { FunctionDetail, HostEvent, Preferences, WorkspaceInfo } from '../../../main/contract';
import { api, onConnectionChange, onHostEvent } from '../platform/api';
import { errorMessage, errorName } from '../platform/rpc-error';
import * as editors from '../editor/editor-registry';
import { parseEventInput } from '../domain/event-input';
import { workspaceDialogMessage, workspaceSavedText } from '../domain/workspace-source';
import { ask, confirm, prompt } from './dialogs';
import { DEFAULT_PANE_SIZES, isDetached, useStudio, type SideTab } from './store';

const get = useStudio.getState;
const set = useStudio.setState;

export function showError(prefix: string, err: unknown): void {
  set({ notice: { kind: 'error', text: `${prefix}: ${errorMessage(err)}` } });
}

export function showInfo(text: string): void {
  set({ notice: { kind: 'info', text } });
}

export function dismissNotice(): void {
  set({ notice: null });
}

function newRunId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// ───────────────────────────── start-up ─────────────────────────────

export async function init(): Promise<void> {
  editors.onCodeChange(recomputeDirty);
  editors.eventModel.onDidChangeContent(() => set({ eventText: editors.getEventText() }));
  onHostEvent((event) => void handleHostEvent(event));
  onConnectionChange((connected) => {
    if (!connected) {
      set({ disconnected: true });
    } else if (get().disconnected) {
      set({ disconnected: false });
      // Anything may have changed on disk while we were away, the workspace folder included.
      void refreshWorkspace().then(() => handleHostEvent({ type: 'functions.changed', id: null }));
    }
  });
  try {
    const [prefs, templates, samples, functions, workspace] = await Promise.all([
      api.preferences.get(),
      api.templates.list(),
      api.samples.list(),
      api.functions.list(),
      api.workspace.info(),
    ]);
    set({
      prefs,
      workspace,
      templates,
      samples,
      functions: sortFunctions(functions),
      paneSizes: { ...DEFAULT_PANE_SIZES, ...prefs.paneSizes },
      ready: true,
    });
    const track = samples.find((s) => s.type === 'track') ?? samples[0];
    if (track) loadSample(track.id);
    const first = functions.find((f) => f.id === prefs.lastFunctionId && !f.error) ?? functions.find((f) => !f.error);
    if (first) await openFunction(first.id, { skipGuard: true });
  } catch (err) {
    set({ loadError: errorMessage(err), ready: true });
  }
}

function sortFunctions<T extends { displayName: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' }));
}

export async function refreshFunctions(): Promise<void> {
  try {
    set({ functions: sortFunctions(await api.functions.list()) });
  } catch (err) {
    showError('Could not list functions', err);
  }
}

// ───────────────────────────── open / save ─────────────────────────────

function recomputeDirty(): void {
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

function adopt(detail: FunctionDetail): void {
  editors.openCode(detail.id, detail.code);
  set({
    current: { id: detail.id, meta: detail.meta, codeVersion: detail.codeVersion, savedCode: detail.code, root: get().workspace?.root ?? null },
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
      title: 'handler.js changed on disk',
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
    editors.replaceCode(detail.code);
    set({ current: { ...current, meta: detail.meta, codeVersion: detail.codeVersion, savedCode: detail.code }, external: null });
    recomputeDirty();
  } catch (err) {
    showError('Could not reload', err);
  }
}

/** Keep my version: the banner goes away; the next save will ask before overwriting. */
export function keepMine(): void {
  set({ external: null });
}

async function handleHostEvent(event: HostEvent): Promise<void> {
  if (event.type === 'workspace.changed') {
    await adoptWorkspace(event.workspace);
    return;
  }
  // Segment-workspace waits are shown by the sync feature (renderer/src/sync).
  if (event.type === 'remote.wait') return;
  // Other services' events (capture.*, replay.progress, …) are their panels' business.
  if (event.type !== 'functions.changed') return;
  await refreshFunctions();
  const current = get().current;
  if (!current || (event.id !== null && event.id !== current.id)) return;
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
  if (detail.codeVersion === latest.codeVersion) {
    set({ current: { ...latest, meta: detail.meta } });
    return;
  }
  const buffer = editors.getCode();
  if (buffer === detail.code) {
    // Our own save (or an identical external write): just adopt the new version.
    set({ current: { ...latest, meta: detail.meta, codeVersion: detail.codeVersion, savedCode: detail.code }, external: null });
  } else if (!get().dirty) {
    editors.replaceCode(detail.code);
    set({ current: { ...latest, meta: detail.meta, codeVersion: detail.codeVersion, savedCode: detail.code }, external: null });
    showInfo(`Reloaded ${detail.meta.displayName}: it changed on disk`);
  } else {
    set({ current: { ...latest, meta: detail.meta }, external: { code: detail.code, codeVersion: detail.codeVersion } });
  }
  recomputeDirty();
}

// ───────────────────────────── workspace folder ─────────────────────────────

/** Set while the user's own switch runs, after they chose to discard unsaved edits for it. */
let discardingForSwitch = false;

/** True (and says why) when the open function belongs to a workspace folder no longer in use. */
function refuseDetached(prefix: string): boolean {
  const { current, workspace } = get();
  if (!current || !isDetached(get())) return false;
  showError(
    prefix,
    new Error(`“${current.meta.displayName}” was opened from ${current.root}, but the workspace is now ${workspace?.root}. Copy your edits, or switch the workspace back to save them there.`),
  );
  return true;
}

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

// ───────────────────────────── create / rename / delete ─────────────────────────────

/** The “New function” dialog; from the template gallery with that template chosen. */
export async function createFunction(templateId?: string): Promise<void> {
  const templates = get().templates;
  if (templates.length === 0) {
    showError('Cannot create a function', new Error('no templates are available'));
    return;
  }
  const result = await ask({
    title: 'New function',
    input: { label: 'Name', value: '', placeholder: 'e.g. Webhook to CRM' },
    choice: {
      label: 'Template',
      options: templates.map((t) => ({ value: t.id, label: t.name, description: t.description })),
      value: templates.some((t) => t.id === templateId) ? (templateId as string) : templates[0].id,
    },
    buttons: [
      { id: 'cancel', label: 'Cancel', variant: 'plain' },
      { id: 'create', label: 'Create', variant: 'primary' },
    ],
    defaultButton: 'create',
  });
  if (result.button !== 'create') return;
  const displayName = result.input.trim();
  if (!displayName) {
    showError('Cannot create a function', new Error('the name is empty'));
    return;
  }
  if (!(await guardUnsaved('creating a function'))) return;
  try {
    const detail = await api.functions.create({ displayName, templateId: result.choice });
    await refreshFunctions();
    adopt(detail);
    set({ savedEvents: [] });
    void savePrefs({ lastFunctionId: detail.id });
  } catch (err) {
    showError('Could not create the function', err);
  }
}

export async function renameFunction(id: string): Promise<void> {
  const summary = get().functions.find((f) => f.id === id);
  if (!summary) return;
  const name = await prompt('Rename function', 'Name', summary.displayName, 'Rename');
  if (name === null || name.trim() === '' || name.trim() === summary.displayName) return;
  try {
    const meta = await api.functions.updateMeta(id, { displayName: name.trim() });
    const current = get().current;
    if (current?.id === id && !isDetached(get())) set({ current: { ...current, meta } });
    await refreshFunctions();
  } catch (err) {
    showError('Could not rename', err);
  }
}

export async function deleteFunction(id: string): Promise<void> {
  const summary = get().functions.find((f) => f.id === id);
  if (!summary) return;
  const ok = await confirm(
    'Delete function',
    `Delete “${summary.displayName}”? Its folder (handler.js, function.json and saved events) is removed from the workspace.`,
    'Delete',
    'danger',
  );
  if (!ok) return;
  try {
    await api.functions.delete(id);
    // A function kept from the previous folder is not the namesake just deleted here.
    if (get().current?.id === id && !isDetached(get())) {
      editors.closeCode();
      set({ current: null, dirty: false, external: null, savedEvents: [], outcome: null, runError: null });
    }
    if (get().openError?.id === id) set({ openError: null });
    await refreshFunctions();
  } catch (err) {
    showError('Could not delete', err);
  }
}

// ───────────────────────────── events ─────────────────────────────

async function loadSavedEvents(id: string): Promise<void> {
  try {
    const savedEvents = await api.functions.listEvents(id);
    if (get().current?.id === id) set({ savedEvents });
  } catch (err) {
    showError('Could not list saved events', err);
  }
}

export function loadSample(sampleId: string): void {
  const sample = get().samples.find((s) => s.id === sampleId);
  if (!sample) return;
  editors.setEventText(JSON.stringify(sample.event, null, 2));
  set({ eventSource: `sample:${sample.id}`, eventText: editors.getEventText(), eventLoadedText: editors.getEventText() });
}

export function loadSavedEvent(name: string): void {
  const saved = get().savedEvents.find((e) => e.name === name);
  if (!saved) return;
  editors.setEventText(saved.json);
  set({ eventSource: `saved:${saved.name}`, eventText: editors.getEventText(), eventLoadedText: editors.getEventText() });
}

/** Puts an event from elsewhere (a replayed event) into the event editor. */
export function loadEventText(json: string, source: string): void {
  editors.setEventText(json);
  set({ eventSource: source, eventText: editors.getEventText(), eventLoadedText: editors.getEventText(), sideTab: 'event' });
}

export async function saveEventAs(): Promise<void> {
  const current = get().current;
  if (!current || refuseDetached('Could not save the event')) return;
  const source = get().eventSource;
  const suggested = source.startsWith('saved:') ? source.slice('saved:'.length) : source.startsWith('sample:') ? `${source.slice('sample:'.length)}-event` : 'my-event';
  const name = await prompt('Save event', 'Event name', suggested, 'Save', 'Saved into this function’s events/ folder.');
  if (name === null) return;
  const trimmed = name.trim();
  try {
    await api.functions.saveEvent(current.id, trimmed, editors.getEventText());
    await loadSavedEvents(current.id);
    set({ eventSource: `saved:${trimmed}`, eventLoadedText: editors.getEventText() });
    showInfo(`Saved event ${trimmed}`);
  } catch (err) {
    showError('Could not save the event', err);
  }
}

export async function deleteSavedEvent(name: string): Promise<void> {
  const current = get().current;
  if (!current || refuseDetached('Could not delete the event')) return;
  if (!(await confirm('Delete saved event', `Delete the saved event “${name}” (events/${name}.json in “${current.meta.displayName}”)? The event editor keeps its text.`, 'Delete', 'danger'))) return;
  try {
    await api.functions.deleteEvent(current.id, name);
    await loadSavedEvents(current.id);
    if (get().eventSource === `saved:${name}`) set({ eventSource: '' });
  } catch (err) {
    showError('Could not delete the event', err);
  }
}

// ───────────────────────────── run ─────────────────────────────

export async function runNow(): Promise<void> {
  const { current, run, prefs } = get();
  if (!current || run.state === 'running') return;
  if (refuseDetached('Cannot run')) return;
  const parsed = parseEventInput(editors.getEventText());
  if (!parsed.ok) {
    set({ runError: parsed.error, outcome: null, sideTab: 'event' });
    return;
  }
  const runId = newRunId();
  set({ run: { state: 'running', runId, startedAt: Date.now() }, runError: null, outcomeOrigin: null });
  try {
    const outcome = await api.runner.run({
      runId,
      functionId: current.id,
      code: editors.getCode(),
      input: parsed.value,
      timeoutMs: prefs?.defaultTimeoutMs,
      offline: get().offline,
      eventLabel: eventLabel(),
    });
    if (isCurrentRun(runId)) set({ outcome, outcomeInput: parsed.value, runError: null });
  } catch (err) {
    if (isCurrentRun(runId)) {
      set({ outcome: null, runError: errorName(err) === 'RunCancelled' ? 'Run cancelled.' : `The run failed: ${errorMessage(err)}` });
    }
  } finally {
    if (isCurrentRun(runId)) set({ run: { state: 'idle' } });
  }
}

/** How the history names the event of a run: where it came from, and whether it was edited. */
function eventLabel(): string {
  const { eventSource, eventText, eventLoadedText, samples } = get();
  const edited = eventText !== eventLoadedText ? ' (edited)' : '';
  if (eventSource.startsWith('sample:')) {
    const sample = samples.find((s) => `sample:${s.id}` === eventSource);
    return `Sample · ${sample?.label ?? eventSource.slice('sample:'.length)}${edited}`;
  }
  if (eventSource.startsWith('saved:')) return `Saved · ${eventSource.slice('saved:'.length)}${edited}`;
  if (eventSource.startsWith('history:')) return `Event of an earlier run${edited}`;
  return 'Edited event';
}

export function setOffline(offline: boolean): void {
  set({ offline });
}

/** The function's strict-network setting: saved in its function.json, so core applies it to every run. */
export async function setStrictNetwork(strictNetwork: boolean): Promise<void> {
  const current = get().current;
  if (!current || refuseDetached('Could not change the network setting')) return;
  try {
    const meta = await api.functions.updateMeta(current.id, { strictNetwork });
    const now = get().current;
    if (now?.id === current.id) set({ current: { ...now, meta } });
  } catch (err) {
    showError('Could not change the network setting', err);
  }
}

/** The time-limit control: the default time limit preference, in milliseconds. */
export async function setTimeLimit(ms: number): Promise<void> {
  if (!Number.isInteger(ms) || ms < 1) return;
  await savePrefs({ defaultTimeoutMs: ms });
}

function isCurrentRun(runId: string): boolean {
  const run = get().run;
  return run.state === 'running' && run.runId === runId;
}

export async function cancelRun(): Promise<void> {
  const run = get().run;
  if (run.state !== 'running') return;
  try {
    await api.runner.cancel(run.runId);
  } catch (err) {
    showError('Could not cancel the run', err);
  }
}

export function jumpToLine(line: number, column: number): void {
  editors.revealInCode(line, column);
}

// ───────────────────────────── layout & preferences ─────────────────────────────

export function setSideTab(tab: SideTab): void {
  set({ sideTab: tab });
}

export function setPaneSize(name: string, size: number): void {
  set({ paneSizes: { ...get().paneSizes, [name]: Math.round(size) } });
}

export function persistPaneSizes(): void {
  void savePrefs({ paneSizes: get().paneSizes });
}

export async function setTheme(theme: string): Promise<void> {
  if (theme !== 'system' && theme !== 'light' && theme !== 'dark') return;
  await savePrefs({ theme });
}

async function savePrefs(patch: Partial<Preferences>): Promise<void> {
  try {
    const prefs = await api.preferences.set(patch);
    set({ prefs });
  } catch (err) {
    showError('Could not save preferences', err);
  }
}
