/**
 * Segment's HTTP Tracking API, as a pure function from one request to its answer and the
 * events to record. No sockets here (capture-server.ts has them), so every rule is tested
 * directly.
 *
 * Documented by Segment and followed here: POST /v1/{track,identify,page,screen,group,alias,batch};
 * the write key by Basic auth or as `writeKey` in the body; at most 32 KB per call and per
 * event in a batch, 500 KB per batch request, answered with `400 Bad Request` (analytics.js'
 * docs give the message "Exceed payload limit"); invalid JSON → 400; an empty write key →
 * 400; `200 {"success": true}` otherwise; at most 2500 events per batch (more: 200, events
 * rejected); every message needs a userId or anonymousId (`no_user_anon_id`), a track call an
 * `event` name.
 * From analytics.js' source: it posts to one-letter paths (/v1/t, /v1/i, /v1/p, /v1/s, /v1/g,
 * /v1/a; /v1/b when batching) with a text/plain body, so any content type is read as JSON.
 * Inferred: the JSON shape of error bodies beyond their message; that one bad event in a
 * batch is dropped alone (the rest recorded) while an oversized one fails the whole request;
 * /v1/import as another batch path.
 * Our own addition: with an expected write key configured, any other key is refused with
 * 401 (Segment answers 200 to unknown keys and drops the events later, which would leave a
 * misconfigured app silently recording nothing).
 */
import { asObject, deliveredEvent, EVENT_TYPES, type BatchDefaults, type JsonObject, type SegmentEventType } from './delivered-event';
import { findWriteKey, type WriteKeySource } from './write-key';

export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_EVENTS = 2500;

export type Route = SegmentEventType | 'batch';

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ...EVENT_TYPES.map((type): [string, Route] => [`/v1/${type}`, type]),
  ...EVENT_TYPES.map((type): [string, Route] => [`/v1/${type[0]}`, type]),
  ['/v1/batch', 'batch'],
  ['/v1/b', 'batch'],
  ['/v1/import', 'batch'],
]);

/** The route of a request path (query string and a trailing slash ignored), or null. */
export function routeOf(path: string): Route | null {
  const bare = path.split('?')[0].replace(/\/+$/, '');
  return ROUTES.get(bare) ?? null;
}

/** Largest body a route accepts. */
export function bodyLimit(route: Route): number {
  return route === 'batch' ? MAX_BATCH_BYTES : MAX_EVENT_BYTES;
}

export interface TrackingRequest {
  method: string;
  path: string;
  authorization?: string;
  /** The (decompressed) body; a server may stop reading after bodyLimit + 1 bytes. */
  body: Buffer;
  receivedAt: Date;
}

export interface TrackingApiOptions {
  /** Accept only this write key (401 for others); null/undefined accepts any non-empty key. */
  writeKey?: string | null;
  makeMessageId?: (now: Date) => string;
}

/** A message that was not recorded, and why (index within a batch; null for a single call). */
export interface RejectedMessage {
  index: number | null;
  code: string;
  reason: string;
}

export interface TrackingAnswer {
  status: number;
  /** The JSON body to answer with. */
  body: JsonObject;
  /** Events to record, in order, exactly as Segment would deliver them to a function. */
  events: JsonObject[];
  rejected: RejectedMessage[];
  /** How the write key came, when there was one. */
  writeKeySource?: WriteKeySource;
}

