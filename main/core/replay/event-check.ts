/**
 * Whether one parsed input value is an event replay can deliver: an object with a
 * `type`, at most 32 KB of JSON (Segment's tracking API refuses bigger ones).
 */
import type { SkipReason } from '../../contract/replay';

/** Segment's limit on one event's JSON. */
export const MAX_EVENT_BYTES = 32 * 1024;

export type EventCheck = { ok: true; event: Record<string, unknown> } | { ok: false; reason: SkipReason; detail: string };

/**
 * `rawLength` is the length of the text the value was parsed from: only when that could
 * exceed the limit is the value written out again to measure it as Segment would.
 */
export function checkEvent(value: unknown, rawLength: number): EventCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not-an-object', detail: `expected an event object, got ${describe(value)}` };
  }
  const event = value as Record<string, unknown>;
  if (typeof event.type !== 'string' || event.type === '') {
    return {
      ok: false,
      reason: 'no-type',
      detail: event.type === undefined ? 'the event has no "type" (track, identify, page, screen, group, alias, delete)' : `"type" must be a non-empty string, got ${describe(event.type)}`,
    };
  }
  if (rawLength > MAX_EVENT_BYTES / 3) {
    const bytes = Buffer.byteLength(JSON.stringify(event), 'utf8');
    if (bytes > MAX_EVENT_BYTES) return { ok: false, reason: 'too-large', detail: tooLarge(bytes) };
  }
  return { ok: true, event };
}

/**
 * Where a value starts, a number written with an exponent (`1e9`: V8 writes it out as
 * `1000000000`) or a negative zero (`-0` parses to -0, which JSON.stringify writes as `0`).
 * One expression, one scan. A match inside a string only makes the check below more
 * careful than it needs to be.
 */
const REWRITTEN_NUMBER = /[:,[]\s*(?:-?\d+(?:\.\d+)?[eE]|-0(?:\.0+)?(?![\d.eE]))/;

/**
 * Whether an event's own text can travel to the function in place of the event written
 * out again: parsing either gives the function the very same event, because
 * JSON.stringify of a parsed text only drops what parsing ignored (whitespace, escapes,
 * `1.50`'s trailing zero, a key given twice) except for the two kinds of numbers above.
 * The 32 KB verdict cannot differ either: `text` is one that passed checkEvent's quick path
 * (at most MAX_EVENT_BYTES / 3 characters), and the rewrite is never longer. Scanning a
 * 700-character event takes ~0.6 µs; writing it out, ~1.7 µs.
 */
export function textTravelsAsIs(text: string): boolean {
  return !REWRITTEN_NUMBER.test(text);
}

export function tooLarge(bytes: number | null): string {
  return `the event is ${bytes === null ? 'far' : `${(bytes / 1024).toFixed(1)} KB,`} over Segment's 32 KB limit`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 30 ? value.slice(0, 30) + '…' : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
