/**
 * A light JSON schema of Segment events for the event editor: completion and hover for the
 * common fields. Deliberately permissive (extra fields allowed) — the spec warnings in the
 * event panel are the authoritative, non-blocking checks.
 */
const TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias', 'delete'];

const event = {
  type: 'object',
  properties: {
    type: { enum: TYPES, description: 'Which handler runs: track → onTrack, identify → onIdentify, …' },
    messageId: { type: 'string', maxLength: 100, description: 'Unique id of the message (at most 100 characters).' },
    userId: { type: ['string', 'null'], description: 'Your id for the user. One of userId / anonymousId is required.' },
    anonymousId: { type: ['string', 'null'], description: 'Id of an anonymous visitor. One of userId / anonymousId is required.' },
    event: { type: 'string', description: 'track: the action, e.g. "Course Clicked".' },
    properties: { type: 'object', description: 'track/page/screen: properties of the action or view.' },
    traits: { type: 'object', description: 'identify/group: traits of the user or group.' },
    name: { type: 'string', description: 'page/screen: name of the page or screen.' },
    groupId: { type: 'string', description: 'group: the group (account) id.' },
    previousId: { type: 'string', description: 'alias: the previous id of the user.' },
    context: { type: ['object', 'array'], description: 'Extra information about the event (ip, library, page, userAgent, …).' },
    integrations: { type: ['object', 'array'], description: 'Destinations to send to; default {"All": true}.' },
    timestamp: { type: 'string', description: 'ISO-8601 UTC time of the event.' },
    sentAt: { type: 'string', description: 'ISO-8601 UTC time the library sent it.' },
    receivedAt: { type: 'string', description: 'ISO-8601 UTC time Segment received it.' },
    originalTimestamp: { type: 'string', description: 'ISO-8601 UTC time on the device.' },
  },
};

export const SEGMENT_EVENT_SCHEMA = {
  description: 'A Segment event, or an array of events for onBatch.',
  anyOf: [event, { type: 'array', items: event }],
};
