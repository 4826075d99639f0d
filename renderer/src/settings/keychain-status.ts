/** Wording of the keychain banner from the host's KeychainStatus problem text. */
export interface KeychainBannerText {
  title: string;
  detail: string;
}

export function keychainBannerText(problem: string | undefined): KeychainBannerText {
  const text = (problem ?? '').trim();
  const locked = /^keychain locked\b/i.test(text);
  // The host prefixes its problems with the state the title already names.
  const detail = text.replace(/^keychain (locked|unavailable)\s*[:—-]?\s*/i, '').replace(/\.$/, '');
  return {
    title: locked ? 'The OS keychain is locked' : 'The OS keychain is unavailable',
    detail: detail === '' ? 'no reason was given' : detail,
  };
}
