/**
 * The side panel's Settings tab: the settings builder beside a live preview of the
 * destination's settings page, which doubles as the test values form.
 */
import { useEffect, useState } from 'react';
import { onHostEvent } from '../platform/api';
import { useStudio } from '../state/store';
import { WarningIcon } from '../components/Icons';
import { addSetting, isDirty, loadTestValues, revertSettings, saveSettings, syncWithFunction } from './settings-actions';
import { sameSchema, schemaFromDrafts } from './settings-draft';
import { keychainBannerText } from './keychain-status';
import { useSettings } from './settings-store';
import { SettingsBuilder } from './SettingsBuilder';
import { SettingsPreview } from './SettingsPreview';
import './settings.css';

export function SettingsPanel() {
  const current = useStudio((s) => s.current);
  const functionId = current?.id ?? null;
  const meta = current?.meta ?? null;

  useEffect(() => {
    syncWithFunction(functionId, meta);
  }, [functionId, meta]);

  // Unsaved settings are lost with the page: let the browser ask first.
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!isDirty()) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  // settings.local.json or the schema may change outside the studio (an editor, git, the CLI).
  useEffect(
    () =>
      onHostEvent((event) => {
        const id = useSettings.getState().functionId;
        if (event.type === 'functions.changed' && id !== null && (event.id === null || event.id === id)) void loadTestValues();
      }),
    [],
  );

  if (!current) {
    return (
      <div className="settings-panel">
        <p className="empty-hint">Open a function to design its settings and enter test values.</p>
      </div>
    );
  }
  return <SettingsTab />;
}

function SettingsTab() {
  const drafts = useSettings((s) => s.drafts);
  const saving = useSettings((s) => s.saving);
  const saveError = useSettings((s) => s.saveError);
  const changedOnDisk = useSettings((s) => s.changedOnDisk);
  const testValues = useSettings((s) => s.testValues);
  const testValuesError = useSettings((s) => s.testValuesError);
  const dirty = useSettings((s) => !sameSchema(schemaFromDrafts(s.drafts), s.saved));
  const keychain = testValues?.keychain;
  const banner = keychainBannerText(keychain?.problem);
  // The host asks the keychain afresh on every read of the test values, so Retry is just another read.
  const [recheckingKeychain, setRecheckingKeychain] = useState(false);
  const recheckKeychain = async () => {
    setRecheckingKeychain(true);
    await loadTestValues();
    setRecheckingKeychain(false);
  };
  // A run reads the keychain too: after one, the banner must say what the run found (a
  // keychain unlocked or locked since), so encrypted settings' state is read again.
  const outcome = useStudio((s) => s.outcome);
  // The keychain only matters to a function with encrypted settings (saved, or being added).
  const hasEncrypted = useSettings((s) => s.saved.some((setting) => setting.sensitive) || s.drafts.some((d) => d.sensitive));
  const keychainMatters = hasEncrypted || Boolean(keychain?.problem);
  useEffect(() => {
    if (outcome && keychainMatters) void loadTestValues();
    // Only a new outcome asks again; the banner's own changes must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the outcome alone, as said above
  }, [outcome]);

  return (
    <section
      className="settings-panel"
      aria-label="Settings"
      onKeyDown={(e) => {
        // Ctrl/⌘+S inside this tab saves the settings; the studio's handler (code) sees it as handled.
        if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S') && isDirty()) {
          e.preventDefault();
          void saveSettings();
        }
      }}
    >
      {keychain && !keychain.available && hasEncrypted ? (
        <div className="settings-banner" role="alert" data-testid="keychain-banner">
          <WarningIcon />
          <span>
            {/* The way out comes before the consequences: a narrow panel may cut the banner short. */}
            <strong>{banner.title}:</strong>
            {banner.action ? ` ${banner.action}` : ' fnstudio keeps encrypted test values only there.'} Until then encrypted test values cannot be read or
            saved, and runs that need them are refused with Invalid Settings.{' '}
            <details className="keychain-details">
              <summary>Details</summary>
              <span data-testid="keychain-detail">{banner.detail}</span>
            </details>
          </span>
          <span className="spacer" />
          <button type="button" className="btn btn-small" disabled={recheckingKeychain} onClick={() => void recheckKeychain()}>
            {recheckingKeychain ? 'Checking…' : 'Retry'}
          </button>
        </div>
      ) : null}
      {testValuesError ? (
        <div className="settings-banner" role="alert">
          <WarningIcon />
          <span>
            <strong>Test values could not be read:</strong> {testValuesError}
          </span>
        </div>
      ) : null}
      {changedOnDisk ? (
        <div className="settings-banner" role="alert">
          <WarningIcon />
          <span>function.json’s settings changed on disk while you were editing them.</span>
          <span className="spacer" />
          <button type="button" className="btn btn-small" onClick={revertSettings}>
            Load from disk
          </button>
        </div>
      ) : null}
      <div className="settings-toolbar">
        <button type="button" className="btn btn-small" onClick={() => addSetting()}>
          + Add setting
        </button>
        <span className="muted settings-count">
          {drafts.length} setting{drafts.length === 1 ? '' : 's'}
        </span>
        <span className="spacer" />
        {dirty ? <span className="dirty-label">unsaved</span> : null}
        <button type="button" className="btn btn-small" disabled={!dirty || saving} onClick={revertSettings}>
          Revert
        </button>
        <button type="button" className="btn btn-small btn-primary" disabled={!dirty || saving} onClick={() => void saveSettings()}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
      </div>
      {saveError ? (
        <p className="settings-save-error" role="alert">
          {saveError}
        </p>
      ) : null}
      <div className="settings-columns">
        <SettingsBuilder />
        <SettingsPreview />
      </div>
    </section>
  );
}
