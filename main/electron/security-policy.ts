/**
 * Decisions the Electron host makes about untrusted input from web contents: who may
 * call the IPC API, where a frame may navigate, which links may go to the system
 * browser. Pure functions so every rule is unit-tested without Electron.
 */
import { APP_HOST, APP_SCHEME } from './app-protocol';
import { isLocalHostname } from './local-address';

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
 * with a host, no embedded credentials, not pointing at this machine or its network
 * (loopback, private, link-local, in any spelling: see local-address.ts), and of sane
 * length. Returns the normalised URL to open, or null to drop it.
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

/** The parts of Electron's MessageBoxOptions the link prompt uses (no electron import here). */
export interface LinkPrompt {
  type: 'question';
  buttons: string[];
  defaultId: number;
  cancelId: number;
  title: string;
  message: string;
  detail: string;
  noLink: true;
}

/** The button of {@link externalLinkPrompt} that opens the link; anything else keeps it closed. */
export const OPEN_LINK_BUTTON = 0;

/**
 * Every external link is confirmed before the system browser opens it: a link can come
 * from a function's own output or an error message, not only from the app's text. The
 * host is named on its own line, so a long or look-alike URL cannot hide where it goes.
 */
export function externalLinkPrompt(url: string): LinkPrompt {
  const host = new URL(url).host;
  return {
    type: 'question',
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: 'Open link',
    message: `Open ${host} in your web browser?`,
    detail: url,
    noLink: true,
  };
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
