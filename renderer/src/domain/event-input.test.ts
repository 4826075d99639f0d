import { describe, expect, it } from 'vitest';
import { eventWarnings, parseEventInput } from './event-input';

describe('parseEventInput', () => {
  it('parses an event object without warnings when it follows the spec', () => {
    const parsed = parseEventInput('{"type":"track","event":"Clicked","userId":"u1"}');
    expect(parsed).toEqual({ ok: true, value: { type: 'track', event: 'Clicked', userId: 'u1' }, warnings: [] });
  });

  it('refuses invalid JSON, empty text and non-objects with a clear error', () => {
    const bad = parseEventInput('{"type": ');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toBe("The event is not valid JSON at line 1, column 10: expected a value, found the end of the text.");
    const comma = parseEventInput('{\n  "type": "track",\n  "userId": "u"\n  "event": "E"\n}');
    expect(comma.ok === false && comma.error).toBe('The event is not valid JSON at line 4, column 3: expected \',\' or \'}\' after a property value, found "\\"".');
    const trailing = parseEventInput('[{"type": "track"},]');
    expect(trailing.ok === false && trailing.error).toMatch(/at line 1, column 20: expected a value, found "\]"/);
    const empty = parseEventInput('  ');
    expect(empty.ok === false && empty.error).toMatch(/empty/);
    const scalar = parseEventInput('42');
    expect(scalar.ok === false && scalar.error).toMatch(/must be a JSON object/);
  });

  it('warns (without blocking) about unknown types and missing user ids', () => {
    const parsed = parseEventInput('{"type":"purchase"}');
    expect(parsed.ok).toBe(true);
    expect(parsed.warnings).toEqual([
      'Unknown type "purchase": Segment\'s types are track, identify, page, screen, group, alias, delete.',
      'It has neither "userId" nor "anonymousId": Segment requires one of them.',
    ]);
    expect(eventWarnings({ anonymousId: 'a' })).toEqual([
      'It has no "type": Segment routes events to handlers by type (track → onTrack, …).',
    ]);
  });

  it('checks every event of a batch and names its position', () => {
    expect(eventWarnings([{ type: 'track', userId: 'u' }, { type: 'nope', userId: 'u' }])).toEqual([
      'Event 2 of the batch: unknown type "nope": Segment\'s types are track, identify, page, screen, group, alias, delete.',
    ]);
    expect(eventWarnings([])).toEqual(['The batch is empty: onBatch would receive no events.']);
  });
});
