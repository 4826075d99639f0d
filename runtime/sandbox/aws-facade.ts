import type { GuestLibrary } from './guest-library';
export function createAwsFacade(_library: GuestLibrary): object {
  return harden({});
}
