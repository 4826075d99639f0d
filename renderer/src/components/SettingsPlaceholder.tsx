/** Slot for the settings feature (test values, encrypted settings in the keychain). */
export function SettingsPlaceholder() {
  return (
    <div className="placeholder">
      <h3>Settings</h3>
      <p>
        Editing function settings and their test values (encrypted ones kept in the OS keychain) arrives with the settings
        feature. Your code reads them from the <code>settings</code> argument.
      </p>
    </div>
  );
}
