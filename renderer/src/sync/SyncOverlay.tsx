import { useRef, useState } from 'react';
import type { SyncConflict } from '../../../main/contract';
import { DiffView } from './DiffView';
import { closeOverlay, confirmPush, resolveConflict, restoreVersion } from './sync-actions';
import { useSync } from './sync-store';

/** The push preview, the three-way conflict view and a version's diff, over the studio. */
export function SyncOverlay() {
  const overlay = useSync((s) => s.overlay);
  if (!overlay) return null;
  return (
    <div className="modal-backdrop">
      <div className="modal sync-overlay" role="dialog" aria-modal="true" aria-label={titleOf(overlay.kind)}>
        {overlay.kind === 'preview' ? <Preview /> : overlay.kind === 'conflict' ? <Conflict conflict={overlay.conflict} busy={overlay.busy} /> : <VersionDiff />}
      </div>
    </div>
  );
}

function titleOf(kind: string): string {
  return kind === 'preview' ? 'Save to Segment' : kind === 'conflict' ? 'Conflict with the Segment workspace' : 'Version';
}

function Preview() {
  const overlay = useSync((s) => s.overlay);
  if (overlay?.kind !== 'preview') return null;
  const { preview, deploy, busy } = overlay;
  const target = preview.remoteFunctionId ? `${preview.remoteName} · ${preview.remoteFunctionId}` : `a new function in ${preview.remoteName}`;
  return (
    <>
      <h2>{deploy ? 'Save & Deploy' : 'Save'} to {target}</h2>
      {preview.problems.length > 0 ? (
        <div className="sync-problems" role="alert">
          <p>Fix these first; nothing was sent:</p>
          <ul>
            {preview.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="muted">Left: the Segment workspace now. Right: your files. {deploy ? 'After saving, the deploy call is made where the API accepts it; the deployed state shown afterwards is what the API reports.' : ''}</p>
      {preview.compiledFrom ? (
        <p className="sync-compiled-note" data-testid="compiled-note">
          Segment runs JavaScript: what is deployed is the compiled {preview.compiledFrom}. The right side is that JavaScript.
        </p>
      ) : null}
      <h3>
        {preview.compiledFrom ? `${preview.compiledFrom}, compiled` : 'handler.js'} {preview.codeDiff === '' ? <span className="muted">— no change</span> : null}
      </h3>
      <DiffView original={preview.remote.code} modified={preview.local.code} label="Code changes" />
      <h3>Settings {preview.settingsDiff === '' ? <span className="muted">— no change</span> : null}</h3>
      {preview.settingsDiff ? <pre className="sync-diff-text" data-testid="settings-diff">{preview.settingsDiff}</pre> : null}
      {preview.metaChanges.length > 0 ? (
        <ul className="sync-meta-changes">
          {preview.metaChanges.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : null}
      <div className="modal-buttons">
        <button type="button" className="btn btn-plain" onClick={closeOverlay} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" disabled={busy || preview.problems.length > 0} onClick={() => void confirmPush()}>
          {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null} {deploy ? 'Confirm Save & Deploy' : 'Confirm Save'}
        </button>
      </div>
    </>
  );
}

type Compare = 'theirs-mine' | 'base-mine' | 'base-theirs';

function Conflict({ conflict, busy }: { conflict: SyncConflict; busy: boolean }) {
  const [compare, setCompare] = useState<Compare>('theirs-mine');
  // Taking theirs or a merged text would put JavaScript over a TypeScript handler: only Keep mine is offered.
  const compiledFrom = useSync((s) => s.statuses[conflict.functionId]?.compiledFrom);
  const getMerge = useRef<() => string>(() => conflict.local.code);
  const base = conflict.base;
  const sides: Record<Compare, [string, string]> = {
    'theirs-mine': [conflict.remote.code, conflict.local.code],
    'base-mine': [base?.code ?? '', conflict.local.code],
    'base-theirs': [base?.code ?? '', conflict.remote.code],
  };
  const [left, right] = sides[compare];
  return (
    <>
      <h2>Conflict: “{conflict.local.displayName}” changed in the Segment workspace too</h2>
      <p>
        Since your last pull or save, the Segment workspace changed <strong>{conflict.remoteChanged.join(' and ')}</strong> and you changed{' '}
        <strong>{conflict.localChanged.join(' and ') || 'nothing'}</strong>. Nothing was written on either side. Choose what to keep; whatever is replaced is kept as a backup in the function's
        .fnstudio/backups folder.
      </p>
      {compiledFrom ? (
        <p className="sync-compiled-note" data-testid="compiled-note">
          This function is {compiledFrom}; both sides here are JavaScript (yours compiled). fnstudio never writes JavaScript over {compiledFrom}: pulling puts their code in
          handler.remote.js. Carry their changes into {compiledFrom}, then Keep mine and save.
        </p>
      ) : null}
      <label className="field-inline">
        Compare
        <select aria-label="Compare" value={compare} onChange={(e) => setCompare(e.target.value as Compare)}>
          <option value="theirs-mine">{compiledFrom ? `Theirs (Segment) ↔ Mine (${compiledFrom}, compiled)` : 'Theirs (Segment) ↔ Mine (editable merge)'}</option>
          <option value="base-mine" disabled={!base}>Base ↔ Mine</option>
          <option value="base-theirs" disabled={!base}>Base ↔ Theirs</option>
        </select>
        {!base ? <span className="muted">The base copy is not on this machine.</span> : null}
      </label>
      <DiffView
        key={compare}
        original={left}
        modified={right}
        editable={compare === 'theirs-mine' && !compiledFrom}
        label="Conflict: theirs and mine"
        onEditorReady={(read) => {
          if (compare === 'theirs-mine') getMerge.current = read;
        }}
      />
      {conflict.remoteChanged.includes('settings') || conflict.localChanged.includes('settings') ? (
        <details>
          <summary>Settings: theirs vs mine</summary>
          <div className="sync-settings-compare">
            <pre aria-label="Their settings">{conflict.remote.settings}</pre>
            <pre aria-label="My settings">{conflict.local.settings}</pre>
          </div>
        </details>
      ) : null}
      <div className="modal-buttons">
        <button type="button" className="btn btn-plain" disabled={busy} onClick={closeOverlay}>
          Cancel
        </button>
        {compiledFrom ? null : (
          <button type="button" className="btn" disabled={busy} onClick={() => void resolveConflict({ take: 'theirs' })}>
            Take theirs
          </button>
        )}
        <button type="button" className="btn" disabled={busy} onClick={() => void resolveConflict({ keep: 'mine' })}>
          Keep mine
        </button>
        {compiledFrom ? null : (
          <button type="button" className="btn btn-primary" disabled={busy || compare !== 'theirs-mine'} onClick={() => void resolveConflict({ merged: { code: getMerge.current() } })}>
            Use this merge
          </button>
        )}
      </div>
    </>
  );
}

function VersionDiff() {
  const overlay = useSync((s) => s.overlay);
  if (overlay?.kind !== 'version') return null;
  return (
    <>
      <h2>Version {overlay.versionId} ↔ your code</h2>
      <DiffView original={overlay.versionCode} modified={overlay.localCode} label="Version against local code" />
      <div className="modal-buttons">
        <button type="button" className="btn btn-plain" onClick={closeOverlay}>
          Close
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void restoreVersion(overlay.functionId, overlay.versionId)}>
          Restore this version…
        </button>
      </div>
    </>
  );
}
