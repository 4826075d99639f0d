import type { GuestLibrary } from './guest-library';
export function createOAuthFacade(_library: GuestLibrary): object {
  return harden({});
}
