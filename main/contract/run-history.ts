/**
 * The last runs of a function, kept in its git-ignored `.fnstudio/runs/` folder so they
 * can be reopened and compared. Plain data: records cross the wire.
 */
import type { Outcome, OutcomeCategory } from './outcome';

/** At most this many runs are kept per function; older ones are removed. */
export const RUN_HISTORY_LIMIT = 30;

export interface RunRecordSummary {
  /** Sortable: newest ids compare greatest. */
  id: string;
  /** ISO-8601 UTC. */
  startedAt: string;
  category: OutcomeCategory;
  durationMs: number;
  /** What the event was, as the studio named it ("Sample · Track", "saved: signup"). */
  eventLabel: string;
  /** The event's `type`, "batch (N)" for an array, null when it has none. */
  eventType: string | null;
  /** Whether unknown requests were blocked (offline) and how many mock rules applied. */
  offline: boolean;
}

export interface RunRecord extends RunRecordSummary {
  /** The event (or batch) as run. */
  input: unknown;
  /** As the app showed it: secrets already masked. */
  outcome: Outcome;
}
