import { describe, expect, it } from 'vitest';
import { keychainBannerText } from './keychain-status';

describe('keychainBannerText', () => {
  it('names a locked keychain and keeps the reason', () => {
    expect(keychainBannerText('keychain locked: it accepted a write but returned nothing on reading it back')).toEqual({
      title: 'The OS keychain is locked',
      detail: 'it accepted a write but returned nothing on reading it back',
    });
  });

  it('names an unavailable keychain without repeating the prefix', () => {
    expect(keychainBannerText('keychain unavailable: could not read a secret (Cannot autolaunch D-Bus)')).toEqual({
      title: 'The OS keychain is unavailable',
      detail: 'could not read a secret (Cannot autolaunch D-Bus)',
    });
  });

  it('keeps other texts whole and never shows an empty reason', () => {
    expect(keychainBannerText('Settings test values are not connected in this build yet')).toEqual({
      title: 'The OS keychain is unavailable',
      detail: 'Settings test values are not connected in this build yet',
    });
    expect(keychainBannerText(undefined).detail).toBe('no reason was given');
    expect(keychainBannerText('keychain unavailable').detail).toBe('no reason was given');
  });
});
