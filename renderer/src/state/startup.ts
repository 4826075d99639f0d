/**
 * Start-up: loads what the window shows first, opens the last function, and dispatches the
 * host's events (and reconnections) to the state they change. Host errors become a notice
 * (or a dialog when the user has a decision to make); they never escape as unhandled rejections.
 */
import type { HostEvent } from '../../../main/contract';
import { api, onConnectionChange, onHostEvent } from '../platform/api';
import { errorMessage } from '../platform/rpc-error';
import * as editors from '../editor/editor-registry';
import { loadSample } from './events';
import { refreshFunctions, sortFunctions } from './function-list';
import { followDiskChange, openFunction, recomputeDirty } from './open-function';
import { DEFAULT_PANE_SIZES, useStudio } from './store';
import { adoptWorkspace, refreshWorkspace } from './workspace';

const get = useStudio.getState;
const set = useStudio.setState;

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
  await followDiskChange(event.id);
}
