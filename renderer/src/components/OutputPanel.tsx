import type { BatchItemResult, LogEntry, Outcome, OutcomeCategory, RequestTrace } from '../../../main/contract';
import { toCurl } from '../domain/curl';
import { formatTime } from '../history/run-view';
import { addRuleFromRequest } from '../mocks/mocks-actions';
import { showError, showInfo } from '../state/notices';
import { cancelRun, jumpToLine } from '../state/run';
import { useStudio } from '../state/store';
import { BodyView } from './JsonView';
import { SaveAsTestButton } from '../tests/SaveAsTestButton';

export const CATEGORY_CLASS: Record<OutcomeCategory, string> = {
  Success: 'ok',
  'Bad Request': 'bad',
  'Invalid Settings': 'config',
  'Message Rejected': 'rejected',
  'Unsupported Event Type': 'unsupported',
  Retry: 'retry',
  Timeout: 'retry',
  Dropped: 'dropped',
};

export function OutcomeBadge({ category }: { category: OutcomeCategory }) {
  return (
    <span className={`badge badge-${CATEGORY_CLASS[category]}`} data-testid="outcome-badge">
      {category}
    </span>
  );
}

/** An outcome whose code never started (settings refused, input rejected) took no time at all. */
function formatDuration(outcome: Pick<Outcome, 'durationMs'>): string {
  return outcome.durationMs === 0 ? 'not run' : formatMs(outcome.durationMs);
}

function formatMs(ms: number): string {
  // A warm run often takes a fraction of a millisecond: "0 ms" would read as "did not run".
  if (ms > 0 && ms < 0.5) return '< 1 ms';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value, null, 2) ?? primitiveText(value);
  } catch {
    return primitiveText(value);
  }
}

/** What JSON cannot show (a BigInt, a function, a cycle): the value's own text. */
function primitiveText(value: unknown): string {
  return typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : String(value);
}

export function OutputPanel() {
  const run = useStudio((s) => s.run);
  const outcome = useStudio((s) => s.outcome);
  const runError = useStudio((s) => s.runError);
  const origin = useStudio((s) => s.outcomeOrigin);

  return (
    <section className="output-panel" aria-label="Output">
      <div className="pane-header">
        <span className="pane-title">Output</span>
        {run.state !== 'running' && outcome ? (
          <>
            <span className="spacer" />
            <SaveAsTestButton />
          </>
        ) : null}
        {run.state === 'running' ? (
          <>
            <span className="spinner" role="status" aria-label="Running" />
            <span className="muted">Running…</span>
            <span className="spacer" />
            <button type="button" className="btn btn-small btn-danger" aria-label="Cancel run" onClick={() => void cancelRun()}>
              Cancel
            </button>
          </>
        ) : null}
      </div>
      <div className="output-body">
        {runError ? (
          <div className="run-error" role="alert">
            {runError}
          </div>
        ) : null}
        {outcome ? (
          // The previous outcome stays visible but dimmed while a new run is in progress.
          <div className={run.state === 'running' ? 'stale' : undefined}>
            {origin ? (
              <div className="origin-banner" data-testid="outcome-origin">
                Reopened from the history: the run of {formatTime(origin.startedAt)} · {origin.eventLabel}
              </div>
            ) : null}
            <OutcomeView outcome={outcome} />
          </div>
        ) : null}
        {!outcome && !runError && run.state !== 'running' ? (
          <p className="empty-hint">
            Run the function to see its outcome here: <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd> or the Run button.
          </p>
        ) : null}
      </div>
    </section>
  );
}

export function OutcomeView({ outcome }: { outcome: Outcome }) {
  return (
    <div className="outcome" data-testid="outcome">
      <div className="outcome-summary">
        <OutcomeBadge category={outcome.outcome} />
        {outcome.retryable ? <span className="tag">Segment retries</span> : null}
        <span className="spacer" />
        <span className="muted" aria-label="Duration">
          {formatDuration(outcome)}
        </span>
      </div>
      {outcome.error ? <ErrorView error={outcome.error} /> : null}
      {outcome.items && outcome.items.length > 0 ? <BatchItems items={outcome.items} /> : null}
      <Section title="Logs" count={outcome.logs.length}>
        {outcome.logs.length === 0 ? <p className="empty-hint">No console output.</p> : <Logs logs={outcome.logs} truncated={outcome.logsTruncated} />}
      </Section>
      <Section title="Requests" count={outcome.requests.length}>
        {outcome.requests.length === 0 ? (
          <p className="empty-hint">No outgoing requests.</p>
        ) : (
          <ul className="requests" aria-label="Requests">
            {outcome.requests.map((r, i) => (
              <RequestView key={i} trace={r} />
            ))}
          </ul>
        )}
      </Section>
      {outcome.error && (outcome.result === null || outcome.result === undefined) ? null : (
        <Section title="Return value">
          <pre className="code-block">{formatValue(outcome.result)}</pre>
        </Section>
      )}
    </div>
  );
}

function Section({ title, count, children }: { title: string; count?: number; children: React.ReactNode }) {
  return (
    <section className="output-section" aria-label={title}>
      <h3>
        {title}
        {count !== undefined ? <span className="count">{count}</span> : null}
      </h3>
      {children}
    </section>
  );
}

