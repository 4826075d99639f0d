/**
 * When Segment tries a failed delivery again: Retry and Timeout outcomes (and the failed
 * items of a batch) are retried "for four hours with a randomized exponential backoff".
 * Segment does not publish the constants; these give about nine retries in the window,
 * which is what its older documentation said ("retries 9 times over the course of 4 hours").
 * Time here is virtual: nothing waits, the delays are only added up.
 */
export const RETRY_WINDOW_MS = 4 * 60 * 60 * 1000;
/** Delay before the first retry, before jitter. */
export const FIRST_RETRY_MS = 30_000;
/** Each later retry waits about twice as long. */
const BACKOFF_FACTOR = 2;

export interface RetryPolicy {
  /**
   * Virtual time of attempt `attempt + 1`, given that attempt number `attempt` (1-based)
   * failed at `nowMs` (ms since the event's first attempt); null when that would fall
   * outside the retry window, i.e. Segment gives up.
   */
  next(attempt: number, nowMs: number): number | null;
}

/** Backoff `FIRST_RETRY_MS · 2^(attempt-1)`, scaled by a random factor in [0.5, 1.5). */
export function segmentRetryPolicy(random: () => number): RetryPolicy {
  return {
    next(attempt, nowMs) {
      const base = FIRST_RETRY_MS * BACKOFF_FACTOR ** (attempt - 1);
      const at = nowMs + Math.round(base * (0.5 + random()));
      return at > RETRY_WINDOW_MS ? null : at;
    },
  };
}

/** `--no-retries`: the first failure is final. */
export const NO_RETRIES: RetryPolicy = { next: () => null };
