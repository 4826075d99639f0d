/** Wording of the keychain banner from the host's KeychainStatus problem text. */
export interface KeychainBannerText {
  title: string;
  detail: string;
  /**
   * What the user can do about it, when the state tells. A locked keyring is fixed by
   * unlocking it; an unavailable one has too many causes for one instruction.
   */
  action: string | null;
}

/** The host names a locked keychain by prefixing its problem with "keychain locked". */
export function isKeychainLocked(problem: string | null | undefined): boolean {
  return /^keychain locked\b/i.test((problem ?? '').trim());
}

export function keychainBannerText(problem: string | undefined): KeychainBannerText {
  const text = (problem ?? '').trim();
  const locked = isKeychainLocked(text);
  // The host prefixes its problems with the state the title already names, and ends a locked
  // one with its own instruction, which `action` gives in the UI's words instead.
  const detail = text
    .replace(/^keychain (locked|unavailable)\s*[:—-]?\s*/i, '')
    .replace(/;\s*unlock the keyring and try again\s*$/i, '')
    .replace(/\.$/, '');
  return {
    title: locked ? 'The OS keychain is locked' : 'The OS keychain is unavailable',
    detail: detail === '' ? 'no reason was given' : detail,
    action: locked ? 'Unlock it (log in to your desktop keyring), then retry.' : null,
  };
}
