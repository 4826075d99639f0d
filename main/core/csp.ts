/**
 * The Content-Security-Policy both hosts (Electron's app:// protocol and the web host)
 * send with the renderer's HTML. Monaco needs inline styles; scripts and workers come
 * only from the app's own origin; nothing may be fetched from elsewhere.
 */
export interface CspOptions {
  /** Extra origins the page may connect to (the web host's WebSocket URL). */
  connectSrc?: string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
