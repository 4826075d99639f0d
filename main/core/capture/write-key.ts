/**
 * Where a request to the Tracking API carries its source's write key: HTTP Basic auth with
 * the key as the user name and an empty password (`Basic base64("KEY:")`, what every
 * Segment server library sends), or a `writeKey` field in the JSON body (Segment's
 * documented alternative; analytics.js and the mobile libraries send it there). Segment
 * also accepts a bare `base64("KEY")` for backward compatibility, so do we.
 */

export type WriteKeySource = 'basic-auth' | 'body';

export interface FoundWriteKey {
  key: string;
  source: WriteKeySource;
}

export type WriteKeyResult = { ok: true; found: FoundWriteKey } | { ok: false; problem: string };

export function findWriteKey(authorization: string | undefined, body: unknown): WriteKeyResult {
  const fromBody =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { writeKey?: unknown }).writeKey : undefined;
  // A body key wins: Segment documents it as the preferred form, and OAuth requests carry a
  // Bearer token in the header with the key in the body.
  if (typeof fromBody === 'string' && fromBody !== '') return { ok: true, found: { key: fromBody, source: 'body' } };
  if (fromBody !== undefined && typeof fromBody !== 'string') {
    return { ok: false, problem: 'writeKey in the body must be a string' };
  }
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, problem: 'no write key: send it as Basic auth (the key as user name, empty password) or as "writeKey" in the body' };
  }
  const match = /^Basic\s+(\S+)\s*$/i.exec(authorization.trim());
  if (!match) {
    const scheme = authorization.trim().split(/\s+/)[0];
    return { ok: false, problem: `unsupported Authorization scheme '${scheme}': use Basic auth with the write key as user name, or put "writeKey" in the body` };
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  if (!/^[A-Za-z0-9+/]+=*$/.test(match[1]) || decoded === '') {
    return { ok: false, problem: 'the Basic Authorization header is not valid base64' };
  }
  const colon = decoded.indexOf(':');
  const key = colon === -1 ? decoded : decoded.slice(0, colon);
  if (key === '') return { ok: false, problem: 'the Basic Authorization header has an empty user name: the write key goes there' };
  return { ok: true, found: { key, source: 'basic-auth' } };
}
