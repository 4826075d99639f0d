/**
 * Decisions the Electron host makes about untrusted input from web contents: who may
 * call the IPC API, where a frame may navigate, which links may go to the system
 * browser. Pure functions so every rule is unit-tested without Electron.
 */
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './app-protocol';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL of our own app:// origin (no credentials, no other host). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.host === APP_HOST &&
    u.username === '' &&
    u.password === ''
  );
}

/**
 * IPC calls are served only to our own page: the top frame of our window showing an
 * app://fnstudio/ URL. Subframes (an injected iframe) and any other origin are refused.
 */
export function isTrustedSender(url: string, frameIsMain: boolean): boolean {
  return frameIsMain === true && isAppUrl(url);
}

/**
 * In-app navigation is never allowed: the renderer is a single page and routes
 * without loading documents. Reloading the very same app page is the one exception
 * (the page's own reload shortcut).
 */
export function isAllowedNavigation(targetUrl: string, currentUrl: string): boolean {
  if (!isAppUrl(targetUrl) || !isAppUrl(currentUrl)) return false;
  const target = new URL(targetUrl);
  const current = new URL(currentUrl);
  return target.pathname === current.pathname && target.origin === current.origin;
}

const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * A link the user clicked that may be opened in the system browser: plain http(s)
 * with a host, no embedded credentials, not pointing back at local services, and of
 * sane length. Returns the normalised URL to open, or null to drop it.
 */
export function externalUrlToOpen(url: string): string | null {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return null;
  const u = parse(url);
  if (u === null) return null;
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (u.hostname === '' || u.username !== '' || u.password !== '') return null;
  if (isLocalHostname(u.hostname)) return null;
  return u.toString();
}

function isLocalHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '::1' ||
    h === '0.0.0.0' ||
    /^127\./.test(h) ||
    h === '::' ||
    h.startsWith('::ffff:127.')
  );
}

/**
 * No remote content: a request from any web contents may only go to our own app://
 * origin, or to in-memory data:/blob: URLs (Monaco's workers) and DevTools. Everything
 * else (http, https, ws, file, ...) is cancelled.
 */
export function isAllowedRequestUrl(url: string): boolean {
  if (isAppUrl(url)) return true;
  const u = parse(url);
  if (u === null) return false;
  return u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:';
}

/** The origin our page runs under, for checks that compare origins. */
export const TRUSTED_ORIGIN = APP_ORIGIN;
