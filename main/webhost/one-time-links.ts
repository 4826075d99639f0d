/**
 * One-time links: the browser `fnstudio serve` opens is given a nonce instead of the token,
 * so the token never appears on a command line (where `ps` shows it to every local user).
 * What `ps` may show instead is worth one visit, for a minute, and only until the browser
 * has used it.
 * A nonce is good for one visit within its lifetime; the visit gets the token cookie.
 */
import { createHash, randomBytes } from 'node:crypto';

export class OneTimeLinks {
  /** sha256(nonce) → expiry; only hashes are kept, so a heap dump holds no usable nonce. */
  private readonly live = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    this.prune();
    const nonce = randomBytes(32).toString('base64url');
    this.live.set(digest(nonce), this.now() + this.ttlMs);
    return nonce;
  }

  /** True once per issued nonce, within its lifetime. */
  redeem(nonce: string): boolean {
    const key = digest(nonce);
    const expires = this.live.get(key);
    this.live.delete(key);
    return expires !== undefined && this.now() <= expires;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, expires] of this.live) if (expires < now) this.live.delete(key);
  }
}

function digest(nonce: string): string {
  return createHash('sha256').update(nonce).digest('base64url');
}
