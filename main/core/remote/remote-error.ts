/**
 * A Public API call that did not succeed, classified so that a person can act on it:
 * which operation, what kind of failure, which role or field is involved, and what the
 * server said. Never carries the token.
 */

export type RemoteErrorKind =
  /** 401: the token is invalid, or its role lacks the permission. */
  | 'unauthorized'
  | 'not-found'
  /** 400, 422 (validation, with `field`), 413; or code the server would not compile. */
  | 'invalid'
  | 'conflict'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  /** A 2xx answer that is not the documented shape. */
  | 'bad-response';

export type RemoteOperation =
  | 'list functions'
  | 'get function'
  | 'create function'
  | 'update function'
  | 'delete function'
  | 'deploy function'
  | 'list versions'
  | 'get version'
  | 'restore version';

/** The role each operation needs (segment-docs perms.md; the exact mapping per endpoint is unverified). */
export const ROLE_NEEDED: Readonly<Record<RemoteOperation, string>> = {
  'list functions': 'Functions Read-only or Functions Admin',
  'get function': 'Functions Read-only or Functions Admin',
  'list versions': 'Functions Read-only or Functions Admin',
  'get version': 'Functions Read-only or Functions Admin',
  'create function': 'Functions Admin',
  'update function': 'Functions Admin',
  'delete function': 'Functions Admin',
  'restore version': 'Functions Admin',
  'deploy function': 'Source Admin or Workspace Owner',
};

export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  constructor(
    readonly kind: RemoteErrorKind,
    readonly operation: RemoteOperation,
    message: string,
    readonly status: number | null = null,
    /** The field a 400/422 named, e.g. "settings[0].type". */
    readonly field: string | null = null,
    /** The server's own words (its error envelope's message), if any. */
    readonly serverMessage: string | null = null,
  ) {
    super(message);
  }
}
