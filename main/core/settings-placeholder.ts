/**
 * Stand-in SettingsService until settings & secrets (issue 4) are wired into
 * createCoreServices: reports the keychain as not connected and refuses writes clearly.
 */
import type { SettingsService } from '../contract/api';
import { FnStudioError } from '../contract/errors';

const PROBLEM = 'Settings test values are not connected in this build yet';

export function createUnwiredSettingsService(): SettingsService {
  return {
    async getTestValues() {
      return { values: {}, secretsSet: {}, keychain: { available: false, problem: PROBLEM } };
    },
    async setTestValue() {
      throw new FnStudioError('KeychainUnavailable', PROBLEM);
    },
    async revealSecret() {
      throw new FnStudioError('KeychainUnavailable', PROBLEM);
    },
  };
}
