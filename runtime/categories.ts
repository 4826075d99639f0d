/**
 * How thrown values and batch item statuses map to Segment's Event Delivery categories
 * (shared/design/segment-runtime.md, "Outcome categories").
 */
import type { OutcomeCategory } from '../common/outcome';

/** Error names (the sandbox's error classes set `name` to the class name). */
const CATEGORY_BY_ERROR_NAME: Readonly<Record<string, OutcomeCategory>> = {
  InvalidEventPayload: 'Message Rejected',
  ValidationError: 'Message Rejected',
  EventNotSupported: 'Unsupported Event Type',
  RetryError: 'Retry',
  DropEvent: 'Dropped',
  // Not a Segment global; lets hosts report settings problems with the right category.
  InvalidSettings: 'Invalid Settings',
};

/** Category of a thrown error, by its name; anything unknown is a Bad Request. */
export function categoryForErrorName(name: string): OutcomeCategory {
  return Object.prototype.hasOwnProperty.call(CATEGORY_BY_ERROR_NAME, name) ? CATEGORY_BY_ERROR_NAME[name] : 'Bad Request';
}

/**
 * Category of one onBatch item by its status. Segment's example returns 400 for a
 * rejected item and 500 for a failed one, and retries 5xx but not 4xx, so:
 * 2xx → Success; 4xx → Message Rejected (permanent); 5xx → Retry (retried);
 * anything else (1xx, 3xx, non-numbers) → Bad Request.
 */
export function categoryForBatchStatus(status: number): OutcomeCategory {
  if (status >= 200 && status < 300) return 'Success';
  if (status >= 400 && status < 500) return 'Message Rejected';
  if (status >= 500 && status < 600) return 'Retry';
  return 'Bad Request';
}
