/**
 * The globals every function instance in this worker shares, built once after lockdown.
 * All are hardened and stateless towards guests (console, timers and fetch find the
 * current invocation themselves), so sharing them opens no channel between functions.
 * Per-instance globals (`_`, `cache`, `AWS`) carry state and are made per instance.
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

export interface SharedGlobals {
  common: Readonly<Record<string, unknown>>;
  newLodash(): unknown;
  newAws(): unknown;
  library: GuestLibrary;
}

export function createSharedGlobals(): SharedGlobals {
  const timers = createTimersFacade();
  const library = createGuestLibrary(timers);
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
    console: createConsoleFacade(),
    ...timers,
    ...library.errorClasses,
    // Compartments get throwing Date.now/Math.random and no Intl; Segment code uses them.
    Date: globalThis.Date,
    Math: globalThis.Math,
    Intl: globalThis.Intl,
  };
  return {
    common: Object.freeze(common),
    newLodash: () => library.newLodash(),
    newAws: () => createAwsFacade(library),
    library,
  };
}
