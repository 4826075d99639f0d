/**
 * What the Tests tab does: list a function's cases, run them against the editor's code
 * (saved or not), show a case's run in the shared Output panel, and turn a single run's
 * outcome into a new case ("Save as test").
 */
import type { TestCaseResult, TestCaseStatus } from '../../../main/contract';
import * as editors from '../editor/editor-registry';
import { api } from '../platform/api';
import { errorMessage } from '../platform/rpc-error';
import { showInfo } from '../state/notices';
import { useStudio } from '../state/store';
import { caseFileName, caseFromOutcome } from './case-from-outcome';
import { INITIAL_TESTS_STATE, useTests } from './tests-store';

const get = useTests.getState;
const set = useTests.setState;

/** Follows the open function: its case list, and a clean slate when it changes. */
export async function syncTests(functionId: string | null): Promise<void> {
  if (get().functionId !== functionId) set({ ...INITIAL_TESTS_STATE, functionId });
  if (functionId === null) return;
  await reloadCases();
}

export async function reloadCases(): Promise<void> {
  const functionId = get().functionId;
  if (functionId === null) return;
  try {
    const cases = await api.tests.list(functionId);
    if (get().functionId === functionId) set({ cases, error: null });
  } catch (err) {
    if (get().functionId === functionId) set({ error: `Could not list the test cases: ${errorMessage(err)}` });
  }
}

/** Runs every case (no `file`) or one, against the code in the editor. */
export async function runTests(file?: string): Promise<void> {
  const { functionId, running } = get();
  if (functionId === null || running !== null || useStudio.getState().current?.id !== functionId) return;
  set({ running: file ?? 'all', error: null });
  try {
    await reloadCases();
    const report = await api.tests.run({ functionId, code: editors.getCode(), files: file ? [file] : undefined });
    if (get().functionId !== functionId) return;
    const previous: Record<string, TestCaseStatus> = { ...get().previous };
    const results: Record<string, TestCaseResult> = { ...get().results };
    for (const c of report.cases) {
      const before = results[c.file]?.status;
      if (before !== undefined) previous[c.file] = before;
      else delete previous[c.file];
      results[c.file] = c;
    }
    set({ results, previous });
    // The Output panel shows a run: the selected case's, else the first failure's, else the first case's.
    const keep = get().selected;
    const shown = report.cases.find((c) => c.file === keep) ?? report.cases.find((c) => c.status === 'failed') ?? report.cases[0];
    if (shown) selectCase(shown.file);
  } catch (err) {
    if (get().functionId === functionId) set({ error: `Could not run the tests: ${errorMessage(err)}` });
  } finally {
    if (get().functionId === functionId) set({ running: null });
  }
}

/** Selects a case; its run (if it ran) goes to the Output panel as a single run's would. */
export function selectCase(file: string): void {
  set({ selected: file });
  const result = get().results[file];
  const testCase = get().cases.find((c) => c.file === file);
  if (result?.outcome) {
    useStudio.setState({ outcome: result.outcome, outcomeInput: caseInput(testCase?.json), runError: null });
  } else if (result?.malformed) {
    useStudio.setState({ outcome: null, outcomeInput: null, runError: `Test case not run: ${result.malformed}` });
  }
}

function caseInput(json: string | undefined): unknown {
  if (json === undefined) return null;
  try {
    const parsed = JSON.parse(json) as { event?: unknown; events?: unknown };
    return parsed.events ?? parsed.event ?? null;
  } catch {
    return null;
  }
}

/** Opens a draft case from the outcome in the Output panel; the user edits it before saving. */
export async function startSaveAsTest(): Promise<void> {
  const studio = useStudio.getState();
  const { current, outcome, outcomeInput } = studio;
  if (!current || !outcome || outcomeInput === null) return;
  let settings: Record<string, unknown> = {};
  try {
    settings = (await api.settings.getTestValues(current.id)).values;
  } catch {
    // Without stored test values the case simply gives none; the user can add them in the draft.
  }
  const eventName = typeof outcomeInput === 'object' && outcomeInput !== null && !Array.isArray(outcomeInput) ? (outcomeInput as { event?: unknown; type?: unknown }) : null;
  const label = Array.isArray(outcomeInput)
    ? `batch of ${outcomeInput.length} ends ${outcome.outcome}`
    : `${typeof eventName?.event === 'string' ? eventName.event : (typeof eventName?.type === 'string' ? eventName.type : 'event')} ends ${outcome.outcome}`;
  const draft = caseFromOutcome({ name: label, input: outcomeInput, outcome, settings });
  set({ draft: { fileName: caseFileName(label), json: `${JSON.stringify(draft, null, 2)}\n`, error: null, saving: false } });
  useStudio.setState({ sideTab: 'tests' });
}

export function editDraft(patch: { fileName?: string; json?: string }): void {
  const draft = get().draft;
  if (draft) set({ draft: { ...draft, ...patch, error: null } });
}

export function cancelDraft(): void {
  set({ draft: null });
}

export async function saveDraft(): Promise<void> {
  const { draft, functionId } = get();
  if (!draft || functionId === null || draft.saving) return;
  set({ draft: { ...draft, saving: true, error: null } });
  try {
    const saved = await api.tests.save(functionId, draft.fileName.trim(), draft.json);
    set({ draft: null, selected: saved.file });
    await reloadCases();
    showInfo(`Saved test case ${saved.file}`);
    await runTests(saved.file);
  } catch (err) {
    const current = get().draft;
    if (current) set({ draft: { ...current, saving: false, error: errorMessage(err) } });
  }
}
