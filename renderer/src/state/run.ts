/** Running the open function: the run itself, cancelling it, and the toolbar's run options. */
import { api } from '../platform/api';
import { errorMessage, errorName } from '../platform/rpc-error';
import * as editors from '../editor/editor-registry';
import { parseEventInput } from '../domain/event-input';
import { refuseDetached } from './detached';
import { showError } from './notices';
import { savePrefs } from './preferences';
import { useStudio } from './store';

const get = useStudio.getState;
const set = useStudio.setState;

function newRunId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

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
