import { describe, it, expect } from 'vitest';
import { handleTrackingRequest, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_EVENT_BYTES, routeOf, type TrackingRequest } from './tracking-api';
import { deliveredEvent } from './delivered-event';
import { findWriteKey } from './write-key';
import { serverMessageId } from './message-id';

const RECEIVED = new Date('2026-03-01T12:00:10.000Z');
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

function post(path: string, body: unknown, authorization: string | null = basic('wk_1')): TrackingRequest {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { method: 'POST', path, authorization: authorization ?? undefined, body: Buffer.from(text), receivedAt: RECEIVED };
}

describe('routes', () => {
  it('knows the Tracking API endpoints and their aliases', () => {
    expect(routeOf('/v1/track')).toBe('track');
    expect(routeOf('/v1/identify/')).toBe('identify');
    expect(routeOf('/v1/p?x=1')).toBe('page');
    expect(routeOf('/v1/batch')).toBe('batch');
    expect(routeOf('/v1/import')).toBe('batch');
    expect(routeOf('/v1/b')).toBe('batch');
    expect(routeOf('/v1/s')).toBe('screen');
    expect(routeOf('/v2/track')).toBeNull();
  });

  it('answers 404 for an unknown path and 405 for a GET', () => {
    expect(handleTrackingRequest(post('/v1/trak', {})).status).toBe(404);
    const get = handleTrackingRequest({ ...post('/v1/track', {}), method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.events).toEqual([]);
  });
});

describe('single calls', () => {
  it('records a track call as Segment delivers it', () => {
    const answer = handleTrackingRequest(
      post('/v1/track', {
        userId: 'u1',
        event: 'Order Completed',
        properties: { total: 9.5 },
        timestamp: '2026-03-01T12:00:00.000Z',
        sentAt: '2026-03-01T12:00:05.000Z',
        writeKey: 'wk_body',
        messageId: 'client-1',
      }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ success: true });
    expect(answer.writeKeySource).toBe('body');
    expect(answer.events).toHaveLength(1);
    const event = answer.events[0];
    expect(event).toMatchObject({
      type: 'track',
      userId: 'u1',
      event: 'Order Completed',
      properties: { total: 9.5 },
      messageId: 'client-1',
      originalTimestamp: '2026-03-01T12:00:00.000Z',
      sentAt: '2026-03-01T12:00:05.000Z',
      receivedAt: '2026-03-01T12:00:10.000Z',
      // receivedAt − (sentAt − originalTimestamp): the device clock was 5 s behind the call.
      timestamp: '2026-03-01T12:00:05.000Z',
    });
    expect(event).not.toHaveProperty('writeKey');
  });

  it('takes the type from the endpoint, adds a messageId and stamps an untimed call with receivedAt', () => {
    const answer = handleTrackingRequest(post('/v1/identify', { type: 'track', anonymousId: 'a1', traits: { plan: 'pro' } }));
    const event = answer.events[0];
    expect(event.type).toBe('identify');
    expect(event.messageId).toMatch(/^api-[0-9A-Za-z]{27}$/);
    expect(event.timestamp).toBe(RECEIVED.toISOString());
    expect(event.receivedAt).toBe(RECEIVED.toISOString());
    expect(event).not.toHaveProperty('originalTimestamp');
    expect(event).not.toHaveProperty('sentAt');
  });

  it('keeps a client timestamp as is when there is no sentAt to measure skew with', () => {
    const event = handleTrackingRequest(post('/v1/page', { userId: 'u', name: 'Home', timestamp: '2020-01-01T00:00:00Z' })).events[0];
    expect(event.timestamp).toBe('2020-01-01T00:00:00Z');
    expect(event.originalTimestamp).toBe('2020-01-01T00:00:00Z');
  });

  it('refuses a call without userId or anonymousId, and a track without event name', () => {
    const noId = handleTrackingRequest(post('/v1/track', { event: 'X' }));
    expect(noId.status).toBe(400);
    expect(noId.body).toMatchObject({ success: false, code: 'no_user_anon_id' });
    expect(noId.events).toEqual([]);
    const noName = handleTrackingRequest(post('/v1/track', { userId: 'u' }));
    expect(noName.status).toBe(400);
    expect(noName.body.code).toBe('missing_event_name');
  });

  it('answers 400 "Exceed payload limit" for a call over 32 KB, and accepts one just under', () => {
    const base = { userId: 'u', event: 'Big', properties: { blob: '' } };
    const overhead = JSON.stringify(base).length;
    const fits = { ...base, properties: { blob: 'x'.repeat(MAX_EVENT_BYTES - overhead) } };
    expect(JSON.stringify(fits).length).toBe(MAX_EVENT_BYTES);
    expect(handleTrackingRequest(post('/v1/track', fits)).status).toBe(200);
    const over = { ...base, properties: { blob: 'x'.repeat(MAX_EVENT_BYTES - overhead + 1) } };
    const answer = handleTrackingRequest(post('/v1/track', over));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ success: false, message: 'Exceed payload limit' });
    expect(answer.events).toEqual([]);
  });

  it('answers 400 for invalid JSON and for a body that is not an object', () => {
    const bad = handleTrackingRequest(post('/v1/track', '{"userId": "u",'));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid_json', message: 'Invalid JSON' });
    expect(handleTrackingRequest(post('/v1/track', '[1]')).status).toBe(400);
  });
});

