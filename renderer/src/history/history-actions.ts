/** What the History tab does: list the open function's runs, reopen one, compare two. */
import { api } from '../platform/api';
import { errorMessage } from '../platform/rpc-error';
import * as editors from '../editor/editor-registry';
import { useStudio } from '../state/store';
import { useHistory } from './history-store';

const get = useHistory.getState;
const set = useHistory.setState;

export async function refreshHistory(functionId: string | null = useStudio.getState().current?.id ?? null): Promise<void> {
  if (functionId === null) {
    set({ functionId: null, runs: [], picked: [], error: null });
    return;
  }
  try {
    const runs = await api.history.list(functionId);
    if (useStudio.getState().current?.id !== functionId) return;
    const ids = new Set(runs.map((r) => r.id));
    set({ functionId, runs, picked: get().functionId === functionId ? get().picked.filter((id) => ids.has(id)) : [], error: null });
  } catch (err) {
    set({ functionId, runs: [], picked: [], error: `Could not read the run history: ${errorMessage(err)}` });
  }
}

/** Shows a past run's outcome in the output panel, marked as reopened. */
export async function reopenRun(runId: string): Promise<void> {
  const functionId = get().functionId;
  if (!functionId) return;
  try {
    const record = await api.history.get(functionId, runId);
    useStudio.setState({ outcome: record.outcome, runError: null, outcomeOrigin: { runId: record.id, startedAt: record.startedAt, eventLabel: record.eventLabel } });
  } catch (err) {
    set({ error: errorMessage(err) });
    void refreshHistory(functionId);
  }
}

/** Puts a past run's event back in the event editor, to run it again. */
export async function loadRunEvent(runId: string): Promise<void> {
  const functionId = get().functionId;
  if (!functionId) return;
  try {
    const record = await api.history.get(functionId, runId);
    editors.setEventText(JSON.stringify(record.input, null, 2));
    const text = editors.getEventText();
    useStudio.setState({ eventSource: `history:${record.id}`, eventText: text, eventLoadedText: text, sideTab: 'event' });
  } catch (err) {
    set({ error: errorMessage(err) });
  }
}

export function togglePicked(runId: string): void {
  const picked = get().picked;
  if (picked.includes(runId)) set({ picked: picked.filter((id) => id !== runId) });
  // Ticking a third drops the oldest tick: a compare is always of two.
  else set({ picked: [...picked, runId].slice(-2) });
}

export async function compareRuns(a: string, b: string): Promise<void> {
  const functionId = get().functionId;
  if (!functionId) return;
  try {
    const [first, second] = await Promise.all([api.history.get(functionId, a), api.history.get(functionId, b)]);
    set({ compare: first.id < second.id ? [first, second] : [second, first] });
  } catch (err) {
    set({ error: errorMessage(err) });
  }
}

export function closeCompare(): void {
  set({ compare: null });
}
