/**
 * The web host's gatekeeping, as pure functions: which Host and Origin headers are ours,
 * and whether a request carries the per-run token (query on first visit, cookie after).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookies ignore ports, so the name carries it: two servers do not clobber each other. */
function cookieName(port: number): string {
  return `fnstudio_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Host must name this server by loopback address: anything else is DNS rebinding or a mistake. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A WebSocket's Origin must be exactly the page's own origin (the Host it connected to). */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, port: number): boolean {
  return isAllowedHost(host, port) && origin === `http://${host}`;
}

export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given === '') return false;
  // Hashing first gives equal lengths, which timingSafeEqual needs.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export function cookieToken(cookieHeader: string | undefined, port: number): string | null {
  return parseCookies(cookieHeader).get(cookieName(port)) ?? null;
}
