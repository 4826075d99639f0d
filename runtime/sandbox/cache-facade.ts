/**
 * Segment's `cache`: per function instance, `load(key, ttlMs, fn)` returns the cached
 * value or computes it with `fn` (concurrent loads of one key share one computation),
 * `delete(key)` forgets it. Like Segment's, it may be emptied at any time: it is capped.
 */
const MAX_ENTRIES = 1000;

export function createCacheFacade(): object {
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  const pending = new Map<string, Promise<unknown>>();

  const checkKey = (key: unknown): string => {
    if (typeof key !== 'string') throw new TypeError('cache: the key must be a string');
    return key;
  };

  return harden({
    load(key: unknown, ttlMs: unknown, fn: unknown): Promise<unknown> {
      try {
        const name = checkKey(key);
        const ttl = Number(ttlMs);
        if (!Number.isFinite(ttl) || ttl <= 0) throw new TypeError('cache.load: ttl must be a positive number of milliseconds');
        if (typeof fn !== 'function') throw new TypeError('cache.load: the third argument must be a function computing the value');
        const entry = entries.get(name);
        if (entry && entry.expiresAt > Date.now()) return Promise.resolve(entry.value);
        const inFlight = pending.get(name);
        if (inFlight) return inFlight;
        const computation = (async () => {
          try {
            const value = await (fn as () => unknown)();
            if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
            entries.set(name, { value, expiresAt: Date.now() + ttl });
            return value;
          } finally {
            pending.delete(name);
          }
        })();
        pending.set(name, computation);
        return computation;
      } catch (err) {
        return Promise.reject(err);
      }
    },
    delete(key: unknown): void {
      const name = checkKey(key);
      entries.delete(name);
      pending.delete(name);
    },
  });
}
