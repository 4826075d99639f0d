/** The History tab: the open function's last runs; reopen one, or tick two and compare them. */
import { useEffect } from 'react';
import { OutcomeBadge } from '../components/OutputPanel';
import { useStudio } from '../state/store';
import { compareRuns, loadRunEvent, refreshHistory, reopenRun, togglePicked } from './history-actions';
import { useHistory } from './history-store';
import { formatTime } from './run-view';

export function HistoryPanel() {
  const functionId = useStudio((s) => s.current?.id ?? null);
  // A new outcome means a new run in the history.
  const outcome = useStudio((s) => s.outcome);
  useEffect(() => {
    void refreshHistory(functionId);
  }, [functionId, outcome]);
  const runs = useHistory((s) => s.runs);
  const picked = useHistory((s) => s.picked);
  const error = useHistory((s) => s.error);
  const shownRunId = useStudio((s) => s.outcomeOrigin?.runId ?? null);

  if (!functionId) return <p className="empty-hint">Open a function to see its last runs.</p>;
  return (
    <section className="history-panel" aria-label="Run history">
      <div className="toolbar">
        <span className="muted">{runs.length === 0 ? 'No runs yet' : `Last ${runs.length} run${runs.length === 1 ? '' : 's'}, newest first`}</span>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-small"
          disabled={picked.length !== 2}
          title={picked.length === 2 ? 'Show the two ticked runs side by side' : 'Tick two runs to compare them'}
          onClick={() => void compareRuns(picked[0], picked[1])}
        >
          Compare{picked.length === 2 ? '' : ` (${picked.length}/2 ticked)`}
        </button>
      </div>
      {error ? (
        <p className="mocks-error" role="alert">
          {error}
        </p>
      ) : null}
      {runs.length === 0 ? (
        <p className="empty-hint">Each run of this function is kept here (the last 30, in its .fnstudio/runs folder, which git ignores).</p>
      ) : (
        <ol className="history-list" aria-label="Runs">
          {runs.map((run) => (
            <li key={run.id} className={`history-item${shownRunId === run.id ? ' shown' : ''}`}>
              <input type="checkbox" aria-label={`Tick run of ${formatTime(run.startedAt)} for compare`} checked={picked.includes(run.id)} onChange={() => togglePicked(run.id)} />
              <button type="button" className="history-open" aria-label={`Reopen run of ${formatTime(run.startedAt)}`} title="Show this run's outcome in the output panel" onClick={() => void reopenRun(run.id)}>
                <OutcomeBadge category={run.category} />
                <span className="history-time">{formatTime(run.startedAt)}</span>
                <span className="history-event" title={run.eventLabel}>
                  {run.eventLabel}
                  {run.eventType ? <span className="muted"> · {run.eventType}</span> : null}
                  {run.offline ? <span className="tag">offline</span> : null}
                </span>
                <span className="muted history-duration">{run.durationMs === 0 ? 'not run' : `${Math.round(run.durationMs)} ms`}</span>
              </button>
              <button type="button" className="btn btn-small" aria-label={`Load the event of the run of ${formatTime(run.startedAt)}`} title="Put this run's event in the event editor" onClick={() => void loadRunEvent(run.id)}>
                Event
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
