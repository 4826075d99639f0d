/**
 * Where a remote's Public API lives: a region's base URL, or an explicit one. Tokens
 * travel in every request, so plain http is accepted only for this machine's own
 * addresses (tests, fake-segment); anything else must be https.
 */

export type Region = 'us' | 'eu';
const REGIONS: readonly Region[] = ['us', 'eu'];

export const REGION_URLS: Readonly<Record<Region, string>> = {
  us: 'https://api.segmentapis.com',
  eu: 'https://eu1.api.segmentapis.com',
};

export class ApiUrlError extends Error {
  override readonly name = 'ApiUrlError';
}

/** The canonical base URL (no trailing slash), or throws ApiUrlError naming the problem. */
export function normalizeApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ApiUrlError(`API URL "${raw}" is not a URL (expected e.g. https://api.segmentapis.com)`);
  }
  if (url.username || url.password) throw new ApiUrlError('API URL must not contain a user name or password (the token goes in the keychain)');
  if (url.search || url.hash) throw new ApiUrlError(`API URL "${raw}" must not have a query or fragment`);
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw new ApiUrlError(`API URL "${raw}" uses plain http, which is accepted only for this machine (127.0.0.1, ::1, localhost); use https`);
    }
  } else if (url.protocol !== 'https:') {
    throw new ApiUrlError(`API URL "${raw}" must start with https:// (got ${url.protocol})`);
  }
  return url.toString().replace(/\/+$/, '');
}

export function regionUrl(region: string): string {
  if (!(REGIONS as readonly string[]).includes(region)) throw new ApiUrlError(`unknown region "${region}": use us or eu`);
  return REGION_URLS[region as Region];
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
