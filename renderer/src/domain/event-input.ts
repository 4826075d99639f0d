/**
 * The event editor's text → what a run sends, plus Segment-spec warnings. Warnings never
 * block a run (Segment itself would deliver such events to the function); a JSON syntax
 * error does, because there is nothing to send.
 */
import { jsonErrorPosition } from './json-position';

const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias', 'delete'] as const;

export type ParsedEventInput =
  | { ok: true; value: object; warnings: string[] }
  | { ok: false; error: string; warnings: string[] };

export function parseEventInput(text: string): ParsedEventInput {
  if (text.trim() === '') return { ok: false, error: 'The event is empty: pick a sample event or paste one.', warnings: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const at = jsonErrorPosition(text);
    if (at) return { ok: false, error: `The event is not valid JSON at line ${at.line}, column ${at.column}: ${at.reason}.`, warnings: [] };
    return { ok: false, error: `The event is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, warnings: [] };
  }
  if (typeof value !== 'object' || value === null) {
    return { ok: false, error: 'The event must be a JSON object (or an array of events for onBatch).', warnings: [] };
  }
  return { ok: true, value, warnings: eventWarnings(value) };
}

export function eventWarnings(value: unknown): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return ['The batch is empty: onBatch would receive no events.'];
    return value.flatMap((item, index) => eventWarnings(item).map((w) => `Event ${index + 1} of the batch: ${lowerFirst(w)}`));
  }
  if (typeof value !== 'object' || value === null) return ['Not an event object.'];
  const event = value as Record<string, unknown>;
  const warnings: string[] = [];
  const type = event.type;
  if (type === undefined) warnings.push('It has no "type": Segment routes events to handlers by type (track → onTrack, …).');
  else if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    warnings.push(`Unknown type ${JSON.stringify(type)}: Segment's types are ${EVENT_TYPES.join(', ')}.`);
  }
  if (!nonEmpty(event.userId) && !nonEmpty(event.anonymousId)) {
    warnings.push('It has neither "userId" nor "anonymousId": Segment requires one of them.');
  }
  return warnings;
}

function nonEmpty(v: unknown): boolean {
  return (typeof v === 'string' && v.length > 0) || typeof v === 'number';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
