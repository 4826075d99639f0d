/**
 * How the settings will look on Segment's destination settings page, updated as the
 * builder changes, and at the same time the form for this studio's test values.
 */
import type { SettingValue } from '../../../main/contract';
import { useStudio } from '../state/store';
import { reportFieldProblem, revealSecret, setTestValue } from './settings-actions';
import { isSavedAsIs, type DraftSetting } from './settings-draft';
import { useSettings, type FieldStatus } from './settings-store';
import { isEmptyValue, storedValueProblem } from './test-values';
import { SecretField } from './SecretField';
import { ArrayInput, BooleanToggle, StringInput, TextMapInput, type ValueInputProps } from './TestValueInputs';

export function SettingsPreview() {
  const drafts = useSettings((s) => s.drafts);
  const displayName = useStudio((s) => s.current?.meta.displayName ?? '');
  return (
    <section className="settings-preview" aria-label="Preview">
      <div className="pv-header">
        <h3 className="pane-title">Preview · destination settings</h3>
        <p className="muted">
          What a destination instance of “{displayName}” asks for on Segment. Values you enter here are this studio’s test values for runs.
        </p>
      </div>
      {drafts.length === 0 ? (
        <p className="pv-empty muted">No settings yet. Settings you add appear here as they will on the destination’s settings page.</p>
      ) : (
        <div className="pv-page">
          {drafts.map((d) => (
            <PreviewField key={d.key} draft={d} />
          ))}
        </div>
      )}
    </section>
  );
}

function PreviewField({ draft }: { draft: DraftSetting }) {
  const saved = useSettings((s) => s.saved);
  const testValues = useSettings((s) => s.testValues);
  const status = useSettings((s) => (draft.name ? s.fieldStatus[draft.name] : undefined));
  const ready = testValues !== null && isSavedAsIs(draft, saved);
  const id = `pv-${draft.key}`;
  const descId = `${id}-desc`;
  const label = draft.label.trim() || 'Untitled setting';
  const value = ready ? testValues.values[draft.name] : undefined;
  const commit = (v: SettingValue) => void setTestValue(draft.name, v);
  const inputProps: ValueInputProps = {
    id,
    label,
    value,
    disabled: !ready,
    onCommit: commit,
    onProblem: (message) => reportFieldProblem(draft.name, message),
    describedBy: draft.description ? descId : undefined,
  };
  const editor = (props: ValueInputProps) => {
    switch (draft.type) {
      case 'STRING':
        return <StringInput {...props} />;
      case 'BOOLEAN':
        return <BooleanToggle {...props} />;
      case 'TEXT_MAP':
        return <TextMapInput {...props} />;
      case 'ARRAY':
        return <ArrayInput {...props} />;
    }
  };
  const keychain = testValues?.keychain;

  return (
    <div className="pv-field" data-testid="preview-field" data-setting={draft.name}>
      <div className="pv-label-row">
        <label className="pv-label" htmlFor={id}>
          {label}
        </label>
        {draft.required ? (
          <span className="pv-required" title="Required">
            <span aria-hidden="true">*</span>
            <span className="visually-hidden">required</span>
          </span>
        ) : null}
        {draft.sensitive ? <span className="pv-tag">Encrypted</span> : null}
        <span className="spacer" />
        <code className="pv-name" title="How your code reads it">
          settings.{draft.name || '…'}
        </code>
      </div>
      {draft.description ? (
        <p className="pv-description" id={descId}>
          {draft.description}
        </p>
      ) : null}
      {draft.sensitive ? (
        <SecretField
          // A new stored state remounts the field (clears what was typed).
          key={`${ready}`}
          id={id}
          label={label}
          type={draft.type}
          isSet={ready && testValues.secretsSet[draft.name] === true}
          keychainProblem={keychain && !keychain.available ? (keychain.problem ?? 'keychain unavailable') : null}
          disabled={!ready}
          describedBy={inputProps.describedBy}
          onCommit={(v) => setTestValue(draft.name, v)}
          onReveal={() => revealSecret(draft.name)}
          renderEditor={(secretCommit) => editor({ ...inputProps, value: undefined, onCommit: secretCommit })}
        />
      ) : (
        editor(inputProps)
      )}
      <FieldNote
        ready={ready}
        status={status}
        sensitive={draft.sensitive}
        missing={ready && draft.required && (draft.sensitive ? testValues.secretsSet[draft.name] !== true : isEmptyValue(value))}
        keychainBlocked={draft.sensitive && Boolean(keychain && !keychain.available)}
        storedProblem={ready && !draft.sensitive ? storedValueProblem(draft.type, value) : null}
      />
    </div>
  );
}

interface FieldNoteProps {
  ready: boolean;
  status: FieldStatus | undefined;
  sensitive: boolean;
  /** The setting is required and has no test value. */
  missing: boolean;
  /** An encrypted setting while the keychain cannot be used: no value can be entered now. */
  keychainBlocked: boolean;
  storedProblem: string | null;
}

function FieldNote({ ready, status, sensitive, missing, keychainBlocked, storedProblem }: FieldNoteProps) {
  if (!ready) return <p className="pv-note muted">Save the settings to enter a test value.</p>;
  if (status?.state === 'error') {
    return (
      <p className="pv-note pv-error" role="alert">
        {status.message}
      </p>
    );
  }
  return (
    <>
      {status?.state === 'saving' ? <p className="pv-note muted">Saving…</p> : null}
      {status?.state === 'saved' ? (
        <p className="pv-note pv-ok">{status.cleared ? 'Cleared' : sensitive ? 'Saved in the OS keychain' : 'Saved'}</p>
      ) : null}
      {storedProblem ? <p className="pv-note pv-warning">{storedProblem}</p> : null}
      {missing && status?.state !== 'saving' ? (
        <p className="pv-note muted">
          {keychainBlocked
            ? 'Required: runs are refused with Invalid Settings while the OS keychain cannot be used (see above).'
            : 'Required: runs are refused with Invalid Settings until it has a test value.'}
        </p>
      ) : null}
    </>
  );
}
