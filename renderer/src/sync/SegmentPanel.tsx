import { useEffect, useState } from 'react';
import { api } from '../platform/api';
import { useStudio } from '../state/store';
import { loadHistory, openConflict, openRemotes, pullCurrent, unlinkCurrent, restoreVersion, showVersionDiff, startPush } from './sync-actions';
import { STATE_LABELS, useSync } from './sync-store';

/** The side panel's Segment tab: the open function's link, Save / Save & Deploy, and its history. */
export function SegmentPanel() {
  const current = useStudio((s) => s.current);
  const status = useSync((s) => (current ? s.statuses[current.id] : undefined));
  const remotes = useSync((s) => s.remotes);
  const busy = useSync((s) => s.busy);
  const lastPush = useSync((s) => (current ? s.lastPush[current.id] : undefined));
  const [target, setTarget] = useState('');
  const handlerFile = useHandlerFile(current?.id);
  if (!current) return <p className="panel-hint">Open a function to save it to a Segment workspace.</p>;
  const linked = status?.remote ?? null;
  const remoteName = linked ? undefined : target || remotes[0]?.name;
  const canPush = Boolean(linked || remoteName) && busy === null;
  return (
    <div className="segment-panel">
      <section>
        {linked ? (
          <p>
            Linked to <strong>{linked.name}</strong> · <code>{linked.functionId}</code>{' '}
            <span className={`sync-badge sync-${status!.state}`} data-testid="segment-panel-state">
              {STATE_LABELS[status!.state]}
            </span>
          </p>
        ) : remotes.length === 0 ? (
          <p>
            Not linked to a Segment workspace.{' '}
            <button type="button" className="btn btn-small" onClick={openRemotes}>
              Connect one…
            </button>
          </p>
        ) : (
          <label className="field-inline">
            Create in
            <select aria-label="Segment workspace to create in" value={remoteName} onChange={(e) => setTarget(e.target.value)}>
              {remotes.map((r) => (
                <option key={r.name} value={r.name}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {status?.compiledFrom || handlerFile === 'handler.ts' ? <CompiledNote file="handler.ts" /> : null}
        {status?.problem ? <p className="connect-error">{status.problem}</p> : null}
        {status?.state === 'remote-deleted' ? (
          <p>
            This function was deleted in the Segment workspace. Your files are untouched.{' '}
            <button type="button" className="btn btn-small" onClick={() => void unlinkCurrent(current.id)}>
              Unlink…
            </button>
          </p>
        ) : null}
        {status?.state === 'conflict' ? (
          <button type="button" className="btn" onClick={() => void openConflict(current.id)}>
            Resolve conflict…
          </button>
        ) : null}
        <div className="segment-actions">
          <button type="button" className="btn btn-primary" disabled={!canPush} onClick={() => void startPush(false, remoteName)}>
            Save to Segment…
          </button>
          <button type="button" className="btn" disabled={!canPush} onClick={() => void startPush(true, remoteName)}>
            Save &amp; Deploy…
          </button>
          {linked ? (
            <button type="button" className="btn" disabled={busy !== null} title="Bring the Segment workspace's version into this folder (local edits make it a conflict, never an overwrite)" onClick={() => void pullCurrent(current.id)}>
              Pull
            </button>
          ) : null}
        </div>
        {status?.deployed ? (
          <p className="muted" data-testid="deployed-state">
            The API reports: deployedAt {status.deployed.deployedAt ?? 'not reported'}; isLatestVersion {String(status.deployed.isLatestVersion ?? 'not reported')}.
          </p>
        ) : null}
        {lastPush ? (
          <p className="push-report" data-testid="push-report">
            {lastPush.text}
          </p>
        ) : null}
      </section>
      {linked ? <History functionId={current.id} /> : null}
    </div>
  );
}

/** The open function's handler file (handler.js or handler.ts), read from the host: the studio state does not keep it. */
function useHandlerFile(functionId: string | undefined): string | null {
  const [found, setFound] = useState<{ functionId: string; file: string } | null>(null);
  useEffect(() => {
    if (!functionId) return;
    let live = true;
    api.functions.get(functionId).then(
      (detail) => {
        if (live) setFound({ functionId, file: detail.handlerFile });
      },
      () => {
        // Unreadable: the editor says why; the note just stays away.
      },
    );
    return () => {
      live = false;
    };
  }, [functionId]);
  return found !== null && found.functionId === functionId ? found.file : null;
}

/** A TypeScript function: say plainly what Segment gets. */
function CompiledNote({ file }: { file: string }) {
  return (
    <p className="sync-compiled-note" data-testid="compiled-note">
      Segment runs JavaScript: what is deployed is the compiled {file}. Saving type-checks it first; pulling never overwrites {file} (a changed remote’s code is put in handler.remote.js).
    </p>
  );
}

function History({ functionId }: { functionId: string }) {
  const history = useSync((s) => (s.history?.functionId === functionId ? s.history : null));
  useEffect(() => {
    void loadHistory(functionId);
  }, [functionId]);
  return (
    <section className="history" aria-label="History">
      <h3>
        History{' '}
        <button type="button" className="btn btn-small" onClick={() => void loadHistory(functionId)} disabled={history?.loading}>
          Refresh
        </button>
      </h3>
      {history?.loading && !history.result ? <p className="muted">Loading versions…</p> : null}
      {history?.error ? <p className="connect-error">{history.error}</p> : null}
      {history?.result && !history.result.available ? <p className="muted" data-testid="versions-unavailable">{history.result.message}</p> : null}
      {history?.result?.available ? (
        <ol className="version-list">
          {history.result.versions.map((v, i) => (
            <li key={v.id} data-testid="version-item">
              <span className="version-id" title={v.id}>
                {v.id.slice(0, 10)}
              </span>
              <span className="muted">{v.createdAt ? new Date(v.createdAt).toLocaleString() : '—'}</span>
              <span className="muted">{v.author ?? ''}</span>
              {v.isDeployed ? <span className="sync-badge sync-in-sync">deployed</span> : null}
              {i === 0 ? <span className="sync-badge">latest</span> : null}
              <span className="spacer" />
              <button type="button" className="btn btn-small" aria-label={`Diff version ${v.id} with local`} onClick={() => void showVersionDiff(functionId, v.id)}>
                Diff
              </button>
              <button type="button" className="btn btn-small" aria-label={`Restore version ${v.id}`} disabled={i === 0} onClick={() => void restoreVersion(functionId, v.id)}>
                Restore…
              </button>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
