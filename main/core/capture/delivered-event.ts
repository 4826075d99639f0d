/**
 * Turns a message as a client sent it to the Tracking API into the event as Segment
 * delivers it to a destination function. What Segment documents:
 *   - `receivedAt` is the server's clock when the call arrived;
 *   - `originalTimestamp` is the client's `timestamp` (the time of the call on the device,
 *     or the value a server library passed in);
 *   - `timestamp` = receivedAt − (sentAt − originalTimestamp), correcting device clock skew;
 *     without a client timestamp Segment stamps the call with its own time;
 *   - `messageId` is added when the client sent none;
 *   - a batch's top-level `context` and `integrations` are merged into each of its events.
 * What we infer (not documented): the endpoint decides `type` for single calls; a
 * batch-level `sentAt` (analytics-node sends it there) applies to each event; without any
 * `sentAt` no skew can be measured, so `timestamp` is the client's as given; the write key
 * and the libraries' `_metadata` are transport details and are not part of the delivered
 * event; the server-made messageId looks like `api-<27 characters>`.
 */
import { serverMessageId } from './message-id';

export type SegmentEventType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

export const EVENT_TYPES: readonly SegmentEventType[] = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

export type JsonObject = Record<string, unknown>;

/** Fields of a batch request that apply to each of its events. */
export interface BatchDefaults {
  context?: JsonObject;
  integrations?: JsonObject;
  sentAt?: string;
}

export interface DeliverOptions {
  /** The type the endpoint implies (`/v1/track` → track); null for batch items. */
  endpointType: SegmentEventType | null;
  batch: BatchDefaults;
  receivedAt: Date;
  makeMessageId?: (now: Date) => string;
}

/** Fields that are the transport's, not the event's. */
const TRANSPORT_FIELDS = ['writeKey', '_metadata'];

export function deliveredEvent(message: JsonObject, options: DeliverOptions): JsonObject {
  const event: JsonObject = { ...message };
  for (const field of TRANSPORT_FIELDS) delete event[field];
  if (options.endpointType !== null) event.type = options.endpointType;

  const context = mergeDefaults(options.batch.context, asObject(message.context));
  if (context !== undefined) event.context = context;
  const integrations = mergeDefaults(options.batch.integrations, asObject(message.integrations));
  if (integrations !== undefined) event.integrations = integrations;

  if (typeof event.messageId !== 'string' || event.messageId === '') {
    event.messageId = (options.makeMessageId ?? serverMessageId)(options.receivedAt);
  }

  const receivedAt = options.receivedAt.toISOString();
  const clientTime = typeof message.timestamp === 'string' && message.timestamp !== '' ? message.timestamp : undefined;
  const original = clientTime ?? (typeof message.originalTimestamp === 'string' ? message.originalTimestamp : undefined);
  const sentAt = typeof message.sentAt === 'string' && message.sentAt !== '' ? message.sentAt : options.batch.sentAt;
  if (sentAt !== undefined) event.sentAt = sentAt;
  if (original !== undefined) event.originalTimestamp = original;
  event.receivedAt = receivedAt;
  event.timestamp = correctedTimestamp(original, sentAt, options.receivedAt) ?? original ?? receivedAt;
  return event;
}

/** receivedAt − (sentAt − originalTimestamp), or null when either client time is unusable. */
function correctedTimestamp(original: string | undefined, sentAt: string | undefined, receivedAt: Date): string | null {
  if (original === undefined || sentAt === undefined) return null;
  const originalMs = Date.parse(original);
  const sentMs = Date.parse(sentAt);
  if (Number.isNaN(originalMs) || Number.isNaN(sentMs)) return null;
  const corrected = new Date(receivedAt.getTime() - (sentMs - originalMs));
  return Number.isNaN(corrected.getTime()) ? null : corrected.toISOString();
}

/** Batch-level values under the event's own: the event wins, nested objects merge. */
function mergeDefaults(defaults: JsonObject | undefined, own: JsonObject | undefined): JsonObject | undefined {
  if (defaults === undefined) return own;
  if (own === undefined) return { ...defaults };
  const merged: JsonObject = { ...defaults };
  for (const [key, value] of Object.entries(own)) {
    const base = asObject(merged[key]);
    const mine = asObject(value);
    merged[key] = base !== undefined && mine !== undefined ? mergeDefaults(base, mine) : value;
  }
  return merged;
}

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}
