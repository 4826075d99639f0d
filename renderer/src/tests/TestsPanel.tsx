/**
 * The side panel's Tests tab: the function's saved cases (tests/*.test.json) with pass/fail
 * and what changed since the previous run, Run all (Ctrl/⌘+Shift+Enter) or one, a failing
 * case's expected-vs-actual in a diff editor, and the "Save as test" draft.
 */
import { useEffect, useRef } from 'react';
import type { TestCaseResult } from '../../../main/contract';
import { onHostEvent } from '../platform/api';
import { useStudio } from '../state/store';
import { cancelDraft, editDraft, reloadCases, runTests, saveDraft, selectCase, syncTests } from './tests-actions';
import { stateChange, useTests, type StateChange } from './tests-store';
import { TestDiff } from './TestDiff';
import './tests.css';

const CHANGE_LABEL: Record<Exclude<StateChange, null>, string> = { fixed: 'now passes', broke: 'now fails' };

export function TestsPanel() {
  const functionId = useStudio((s) => s.current?.id ?? null);
  const state = useTests();
  const failureRef = useRef<HTMLElement>(null);
  const selectedFailed = state.selected !== null && state.results[state.selected]?.status === 'failed';
  const selectedResult = state.selected !== null ? state.results[state.selected] : undefined;

  const panelRef = useRef<HTMLDivElement>(null);
  // A failure just selected (or just produced) is scrolled into the panel's view. By hand:
  // scrollIntoView would also scroll the clipped layout containers around the panel.
  useEffect(() => {
    const panel = panelRef.current;
    const failure = failureRef.current;
    if (!selectedFailed || !panel || !failure) return;
    const bottom = failure.offsetTop + failure.offsetHeight;
    if (bottom > panel.scrollTop + panel.clientHeight) panel.scrollTop = Math.min(failure.offsetTop, bottom - panel.clientHeight);
  }, [selectedFailed, selectedResult]);

  useEffect(() => {
    void syncTests(functionId);
  }, [functionId]);

  // Cases may be added or edited outside the studio (an editor, git, fnstudio new).
  useEffect(
    () =>
      onHostEvent((event) => {
        if (event.type === 'functions.changed' && (event.id === null || event.id === useTests.getState().functionId)) void reloadCases();
      }),
    [],
  );

  // Capture phase: the code editor would otherwise take Ctrl+Shift+Enter as "insert line above".
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key === 'Enter') {
        e.preventDefault();
        e.stopPropagation();
        useStudio.setState({ sideTab: 'tests' });
        void runTests();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  if (functionId === null) return <p className="empty-hint">Open a function to see its test cases.</p>;

  const results = state.cases.map((c) => state.results[c.file]).filter((r): r is TestCaseResult => r !== undefined);
  const passed = results.filter((r) => r.status === 'passed').length;
  const failed = results.length - passed;
  const changes = state.cases.map((c) => stateChange(state, c.file)).filter((c) => c !== null);
  const selected = state.selected ? state.results[state.selected] : undefined;

  return (
    <div className="tests-panel" ref={panelRef}>
      <div className="tests-toolbar">
        <button type="button" className="btn btn-primary btn-small" title="Run all test cases (Ctrl/⌘+Shift+Enter)" disabled={state.running !== null || state.cases.length === 0} onClick={() => void runTests()}>
          {state.running === 'all' ? 'Running…' : 'Run all'}
        </button>
        <span className="tests-summary" role="status" aria-label="Test summary">
          {results.length > 0 ? (
            <>
              <span className="tests-passed">{passed} passed</span>
              {failed > 0 ? <span className="tests-failed">, {failed} failed</span> : null}
              {changes.length > 0 ? <span className="muted"> · {changes.length} changed state</span> : null}
            </>
          ) : (
            <span className="muted">{state.cases.length} case{state.cases.length === 1 ? '' : 's'} · not run yet</span>
          )}
        </span>
      </div>
      {state.error ? (
        <div className="tests-error" role="alert">
          {state.error}
        </div>
      ) : null}
      {state.draft ? <DraftEditor /> : null}
      {state.cases.length === 0 && !state.draft ? (
        <p className="empty-hint">
          No test cases yet. Run the function, then use <strong>Save as test</strong> in the Output panel; or add <code>tests/&lt;name&gt;.test.json</code> files.
        </p>
      ) : null}
      <ul className="tests-list" aria-label="Test cases">
        {state.cases.map((c) => {
          const result = state.results[c.file];
          const change = stateChange(state, c.file);
          const status = result ? result.status : 'not run';
          return (
            <li key={c.file} className={`test-case${state.selected === c.file ? ' selected' : ''}`} data-status={status} aria-label={`${c.name}: ${status}`}>
              <button type="button" className="test-case-open" onClick={() => selectCase(c.file)} title={c.file}>
                <span className={`test-mark test-${status.replace(' ', '-')}`} aria-hidden="true">
                  {result ? (result.status === 'passed' ? '✓' : '✗') : '○'}
                </span>
                <span className="test-name">{c.name}</span>
                {change ? <span className={`test-change test-change-${change}`}>{CHANGE_LABEL[change]}</span> : null}
              </button>
              <button type="button" className="btn btn-small" aria-label={`Run ${c.name}`} disabled={state.running !== null} onClick={() => void runTests(c.file)}>
                {state.running === c.file ? '…' : 'Run'}
              </button>
            </li>
          );
        })}
      </ul>
      {selected && selected.status === 'failed' ? (
        <section className="test-failure" aria-label="Failure" ref={failureRef}>
          <h3>{selected.name}</h3>
          {selected.malformed ? (
            <p className="tests-error">{selected.malformed}</p>
          ) : (
            <>
              <ul className="test-mismatches" aria-label="Mismatches">
                {selected.mismatches.map((m, i) => (
                  <li key={i}>
                    {m.message.startsWith(m.path) ? (
                      <>
                        <code>{m.path}</code>
                        {m.message.slice(m.path.length)}
                      </>
                    ) : (
                      <>
                        <code>{m.path}</code> {m.message}
                      </>
                    )}
                  </li>
                ))}
              </ul>
              <TestDiff mismatches={selected.mismatches} />
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}

function DraftEditor() {
  const draft = useTests((s) => s.draft);
  if (!draft) return null;
  return (
    <form
      className="test-draft"
      aria-label="New test case"
      onSubmit={(e) => {
        e.preventDefault();
        void saveDraft();
      }}
    >
      <h3>Save as test</h3>
      <p className="muted">The expectations are this run's outcome; edit them before saving. Requests are answered by the recorded responses (mocks), so the case runs offline.</p>
      <label>
        File name
        <span className="test-draft-file">
          tests/
          <input value={draft.fileName} onChange={(e) => editDraft({ fileName: e.target.value })} aria-label="File name" spellCheck={false} />
          .test.json
        </span>
      </label>
      <label>
        Test case (JSON)
        <textarea value={draft.json} onChange={(e) => editDraft({ json: e.target.value })} aria-label="Test case JSON" spellCheck={false} rows={14} />
      </label>
      {draft.error ? (
        <p className="tests-error" role="alert">
          {draft.error}
        </p>
      ) : null}
      <div className="test-draft-buttons">
        <button type="button" className="btn btn-small" onClick={cancelDraft}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary btn-small" disabled={draft.saving}>
          Save test
        </button>
      </div>
    </form>
  );
}