function ErrorView({ error }: { error: NonNullable<Outcome['error']> }) {
  // The frames are at the lines of the file the user edits (a handler.ts run's are mapped back from its JavaScript).
  const handlerFile = useStudio((s) => s.current?.handlerFile ?? 'handler.js');
  return (
    <div className="error-view" role="group" aria-label="Error">
      <div className="error-title">
        <strong>{error.name}</strong>: {error.message}
      </div>
      {error.frames.length > 0 ? (
        <ol className="frames" aria-label="Stack frames">
          {error.frames.map((f, i) => (
            <li key={i}>
              <button
                type="button"
                className="frame-link"
                aria-label={`Go to line ${f.line}, column ${f.column}${f.functionName ? ` in ${f.functionName}` : ''}`}
                onClick={() => jumpToLine(f.line, f.column)}
              >
                <span className="frame-fn">{f.functionName ?? '<anonymous>'}</span>
                <span className="frame-loc">
                  {handlerFile}:{f.line}:{f.column}
                </span>
              </button>
            </li>
          ))}
        </ol>
      ) : null}
      {/* A stack with no frame lines is just the headline again: nothing to expand. */}
      {/\n\s+at /.test(error.stack) ? (
        <details className="stack">
          <summary>Stack trace</summary>
          <pre className="code-block">{error.stack}</pre>
        </details>
      ) : null}
    </div>
  );
}

function Logs({ logs, truncated }: { logs: LogEntry[]; truncated: boolean }) {
  return (
    <>
      <ol className="logs" aria-label="Console output">
        {logs.map((l, i) => (
          <li key={i} className={`log log-${l.level}`}>
            <span className="log-level">{l.level}</span>
            <span className="log-message">{l.message}</span>
          </li>
        ))}
      </ol>
      {truncated ? <p className="muted">Console output was cut at Segment’s limit.</p> : null}
    </>
  );
}

function statusClass(status: number): string {
  if (status >= 500) return 'bad';
  if (status >= 400) return 'rejected';
  if (status >= 300) return 'retry';
  return 'ok';
}

function RequestView({ trace }: { trace: RequestTrace }) {
  const status = trace.response ? trace.response.status : null;
  return (
    <li className="request">
      <details>
        <summary aria-label={`${trace.method} ${trace.url} ${status ?? 'failed'}`}>
          <span className="req-method">{trace.method}</span>
          <span className="req-url" title={trace.url}>
            {trace.url}
          </span>
          {status !== null ? <span className={`req-status badge badge-${statusClass(status)}`}>{status}</span> : <span className="req-status badge badge-bad">failed</span>}
          {trace.mocked ? <span className="tag">mocked</span> : null}
          <span className="req-time muted">{formatMs(trace.durationMs)}</span>
        </summary>
        <div className="req-details">
          {trace.error ? <div className="run-error">{trace.error}</div> : null}
          <h4>Request headers</h4>
          <Headers headers={trace.headers} />
          <div className="req-actions">
            <button type="button" className="btn btn-small" onClick={() => void copyCurl(trace)}>
              Copy as cURL
            </button>
            {/* A mock rule already answered it: another would only shadow that one. */}
            {trace.mocked ? null : (
              <button
                type="button"
                className="btn btn-small"
                title={trace.response ? 'Add a mock rule that answers this request the way it was answered' : 'Add a mock rule that answers this request (200, {})'}
                onClick={() => void addRuleFromRequest(trace)}
              >
                {trace.response ? 'Mock this response' : 'Mock this request'}
              </button>
            )}
          </div>
          {trace.body !== null ? (
            <>
              <h4>Request body</h4>
              <BodyView text={trace.body} label="Request body" />
            </>
          ) : null}
          {trace.response ? (
            <>
              <h4>
                Response {trace.response.status} {trace.response.statusText}
              </h4>
              <Headers headers={trace.response.headers} />
              {trace.response.body !== null ? <BodyView text={trace.response.body} label="Response body" /> : null}
            </>
          ) : null}
        </div>
      </details>
      {/* Outside the collapsed details: a run that only works locally should not look fine. */}
      {trace.warning ? (
        <p className="req-warning" role="note" aria-label="Network warning">
          ⚠ {trace.warning}
        </p>
      ) : null}
    </li>
  );
}

async function copyCurl(trace: RequestTrace): Promise<void> {
  try {
    await navigator.clipboard.writeText(toCurl(trace));
    showInfo('Copied the request as a cURL command (secrets stay masked)');
  } catch (err) {
    showError('Could not copy', err);
  }
}

function Headers({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="muted">none</p>;
  return (
    <table className="headers">
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BatchItems({ items }: { items: BatchItemResult[] }) {
  return (
    <Section title="Batch items" count={items.length}>
      <table className="batch-items">
        <thead>
          <tr>
            <th scope="col" title="Position in the batch, from 0 (as in the CLI and the events array)">Index</th>
            <th scope="col">Status</th>
            <th scope="col">Outcome</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.index}>
              <td>[{item.index}]</td>
              <td>{item.status}</td>
              <td>
                <OutcomeBadge category={item.category} />
              </td>
              <td>{item.errormessage ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