export function handleTrackingRequest(request: TrackingRequest, options: TrackingApiOptions = {}): TrackingAnswer {
  const route = routeOf(request.path);
  if (route === null) {
    return refuse(404, 'not_found', `no such endpoint: ${request.path.split('?')[0]} (the Tracking API has /v1/track, /v1/identify, /v1/page, /v1/screen, /v1/group, /v1/alias and /v1/batch)`);
  }
  if (request.method !== 'POST') return refuse(405, 'method_not_allowed', `${request.method} is not allowed: send events with POST`);
  const limit = bodyLimit(route);
  if (request.body.length > limit) {
    return refuse(400, 'payload_too_large', 'Exceed payload limit', `the request body is over ${limit / 1024} KB, the Tracking API's limit for ${route === 'batch' ? 'a batch request' : 'one call'}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch (err) {
    return refuse(400, 'invalid_json', 'Invalid JSON', (err as Error).message);
  }
  const body = asObject(parsed);
  if (body === undefined) return refuse(400, 'invalid_request', 'the body must be a JSON object');

  const key = findWriteKey(request.authorization, body);
  if (!key.ok) return refuse(400, 'missing_write_key', key.problem);
  if (options.writeKey && key.found.key !== options.writeKey) {
    return refuse(401, 'wrong_write_key', 'this capture endpoint expects a different write key (see --write-key)');
  }

  const answer = route === 'batch' ? handleBatch(body, request.receivedAt, options) : handleSingle(route, body, request.receivedAt, options);
  if (answer.status === 200) answer.writeKeySource = key.found.source;
  return answer;
}

function handleSingle(type: SegmentEventType, body: JsonObject, receivedAt: Date, options: TrackingApiOptions): TrackingAnswer {
  const problem = messageProblem({ ...body, type });
  if (problem) return refuse(400, problem.code, problem.reason);
  const event = deliveredEvent(body, { endpointType: type, batch: {}, receivedAt, makeMessageId: options.makeMessageId });
  return { status: 200, body: { success: true }, events: [event], rejected: [] };
}

function handleBatch(body: JsonObject, receivedAt: Date, options: TrackingApiOptions): TrackingAnswer {
  const items = body.batch;
  if (!Array.isArray(items)) return refuse(400, 'invalid_request', 'a batch request needs "batch": an array of events');
  for (let i = 0; i < items.length; i++) {
    const size = Buffer.byteLength(JSON.stringify(items[i]) ?? '');
    if (size > MAX_EVENT_BYTES) {
      return refuse(400, 'payload_too_large', 'Exceed payload limit', `batch[${i}] is ${size} bytes, over the 32 KB limit per event`);
    }
  }
  if (items.length > MAX_BATCH_EVENTS) {
    // Segment answers 200 and rejects the events; say why in the body all the same.
    return {
      status: 200,
      body: { success: true },
      events: [],
      rejected: [{ index: null, code: 'too_many_events', reason: `${items.length} events in one batch, over the limit of ${MAX_BATCH_EVENTS}: none recorded` }],
    };
  }
  const defaults: BatchDefaults = {
    context: asObject(body.context),
    integrations: asObject(body.integrations),
    sentAt: typeof body.sentAt === 'string' && body.sentAt !== '' ? body.sentAt : undefined,
  };
  const events: JsonObject[] = [];
  const rejected: RejectedMessage[] = [];
  items.forEach((item: unknown, index) => {
    const message = asObject(item);
    if (message === undefined) {
      rejected.push({ index, code: 'invalid_event', reason: 'not a JSON object' });
      return;
    }
    const problem = messageProblem(message);
    if (problem) {
      rejected.push({ index, ...problem });
      return;
    }
    events.push(deliveredEvent(message, { endpointType: null, batch: defaults, receivedAt, makeMessageId: options.makeMessageId }));
  });
  return { status: 200, body: { success: true }, events, rejected };
}

/** Why Segment would not accept this message, or null. */
function messageProblem(message: JsonObject): { code: string; reason: string } | null {
  const type = message.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return { code: 'invalid_type', reason: `"type" must be one of ${EVENT_TYPES.join(', ')}, got ${JSON.stringify(type) ?? 'nothing'}` };
  }
  if (!isId(message.userId) && !isId(message.anonymousId)) {
    return { code: 'no_user_anon_id', reason: `a ${type} call needs a userId or an anonymousId` };
  }
  if (type === 'track' && (typeof message.event !== 'string' || message.event === '')) {
    return { code: 'missing_event_name', reason: 'a track call needs an "event" name' };
  }
  return null;
}

function isId(value: unknown): boolean {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

function refuse(status: number, code: string, message: string, detail?: string): TrackingAnswer {
  const body: JsonObject = { success: false, code, message };
  if (detail !== undefined) body.detail = detail;
  return { status, body, events: [], rejected: [{ index: null, code, reason: detail === undefined ? message : `${message}: ${detail}` }] };
}
