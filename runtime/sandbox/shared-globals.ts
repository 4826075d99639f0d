/**
 * The globals every function instance in this worker shares, built once after lockdown.
 * All are hardened and stateless towards guests (fetch finds the current invocation
 * itself), so sharing them opens no channel between functions. Globals that keep state
 * a guest can observe are made per instance: `console` (group indentation, counters,
 * timers), the timer functions (their ids), `Math` (its random generator), `_`, `cache`
 * and `AWS`.
 * isolation.test.ts probes every global for state that crosses from one function to another.
 */
import { URL, URLSearchParams } from 'node:url';
import { createConsoleFacade } from './console-facade';
import { createCryptoFacade } from './crypto-facade';
import { Headers, Request, Response, fetch, installResponseFactories } from './fetch-facade';
import { FormData } from './form-data-facade';
import { createGuestLibrary, type GuestLibrary } from './guest-library';
import { atob, btoa, xml } from './text-facades';
import { createTimersFacade } from './timers-facade';
import { createOAuthFacade } from './oauth-facade';
import { createAwsFacade } from './aws-facade';
import { createCacheFacade } from './cache-facade';
import { createInstanceMath } from './math-facade';

export interface SharedGlobals {
  common: Readonly<Record<string, unknown>>;
  /** The globals one function instance owns (state of its own, never another's). */
  newInstanceGlobals(): Record<string, unknown>;
  library: GuestLibrary;
}

export function createSharedGlobals(): SharedGlobals {
  // The library compartment's own timers (lodash's base copy); guests never see its ids.
  const library = createGuestLibrary(createTimersFacade());
  installResponseFactories({ fetchError: library.makeFetchError });
  for (const value of [Headers, Request, Response, FormData, URL, URLSearchParams, globalThis.Intl]) harden(value);
  const common: Record<string, unknown> = {
    fetch: harden(fetch),
    Headers,
    Request,
    Response,
    URL,
    URLSearchParams,
    FormData,
    OAuth: createOAuthFacade(library),
    xml: harden(xml),
    atob: harden(atob),
    btoa: harden(btoa),
    crypto: createCryptoFacade(),
    Buffer,
    ...library.errorClasses,
    // Compartments get throwing Date.now/Math.random and no Intl; Segment code uses them
    // (Math, with its own generator, per instance below).
    Date: globalThis.Date,
    Intl: globalThis.Intl,
  };
  return {
    common: Object.freeze(common),
    newInstanceGlobals: () => {
      const timers = createTimersFacade();
      const math = createInstanceMath();
      return {
        console: createConsoleFacade(),
        ...timers,
        Math: math,
        _: library.newLodash({ ...timers, Math: math }),
        cache: createCacheFacade(),
        AWS: createAwsFacade(library),
      };
    },
    library,
  };
}
