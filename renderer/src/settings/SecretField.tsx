/**
 * The preview's input for an encrypted setting. The value goes straight to the host
 * (which keeps it in the OS keychain) and is never kept by the UI: once saved, the field
 * only shows that a value is set, masked. "Reveal" asks the host for the plaintext on
 * explicit request and shows it until hidden.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { SettingType, SettingValue } from '../../../main/contract';
import { isKeychainLocked } from './keychain-status';
import { revealedText } from './test-values';

interface SecretFieldProps {
  id: string;
  label: string;
  type: SettingType;
  isSet: boolean;
  /** Why the keychain cannot be used, or null when it can. */
  keychainProblem: string | null;
  disabled: boolean;
  describedBy?: string;
  onCommit: (value: SettingValue) => Promise<boolean>;
  onReveal: () => Promise<string | null>;
  /** Editor for non-STRING types (toggle, rows, list); it commits through `commit`. */
  renderEditor: (commit: (value: SettingValue) => void) => ReactNode;
}

export function SecretField({ id, label, type, isSet, keychainProblem, disabled, describedBy, onCommit, onReveal, renderEditor }: SecretFieldProps) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [revealed, setRevealed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const locked = disabled || keychainProblem !== null;

  // A revealed value must not outlive a change of the stored value (or the keychain going away).
  useEffect(() => {
    setRevealed(null);
  }, [isSet, keychainProblem]);

  const commit = async (value: SettingValue) => {
    if (value === null || value === '' || busy) return;
    setBusy(true);
    const ok = await onCommit(value);
    setBusy(false);
    if (ok) {
      setText('');
      setEditing(false);
    }
  };

  if (isSet && !editing) {
    return (
      <div className="pv-secret">
        {revealed !== null ? (
          <input id={id} type="text" className="pv-input pv-revealed" aria-label={`${label} (revealed)`} aria-describedby={describedBy} value={revealedText(type, revealed)} readOnly spellCheck={false} />
        ) : (
          <div id={id} className="pv-input pv-mask" role="textbox" aria-readonly="true" aria-label={label} aria-describedby={describedBy} data-testid="secret-mask">
            <span aria-hidden="true">••••••••••••</span>
            <span className="pv-set-badge">set · in keychain</span>
          </div>
        )}
        <div className="pv-secret-actions">
          {revealed !== null ? (
            <button type="button" className="btn btn-small" onClick={() => setRevealed(null)}>
              Hide
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              aria-label={`Reveal ${label}`}
              disabled={locked || busy}
              onClick={() => {
                setBusy(true);
                void onReveal().then((value) => {
                  setBusy(false);
                  setRevealed(value);
                });
              }}
            >
              Reveal
            </button>
          )}
          <button type="button" className="btn btn-small" aria-label={`Change ${label}`} disabled={locked || busy} onClick={() => setEditing(true)}>
            Change
          </button>
          <button
            type="button"
            className="btn btn-small"
            aria-label={`Clear ${label}`}
            disabled={locked || busy}
            onClick={() => {
              setBusy(true);
              void onCommit(null).then(() => setBusy(false));
            }}
          >
            Clear
          </button>
        </div>
      </div>
    );
  }

  if (type !== 'STRING') {
    return (
      <div className="pv-secret">
        {renderEditor((value) => void commit(value))}
        {editing ? (
          <div className="pv-secret-actions">
            <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        ) : null}
      </div>
    );
  }

  return (
    <div className="pv-secret">
      <input
        id={id}
        type="password"
        className="pv-input"
        aria-label={label}
        aria-describedby={describedBy}
        value={text}
        placeholder={keychainProblem ? (isKeychainLocked(keychainProblem) ? 'Keychain locked' : 'Keychain unavailable') : 'Enter a test value (kept in the OS keychain)'}
        disabled={locked || busy}
        autoComplete="new-password"
        spellCheck={false}
        autoFocus={editing}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void commit(text);
          if (e.key === 'Escape' && editing) {
            setText('');
            setEditing(false);
          }
        }}
        onBlur={() => void commit(text)}
      />
      <div className="pv-secret-actions">
        <button type="button" className="btn btn-small" aria-label={`Save ${label}`} disabled={locked || busy || text === ''} onMouseDown={(e) => e.preventDefault()} onClick={() => void commit(text)}>
          Save
        </button>
        {editing ? (
          <button
            type="button"
            className="btn btn-small"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              setText('');
              setEditing(false);
            }}
          >
            Cancel
          </button>
        ) : null}
      </div>
    </div>
  );
}
