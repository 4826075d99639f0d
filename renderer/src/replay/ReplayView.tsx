/**
 * The Replay view: pick or drop captured events, choose options, watch progress, then read
 * the dashboard (counts by outcome, latency, throughput, top errors) and drill into any
 * event in a virtualized table.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { OUTCOME_CATEGORIES, type Outcome, type ReplayCategory, type ReplayEventRecord, type ReplaySummary } from '../../../main/contract';
import { OutcomeBadge, OutcomeView } from '../components/OutputPanel';
import { api } from '../platform/api';
import { loadEventText } from '../state/events';
import { showError, showInfo } from '../state/notices';
import { prompt } from '../state/dialogs';
import { startSaveAsTest } from '../tests/tests-actions';
import { useStudio } from '../state/store';
import { LatencyChart, ThroughputChart, formatMs } from './Charts';
import { download, eventsCsv, requestsHar } from './export';
import {
  addFiles,
  allDetails,
  allRows,
  cancelReplay,
  closeReplay,
  deleteRun,
  loadRows,
  loadStoredFilters,
  openRun,
  removeFile,
  saveStoredFilters,
  selectEvent,
  setFilter,
  setOptions,
  startReplay,
  useReplay,
} from './replay-store';

const count = (n: number) => n.toLocaleString('en-US');

export function ReplayView() {
  const functionName = useStudio((s) => s.current?.meta.displayName ?? '');
  const open = useReplay((s) => s.open);
  const summary = useReplay((s) => s.summary);
  const running = useReplay((s) => s.running);
  const error = useReplay((s) => s.error);
  if (!open) return null;
  return (
    <section className="replay-view" aria-label="Replay">
      <header className="replay-header">
        <h2>Replay · {functionName}</h2>
        <span className="muted">captured events delivered as Segment would: integrations object, destination filters, batching, retries</span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={closeReplay} aria-label="Close replay">
          Close
        </button>
      </header>
      <div className="replay-body">
        <aside className="replay-side">
          <Setup />
          <PastRuns />
        </aside>
        <main className="replay-main">
          {error ? (
            <div className="run-error" role="alert">
              {error}
            </div>
          ) : null}
          {running ? <Progress /> : null}
          {summary && !running ? <Dashboard summary={summary} /> : null}
          {!summary && !running && !error ? <p className="empty-hint">Drop a capture (NDJSON, JSON, Segment batch payloads; gzipped or not) on the left and start the replay.</p> : null}
        </main>
      </div>
    </section>
  );
}

function Setup() {
  const files = useReplay((s) => s.files);
  const options = useReplay((s) => s.options);
  const running = useReplay((s) => s.running);
  const filtersNote = useReplay((s) => s.filtersNote);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="replay-setup">
      <div
        className={`drop-zone${over ? ' drop-zone-over' : ''}`}
        data-testid="replay-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          addFiles(e.dataTransfer.files);
        }}
      >
        <p>Drop event files here</p>
        <button type="button" className="btn btn-small" onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <input ref={input} type="file" multiple hidden aria-label="Event files" onChange={(e) => e.target.files && addFiles(e.target.files)} />
      </div>
      {files.length > 0 ? (
        <ul className="replay-files" aria-label="Files to replay">
          {files.map((f, i) => (
            <li key={i}>
              <span>{f.name}</span>
              <span className="muted">{f.size >= 1024 * 1024 ? `${(f.size / 1024 / 1024).toFixed(1)} MB` : `${(f.size / 1024).toFixed(1)} KB`}</span>
              <button type="button" className="btn btn-small" aria-label={`Remove ${f.name}`} onClick={() => removeFile(i)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <fieldset className="replay-options">
        <legend>Options</legend>
        <label>
          <input type="checkbox" checked={options.live} onChange={(e) => setOptions({ live: e.target.checked })} /> Live requests{' '}
          <span className="muted">(off: mock rules answer, others fail offline)</span>
        </label>
        <label>
          <input type="checkbox" checked={options.retries} onChange={(e) => setOptions({ retries: e.target.checked })} /> Retries{' '}
          <span className="muted">(4 h of simulated backoff)</span>
        </label>
        <label>
          Concurrency{' '}
          <input type="number" min={1} max={100000} value={options.concurrency} onChange={(e) => setOptions({ concurrency: Math.max(1, Number(e.target.value) || 1) })} />
        </label>
        <label>
          Integrations name <input type="text" placeholder="Display Name (Workspace)" value={options.destinationName} onChange={(e) => setOptions({ destinationName: e.target.value })} />
        </label>
        <label className="replay-filters">
          Destination filters (JSON; empty = the function’s filters.json)
          <textarea rows={4} spellCheck={false} placeholder='[{"if": "event = \"Test\"", "actions": [{"type": "DROP"}], "enabled": true}]' value={options.filtersText} onChange={(e) => setOptions({ filtersText: e.target.value })} />
        </label>
        <div className="replay-filter-buttons">
          <button type="button" className="btn btn-small" onClick={() => void loadStoredFilters()}>
            Load filters.json
          </button>
          <button type="button" className="btn btn-small" onClick={() => void saveStoredFilters()}>
            Save to filters.json
          </button>
          {filtersNote ? <span className="muted" role="status">{filtersNote}</span> : null}
        </div>
      </fieldset>
      {running ? (
        <button type="button" className="btn btn-danger" onClick={() => void cancelReplay()}>
          Cancel replay
        </button>
      ) : (
        <button type="button" className="btn btn-primary" disabled={files.length === 0} onClick={() => void startReplay()}>
          Start replay
        </button>
      )}
    </div>
  );
}

function PastRuns() {
  const runs = useReplay((s) => s.runs);
  const runId = useReplay((s) => s.runId);
  if (runs.length === 0) return null;
  return (
    <div className="replay-runs">
      <h3>Runs</h3>
      <ul aria-label="Replay runs">
        {runs.map((r) => (
          <li key={r.runId} className={r.runId === runId ? 'selected' : undefined}>
            <button type="button" className="link" onClick={() => void openRun(r.runId)} title={r.runId}>
              {new Date(r.startedAt).toLocaleString()} · {count(r.delivered)}/{count(r.total)} delivered{r.finished ? '' : ' (stopped)'}
            </button>
            <button type="button" className="btn btn-small" aria-label={`Delete run ${r.runId}`} onClick={() => void deleteRun(r.runId)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Progress() {
  const p = useReplay((s) => s.progress);
  const uploading = useReplay((s) => s.uploading);
  // Bytes read, scaled by the events read that are finished (reading runs ahead of delivery).
  const fraction = p && p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) * (p.eventsRead > 0 ? Math.min(1, p.finished / p.eventsRead) : 0) : null;
  const rate = p && p.elapsedMs > 0 ? (p.finished / p.elapsedMs) * 1000 : 0;
  const eta = p && fraction && fraction > 0.01 ? ((1 - fraction) / fraction) * p.elapsedMs : null;
  return (
    <div className="replay-progress" role="status" aria-label="Replay progress">
      <progress max={1} value={fraction ?? (uploading && !p ? uploading.sent / Math.max(1, uploading.total) : undefined)} />
      <div>
        {p ? (
          <>
            <strong data-testid="replay-finished">{count(p.finished)}</strong> events · {count(Math.round(rate))}/s · {count(p.delivered)} delivered · {count(p.failed)} failed ·{' '}
            {count(p.filtered)} filtered · {count(p.skipped)} skipped
            {fraction !== null ? ` · ${Math.round(fraction * 100)}%` : ''}
            {eta !== null ? ` · ETA ${formatMs(eta)}` : ''}
          </>
        ) : uploading ? (
          <span data-testid="replay-uploading">
            Uploading the files: {(uploading.sent / 1024 / 1024).toFixed(1)} of {(uploading.total / 1024 / 1024).toFixed(1)} MB
          </span>
        ) : (
          'Starting…'
        )}
      </div>
    </div>
  );
}

function Dashboard({ summary }: { summary: ReplaySummary }) {
  const failed = summary.total - summary.delivered - summary.filtered;
  const categories = Object.entries(summary.byOutcome).filter(([c, n]) => c !== 'Success' && c !== 'Filtered' && n) as Array<[ReplayCategory, number]>;
  return (
    <div className="replay-dashboard" data-testid="replay-dashboard">
      <div className="replay-tiles">
        <Tile label="Events" value={summary.total} />
        <Tile label="Delivered" value={summary.delivered} tone="ok" note={summary.retried.delivered ? `${count(summary.retried.delivered)} after retry` : undefined} onClick={() => void setFilter({ category: 'Success' })} />
        <Tile label="Filtered" value={summary.filtered} onClick={() => void setFilter({ category: 'Filtered' })} />
        {categories.map(([c, n]) => (
          <Tile key={c} label={c} value={n} tone="bad" note={(c === 'Retry' || c === 'Timeout') && summary.retried.gaveUp ? `${count(summary.retried.gaveUp)} given up` : undefined} onClick={() => void setFilter({ category: c })} />
        ))}
        <Tile label="Skipped lines" value={summary.skipped.count} tone={summary.skipped.count ? 'warn' : undefined} />
      </div>
      <p className="muted replay-facts">
        {summary.cancelled ? <strong>Cancelled · </strong> : null}
        {count(failed)} not delivered · {count(summary.attempts)} attempts in {count(summary.invocations)} invocations · {formatMs(summary.durationMs)} · {count(Math.round(summary.eventsPerSecond))} events/s
        {summary.simulatedDeliveryMs ? ` · simulated delivery time ${formatMs(summary.simulatedDeliveryMs)}` : ''} · requests {summary.options.live ? 'live' : 'mocked'} · inputs{' '}
        {summary.inputs.map((i) => `${i.file.split(/[\\/]/).pop()} (${i.format}${i.gzip ? ', gzip' : ''})`).join(', ')}
      </p>
      <div className="replay-exports">
        <button type="button" className="btn btn-small" onClick={() => download(`replay-${summary.runId}-summary.json`, JSON.stringify(summary, null, 2), 'application/json')}>
          Export summary JSON
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            void allRows()
              .then((rows) => download(`replay-${summary.runId}-events.csv`, eventsCsv(rows), 'text/csv'))
              .catch((err: unknown) => showError('Could not export the events', err))
          }
        >
          Export events CSV
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            void allDetails()
              .then((details) => download(`replay-${summary.runId}-requests.har`, requestsHar(details, summary.startedAt), 'application/json'))
              .catch((err: unknown) => showError('Could not export the requests', err))
          }
        >
          Export requests HAR
        </button>
      </div>
      <div className="replay-charts">
        <LatencyChart latency={summary.latencyMs} />
        <ThroughputChart throughput={summary.throughput} />
      </div>
      {summary.topErrors.length > 0 ? (
        <section className="replay-errors" aria-label="Top errors">
          <h3>Top errors</h3>
          <ol>
            {summary.topErrors.map((e) => (
              <li key={e.message}>
                <button type="button" className="link" title={e.example} onClick={() => void setFilter({ error: e.message.split(/[#…]/)[0].trim().slice(0, 200), category: e.category })}>
                  <span className="count">{count(e.count)}</span> {e.category}: {e.count === 1 ? e.example : e.message}
                </button>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {summary.skipped.count > 0 ? (
        <details className="replay-skipped">
          <summary>
            {count(summary.skipped.count)} skipped lines ({Object.entries(summary.skipped.byReason).map(([r, n]) => `${r} ${n}`).join(', ')})
          </summary>
          <ul>
            {summary.skipped.lines.map((l, i) => (
              <li key={i}>
                <code>
                  {l.file}:{l.line}
                </code>{' '}
                {l.reason}: {l.detail}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <EventsTable />
    </div>
  );
}

function Tile({ label, value, tone, note, onClick }: { label: string; value: number; tone?: 'ok' | 'bad' | 'warn'; note?: string; onClick?: () => void }) {
  const body = (
    <>
      <span className="tile-value">{count(value)}</span>
      <span className="tile-label">{label}</span>
      {note ? <span className="tile-note">{note}</span> : null}
    </>
  );
  return onClick ? (
    <button type="button" className={`replay-tile${tone ? ` tile-${tone}` : ''}`} data-testid={`tile-${label}`} onClick={onClick}>
      {body}
    </button>
  ) : (
    <div className={`replay-tile${tone ? ` tile-${tone}` : ''}`} data-testid={`tile-${label}`}>
      {body}
    </div>
  );
}

const ROW_HEIGHT = 28;

function EventsTable() {
  const rows = useReplay((s) => s.rows);
  const matched = useReplay((s) => s.matched);
  const filter = useReplay((s) => s.filter);
  const selected = useReplay((s) => s.selected);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 20 && rows.length < matched) void loadRows(false);
  }, [last, rows.length, matched]);
  const [errorText, setErrorText] = useState(filter.error);
  useEffect(() => setErrorText(filter.error), [filter.error]);
  return (
    <section className="replay-events" aria-label="Events">
      <div className="replay-events-filter">
        <select aria-label="Filter by outcome" value={filter.category} onChange={(e) => void setFilter({ category: e.target.value as ReplayCategory | '' })}>
          <option value="">All outcomes</option>
          {[...OUTCOME_CATEGORIES, 'Filtered'].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select aria-label="Filter by type" value={filter.type} onChange={(e) => void setFilter({ type: e.target.value })}>
          <option value="">All types</option>
          {['track', 'identify', 'page', 'screen', 'group', 'alias', 'delete'].map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <input
          type="search"
          aria-label="Filter by error"
          placeholder="Error contains…"
          value={errorText}
          onChange={(e) => setErrorText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void setFilter({ error: errorText })}
          onBlur={() => errorText !== filter.error && void setFilter({ error: errorText })}
        />
        <span className="muted" data-testid="replay-matched">
          {count(matched)} event{matched === 1 ? '' : 's'}
        </span>
      </div>
      <div className="replay-events-split">
        <div className="replay-table" ref={scroller} role="grid" aria-label="Replayed events" aria-rowcount={matched}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const r = rows[item.index];
              return (
                <div
                  key={r.seq}
                  role="row"
                  className={`replay-row${selected?.seq === r.seq ? ' selected' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  onClick={() => void selectEvent(r)}
                >
                  <span className="cell-seq">#{r.seq}</span>
                  <span className="cell-type">
                    {r.type}
                    {r.event ? ` · ${r.event}` : ''}
                  </span>
                  <span className="cell-outcome">{r.category === 'Filtered' ? <span className="badge badge-dropped">Filtered</span> : <OutcomeBadge category={r.category} />}</span>
                  <span className="cell-attempts" title="attempts">
                    ×{r.attempts}
                  </span>
                  <span className="cell-latency">{r.attempts ? formatMs(r.latencyMs) : ''}</span>
                  <span className="cell-error" title={r.error ?? r.filteredBy ?? ''}>
                    {r.error ?? r.filteredBy ?? ''}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
        <EventDetail />
      </div>
    </section>
  );
}

function EventDetail() {
  const selected = useReplay((s) => s.selected);
  const detail = useReplay((s) => s.detail);
  const detailError = useReplay((s) => s.detailError);
  const functionId = useReplay((s) => s.functionId);
  if (!selected) return <div className="replay-detail empty-hint">Click an event to see its logs, requests and result.</div>;
  const json = detail ? JSON.stringify(detail.event, null, 2) : null;
  return (
    <div className="replay-detail" aria-label="Event details">
      <div className="replay-detail-head">
        <strong>
          #{selected.seq} · {selected.file.split(/[\\/]/).pop()}:{selected.line}
        </strong>
        <span className="muted">
          {' '}
          · {selected.end}, {selected.attempts} attempt{selected.attempts === 1 ? '' : 's'}
          {selected.virtualMs ? ` over ${formatMs(selected.virtualMs)} (simulated)` : ''}
        </span>
        <span className="spacer" />
        {json ? (
          <>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                loadEventText(json, `replay:${selected.seq}`);
                closeReplayForEditor();
              }}
            >
              Open in event editor
            </button>
            <button type="button" className="btn btn-small" onClick={() => void saveAsTestEvent(functionId, selected, json)}>
              Save as test event
            </button>
            {detail && detail.batchIndex === undefined ? (
              <button type="button" className="btn btn-small" title="Create a test case whose expectations are this event's outcome" onClick={() => void saveReplayedAsTest(detail.event, detail.outcome)}>
                Save as test
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      {detailError ? <p className="muted">{detailError}</p> : null}
      {detail ? <OutcomeView outcome={detail.outcome} /> : null}
    </div>
  );
}

/**
 * "Save as test" for a replayed event: the same draft as from a single run's outcome, in the
 * Tests tab behind this view. A batch member is left out: its outcome is the whole batch's.
 */
async function saveReplayedAsTest(event: unknown, outcome: Outcome): Promise<void> {
  useStudio.setState({ outcome, outcomeInput: event });
  closeReplay();
  await startSaveAsTest();
}

function closeReplayForEditor(): void {
  closeReplay();
  showInfo('The replayed event is in the event editor.');
}

async function saveAsTestEvent(functionId: string | null, record: ReplayEventRecord, json: string): Promise<void> {
  if (!functionId) return;
  const suggested = `replay-${(record.event ?? record.type).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${record.seq}`;
  const name = await prompt('Save as test event', 'Event name', suggested, 'Save', 'Saved into this function’s events/ folder.');
  if (name === null) return;
  try {
    await api.functions.saveEvent(functionId, name.trim(), json);
    showInfo(`Saved event ${name.trim()}`);
  } catch (err) {
    showError('Could not save the event', err);
  }
}
