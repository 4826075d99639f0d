/**
 * Checks an invocation's input before it reaches a worker, as Segment's tracking API
 * does before an event ever reaches a function. Rejections are reported with the
 * Message Rejected category (error name InvalidEventPayload): the payload itself is
 * invalid, which is what that category means, and Segment does not retry it.
 */

export const MAX_EVENT_BYTES = 32 * 1024;

export interface InputProblem {
  message: string;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** An input that passed the checks, as the JSON text it travels to the sandbox in. */
export interface EncodedInput {
  json: string;
}

function checkEvent(event: unknown, where: string): InputProblem | EncodedInput {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { message: `${where} must be a JSON object, got ${describe(event)}` };
  }
  let json: string | undefined;
  try {
    // Segment receives events as JSON: what the function sees is exactly this text parsed.
    json = JSON.stringify(event);
  } catch (err) {
    return { message: `${where} is not JSON-serialisable: ${(err as Error).message}` };
  }
  // A UTF-16 code unit takes 1 to 3 bytes of UTF-8: most events need no byte count.
  const length = json === undefined ? 0 : json.length;
  const bytes = length * 3 <= MAX_EVENT_BYTES ? length : Buffer.byteLength(json ?? '', 'utf8');
  if (bytes > MAX_EVENT_BYTES) {
    return { message: `${where} is ${bytes} bytes of JSON; Segment rejects events over 32 KB (${MAX_EVENT_BYTES} bytes)` };
  }
  const type = (event as { type?: unknown }).type;
  if (typeof type !== 'string' || type === '') {
    return { message: `${where} has no "type" (expected identify, track, page, screen, group, alias or delete)` };
  }
  return { json: json };
}

/**
 * Checks an event or a batch of events and encodes it as JSON (each event is limited on
 * its own, as Segment limits events, not batches). Returns the first problem instead
 * when there is one.
 */
export function encodeInput(input: unknown): InputProblem | EncodedInput {
  if (Array.isArray(input)) {
    if (input.length === 0) return { message: 'the batch is empty: onBatch needs at least one event' };
    const parts = new Array<string>(input.length);
    for (let i = 0; i < input.length; i++) {
      const checked = checkEvent(input[i], `batch event [${i}]`);
      if ('message' in checked) return checked;
      parts[i] = checked.json;
    }
    return { json: `[${parts.join(',')}]` };
  }
  return checkEvent(input, 'the event');
}

/**
 * An input someone already checked and encoded with encodeInput, given to the runtime as a
 * request's `input`: the runtime uses its JSON text as it is. The host of the runtime
 * process checks a bulk's events before they travel, so they cross the process boundary
 * as text rather than as object graphs to copy twice.
 */
export class CheckedInput {
  /** `json`: the text, or the text in UTF-8 (as it crosses the process boundary). */
  constructor(readonly json: string | Uint8Array) {
    if (typeof json !== 'string' && !(json instanceof Uint8Array)) throw new TypeError('runtime: a CheckedInput holds JSON text');
  }
}

/** Returns the first problem with an event or a batch of events, or null when valid. */
export function checkInput(input: unknown): InputProblem | null {
  const checked = encodeInput(input);
  return 'message' in checked ? checked : null;
}
