import { useState } from 'react';
import { browseRemote, closeRemotes, connectRemote, pullFunctions, removeRemote } from './sync-actions';
import { useSync } from './sync-store';

/** Connect Segment workspaces, browse one, and pull functions from it. */
export function RemotesDialog() {
  const open = useSync((s) => s.remotesOpen);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeRemotes()}>
      <div className="modal remotes-dialog" role="dialog" aria-modal="true" aria-label="Segment workspaces" onKeyDown={(e) => e.key === 'Escape' && closeRemotes()}>
        <h2>Segment workspaces</h2>
        <RemoteList />
        <ConnectForm />
        <Browser />
        <div className="modal-buttons">
          <button type="button" className="btn btn-plain" onClick={closeRemotes}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

function RemoteList() {
  const remotes = useSync((s) => s.remotes);
  const browsing = useSync((s) => s.browsing?.remote ?? null);
  if (remotes.length === 0) return <p className="muted">No Segment workspace connected yet.</p>;
  return (
    <ul className="remote-list" aria-label="Connected Segment workspaces">
      {remotes.map((r) => (
        <li key={r.name} className={browsing === r.name ? 'selected' : undefined}>
          <span className="remote-name">{r.name}</span>
          <span className="muted">{r.region ? r.region.toUpperCase() : r.apiUrl}</span>
          <span className="spacer" />
          <button type="button" className="btn btn-small" onClick={() => void browseRemote(r.name)}>
            Browse {r.name}
          </button>
          <button type="button" className="btn btn-small" aria-label={`Disconnect ${r.name}`} onClick={() => void removeRemote(r.name)}>
            Disconnect
          </button>
        </li>
      ))}
    </ul>
  );
}

function ConnectForm() {
  const [name, setName] = useState('');
  const [region, setRegion] = useState<'us' | 'eu' | 'custom'>('us');
  const [apiUrl, setApiUrl] = useState('');
  const [token, setToken] = useState('');
  const connecting = useSync((s) => s.connecting);
  const result = useSync((s) => s.connectResult);
  const canSubmit = name.trim() !== '' && token.trim() !== '' && (region !== 'custom' || apiUrl.trim() !== '') && !connecting;
  return (
    <form
      className="connect-form"
      aria-label="Connect a Segment workspace"
      onSubmit={(e) => {
        e.preventDefault();
        if (!canSubmit) return;
        void connectRemote({ name, region, apiUrl, token }).then((ok) => {
          // The token leaves the page once it is in the keychain.
          if (ok) setToken('');
        });
      }}
    >
      <h3>Connect a Segment workspace</h3>
      <label className="field">
        <span>Name (as in the CLI, e.g. prod)</span>
        <input aria-label="Remote name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>Region</span>
        <select aria-label="Region" value={region} onChange={(e) => setRegion(e.target.value as 'us' | 'eu' | 'custom')}>
          <option value="us">US (api.segmentapis.com)</option>
          <option value="eu">EU (eu1.api.segmentapis.com)</option>
          <option value="custom">Other API URL…</option>
        </select>
      </label>
      {region === 'custom' ? (
        <label className="field">
          <span>API URL (https; http only for 127.0.0.1)</span>
          <input aria-label="API URL" value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} placeholder="https://api.segmentapis.com" />
        </label>
      ) : null}
      <label className="field">
        <span>Public API token (kept only in the OS keychain, never shown again)</span>
        <input aria-label="Public API token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-primary" disabled={!canSubmit}>
        {connecting ? <span className="spinner spinner-inline" aria-hidden="true" /> : null} Connect
      </button>
      {result ? (
        <p className={result.ok ? 'connect-ok' : 'connect-error'} role={result.ok ? 'status' : 'alert'} data-testid="connect-result">
          {result.text}
        </p>
      ) : null}
    </form>
  );
}

function Browser() {
  const browsing = useSync((s) => s.browsing);
  const busy = useSync((s) => s.busy === 'pull');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  if (!browsing) return null;
  const { remote, functions, error, pullResults } = browsing;
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  return (
    <section className="remote-browser" aria-label={`Functions in ${remote}`}>
      <h3>Functions in {remote}</h3>
      {error ? <p className="connect-error" role="alert">{error}</p> : null}
      {functions === null ? <p className="muted">Loading…</p> : null}
      {functions && functions.length === 0 && !error ? <p className="muted">No functions.</p> : null}
      {functions && functions.length > 0 ? (
        <ul className="remote-functions">
          {functions.map((f) => (
            <li key={f.id}>
              <label className={f.pullable ? undefined : 'muted'}>
                <input type="checkbox" disabled={!f.pullable} checked={chosen.has(f.id)} onChange={() => toggle(f.id)} aria-label={`Pull ${f.displayName}`} />
                {f.displayName}
                <span className="muted"> {f.pullable ? f.id : `${f.resourceType.toLowerCase()} function · read-only`}</span>
                {f.linkedTo ? <span className="muted"> · linked to {f.linkedTo}</span> : null}
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="remote-browser-buttons">
        <button type="button" className="btn btn-primary" disabled={busy || chosen.size === 0} onClick={() => void pullFunctions(remote, [...chosen]).then(() => setChosen(new Set()))}>
          Pull selected
        </button>
        <button type="button" className="btn" disabled={busy || !functions?.some((f) => f.pullable)} onClick={() => void pullFunctions(remote, 'all')}>
          Pull all
        </button>
      </div>
      {pullResults ? (
        <ul className="pull-results" aria-label="Pull results">
          {pullResults.map((r) => (
            <li key={r.remoteFunctionId} className={`pull-${r.action}`}>
              {r.action}: {r.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
