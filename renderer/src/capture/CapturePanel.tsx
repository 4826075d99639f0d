/**
 * The side panel's Capture tab: a local endpoint speaking Segment's HTTP Tracking API.
 * Point an app's Segment library at it and watch its events arrive, each run through the
 * open function; click one to see its run in the output panel.
 */
import { useEffect } from 'react';
import { CATEGORY_CLASS } from '../components/OutputPanel';
import { useStudio } from '../state/store';
import { connectCapture, openInEventEditor, showCaptured, startCapture, stopCapture } from './capture-actions';
import { useCapture, type CaptureRow } from './capture-store';
import './capture.css';

export function CapturePanel() {
  const status = useCapture((s) => s.status);
  const rows = useCapture((s) => s.rows);
  const refused = useCapture((s) => s.refused);
  const selected = useCapture((s) => s.selected);
  const port = useCapture((s) => s.port);
  const busy = useCapture((s) => s.busy);
  const error = useCapture((s) => s.error);
  const current = useStudio((s) => s.current);
  const functionName = useStudio((s) => (status?.functionId ? s.functions.find((f) => f.id === status.functionId)?.displayName ?? status.functionId : null));

  useEffect(() => connectCapture(), []);

  const running = status?.running === true;
  return (
    <section className="capture-panel" aria-label="Capture">
      <div className="toolbar">
        <label className="field-inline">
          <span>Port</span>
          <input
            className="capture-port"
            aria-label="Capture port"
            value={port}
            disabled={running || busy}
            inputMode="numeric"
            onChange={(e) => useCapture.setState({ port: e.target.value, error: null })}
          />
        </label>
        <span className="spacer" />
        {running ? (
          <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => void stopCapture()}>
            Stop capture
          </button>
        ) : (
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void startCapture()}>
            Start capture
          </button>
        )}
      </div>
      {error ? (
        <p className="capture-error" role="alert">
          {error}
        </p>
      ) : null}
      {running && status ? (
        <div className="capture-status" aria-label="Capture status">
          <p>
            Listening on <code data-testid="capture-url">{status.url}</code>. Point a Segment library's host there, e.g.{' '}
            <code>new Analytics({'{'} writeKey: 'any', host: '{status.url}' {'}'})</code>.
          </p>
          <p className="muted">
            {functionName
              ? `Each event runs through “${functionName}” as its code was when the capture started; its mocks.json answers requests, all others are blocked (offline).`
              : 'Events are only listed: open a function before starting to run them through it.'}
            {status.recording ? ` Recorded to ${status.recording}.` : ''}
          </p>
        </div>
      ) : (
        <p className="empty-hint">
          {current
            ? `Start a capture to receive events from an app's Segment library (analytics-node, analytics.js, mobile) on 127.0.0.1 and run each through “${current.meta.displayName}”.`
            : 'Open a function, then start a capture to run the events an app sends through it.'}
          {status && !status.running && status.captured > 0 ? ` The last capture received ${status.captured} event${status.captured === 1 ? '' : 's'}.` : ''}
        </p>
      )}
      {refused.length > 0 ? (
        <details className="capture-refused">
          <summary>
            {refused.length} refused request{refused.length === 1 ? '' : 's'}
          </summary>
          <ul>
            {refused.map((r, i) => (
              <li key={i}>
                <code>{r.path}</code> ({r.status}): {r.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <ol className="capture-list" aria-label="Captured events">
        {rows.map((row) => (
          <CapturedRow key={row.seq} row={row} selected={row.seq === selected} />
        ))}
      </ol>
    </section>
  );
}

function CapturedRow({ row, selected }: { row: CaptureRow; selected: boolean }) {
  return (
    <li className={`capture-row${selected ? ' selected' : ''}`}>
      <button type="button" className="capture-row-main" aria-label={`Captured event ${row.seq}: ${row.summary}`} aria-pressed={selected} onClick={() => showCaptured(row)}>
        <span className="capture-seq">{row.seq}</span>
        <span className="capture-summary">{row.summary}</span>
        {row.outcome ? (
          <span className={`badge badge-${CATEGORY_CLASS[row.outcome.outcome]}`} data-testid="capture-outcome">
            {row.outcome.outcome}
          </span>
        ) : (
          <span className="muted capture-pending">…</span>
        )}
      </button>
      <button type="button" className="btn btn-small capture-open" title="Open this event in the event editor" aria-label={`Open captured event ${row.seq} in the event editor`} onClick={() => openInEventEditor(row)}>
        Edit
      </button>
    </li>
  );
}
