import { describe, expect, it } from 'vitest';
import { isKeychainLocked, keychainBannerText } from './keychain-status';

describe('keychainBannerText', () => {
  it('names a locked keychain, keeps the reason and says how to fix it', () => {
    expect(keychainBannerText('keychain locked: it accepted a write but returned nothing on reading it back')).toEqual({
      title: 'The OS keychain is locked',
      detail: 'it accepted a write but returned nothing on reading it back',
      action: 'Unlock it (log in to your desktop keyring), then retry.',
    });
  });

  it("gives the host's own unlock instruction once, in the UI's words", () => {
    expect(
      keychainBannerText('keychain locked: could not write a test entry (Cannot create an item in a locked collection); unlock the keyring and try again'),
    ).toEqual({
      title: 'The OS keychain is locked',
      detail: 'could not write a test entry (Cannot create an item in a locked collection)',
      action: 'Unlock it (log in to your desktop keyring), then retry.',
    });
  });

  it('names an unavailable keychain without repeating the prefix, and offers no unlock advice', () => {
    expect(keychainBannerText('keychain unavailable: could not read a secret (Cannot autolaunch D-Bus)')).toEqual({
      title: 'The OS keychain is unavailable',
      detail: 'could not read a secret (Cannot autolaunch D-Bus)',
      action: null,
    });
  });

  it('keeps other texts whole and never shows an empty reason', () => {
    expect(keychainBannerText('Settings test values are not connected in this build yet')).toEqual({
      title: 'The OS keychain is unavailable',
      detail: 'Settings test values are not connected in this build yet',
      action: null,
    });
    expect(keychainBannerText(undefined).detail).toBe('no reason was given');
    expect(keychainBannerText('keychain unavailable').detail).toBe('no reason was given');
  });
});

describe('isKeychainLocked', () => {
  it('is true only for problems the host names as locked', () => {
    expect(isKeychainLocked('keychain locked: could not read a secret (x)')).toBe(true);
    expect(isKeychainLocked('  Keychain locked')).toBe(true);
    expect(isKeychainLocked('keychain unavailable: no answer to a read within 15 s')).toBe(false);
    expect(isKeychainLocked('the keychain lockedness is unknown')).toBe(false);
    expect(isKeychainLocked(null)).toBe(false);
    expect(isKeychainLocked(undefined)).toBe(false);
  });
});