describe('write key', () => {
  it('is read from Basic auth (key as user name), also without the colon', () => {
    expect(findWriteKey(basic('abc123'), {})).toEqual({ ok: true, found: { key: 'abc123', source: 'basic-auth' } });
    expect(findWriteKey(`Basic ${Buffer.from('abc123').toString('base64')}`, {})).toMatchObject({ ok: true, found: { key: 'abc123' } });
  });

  it('answers 400 when there is none, and for a Bearer token without a body key', () => {
    const none = handleTrackingRequest(post('/v1/track', { userId: 'u', event: 'E' }, null));
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('missing_write_key');
    const empty = handleTrackingRequest(post('/v1/track', { userId: 'u', event: 'E' }, basic('')));
    expect(empty.status).toBe(400);
    const bearer = handleTrackingRequest(post('/v1/track', { userId: 'u', event: 'E' }, 'Bearer t0k'));
    expect(bearer.status).toBe(400);
    expect(String(bearer.body.message)).toMatch(/Bearer/);
    const bearerWithBodyKey = handleTrackingRequest(post('/v1/track', { userId: 'u', event: 'E', writeKey: 'k' }, 'Bearer t0k'));
    expect(bearerWithBodyKey.status).toBe(200);
  });

  it('with an expected key, refuses any other with 401 and records nothing', () => {
    const wrong = handleTrackingRequest(post('/v1/track', { userId: 'u', event: 'E' }, basic('other')), { writeKey: 'wk_1' });
    expect(wrong.status).toBe(401);
    expect(wrong.events).toEqual([]);
    expect(handleTrackingRequest(post('/v1/track', { userId: 'u', event: 'E' }), { writeKey: 'wk_1' }).status).toBe(200);
  });
});

describe('batch', () => {
  it('merges batch context and integrations into each event (the event wins) and applies the batch sentAt', () => {
    const answer = handleTrackingRequest(
      post('/v1/batch', {
        batch: [
          { type: 'identify', userId: 'u1', traits: { a: 1 }, timestamp: '2026-03-01T11:59:58.000Z', context: { device: { name: 'mine' } } },
          { type: 'track', userId: 'u1', event: 'E', integrations: { Mixpanel: false } },
        ],
        context: { device: { type: 'phone', name: 'batch' }, ip: '127.0.0.1' },
        integrations: { All: true },
        sentAt: '2026-03-01T12:00:00.000Z',
        writeKey: 'wk',
      }),
    );
    expect(answer.status).toBe(200);
    expect(answer.events).toHaveLength(2);
    const [identify, track] = answer.events;
    expect(identify.context).toEqual({ device: { type: 'phone', name: 'mine' }, ip: '127.0.0.1' });
    expect(identify.integrations).toEqual({ All: true });
    expect(identify.sentAt).toBe('2026-03-01T12:00:00.000Z');
    expect(identify.timestamp).toBe('2026-03-01T12:00:08.000Z');
    expect(track.integrations).toEqual({ All: true, Mixpanel: false });
    expect(track.timestamp).toBe(RECEIVED.toISOString());
    expect(identify.messageId).not.toBe(track.messageId);
  });

  it('drops an invalid item alone and says which', () => {
    const answer = handleTrackingRequest(
      post('/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'ok' }, { type: 'launch', userId: 'u' }, 'nope', { type: 'page' }] }),
    );
    expect(answer.status).toBe(200);
    expect(answer.events.map((e) => e.event)).toEqual(['ok']);
    expect(answer.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'invalid_type'],
      [2, 'invalid_event'],
      [3, 'no_user_anon_id'],
    ]);
  });

  it('answers 400 when one event is over 32 KB or the request over 500 KB', () => {
    const big = { type: 'track', userId: 'u', event: 'E', properties: { blob: 'x'.repeat(MAX_EVENT_BYTES) } };
    const oneBig = handleTrackingRequest(post('/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'ok' }, big] }));
    expect(oneBig.status).toBe(400);
    expect(oneBig.body).toMatchObject({ message: 'Exceed payload limit' });
    expect(String(oneBig.body.detail)).toMatch(/batch\[1\]/);
    expect(oneBig.events).toEqual([]);

    const item = { type: 'track', userId: 'u', event: 'E', properties: { blob: 'x'.repeat(30 * 1024) } };
    const count = Math.ceil(MAX_BATCH_BYTES / JSON.stringify(item).length) + 1;
    const tooBig = handleTrackingRequest(post('/v1/batch', { batch: Array.from({ length: count }, () => item) }));
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.message).toBe('Exceed payload limit');
    expect(String(tooBig.body.detail)).toMatch(/500 KB/);
  });

  it('rejects every event of a batch over 2500 events with a 200, as Segment does', () => {
    const batch = Array.from({ length: MAX_BATCH_EVENTS + 1 }, (_, i) => ({ type: 'track', userId: 'u', event: `e${i}` }));
    const answer = handleTrackingRequest(post('/v1/batch', { batch }));
    expect(answer.status).toBe(200);
    expect(answer.events).toEqual([]);
    expect(answer.rejected[0].code).toBe('too_many_events');
  });

  it('answers 400 when "batch" is not an array', () => {
    expect(handleTrackingRequest(post('/v1/batch', { batch: {} })).status).toBe(400);
  });
});

describe('deliveredEvent', () => {
  it('removes transport fields and never loses the event\'s own data', () => {
    const event = deliveredEvent(
      { type: 'track', userId: 'u', event: 'E', writeKey: 'k', _metadata: { jsRuntime: 'node' }, properties: { nested: { a: [1, 2] } } },
      { endpointType: null, batch: {}, receivedAt: RECEIVED, makeMessageId: () => 'api-fixed' },
    );
    expect(event).toEqual({
      type: 'track',
      userId: 'u',
      event: 'E',
      properties: { nested: { a: [1, 2] } },
      messageId: 'api-fixed',
      receivedAt: RECEIVED.toISOString(),
      timestamp: RECEIVED.toISOString(),
    });
  });

  it('server message ids are distinct', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => serverMessageId(RECEIVED)));
    expect(ids.size).toBe(1000);
  });
});
