/**
 * JSON texts as UTF-8 in one buffer: how events and outcomes travel between the host, the
 * runtime process and the sandbox workers (one buffer per message, outside the V8 heap,
 * instead of a string per event). No dependencies beyond Node's globals.
 */

/** A JSON text, as a string or as its UTF-8 bytes. */
export type JsonText = string | Uint8Array;

/**
 * `texts` one after the other in one buffer, with each one's length in bytes; a null
 * text takes no room and has the length -1 (an entry that travels some other way).
 */
export function packTexts(texts: ReadonlyArray<JsonText | null>): { bytes: Uint8Array; lengths: number[] } {
  const lengths = new Array<number>(texts.length);
  let total = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    lengths[i] = text === null ? -1 : typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.length;
    if (text !== null) total += lengths[i];
  }
  // Every byte is written below; unpooled, so the buffer is this message's alone.
  const bytes = Buffer.allocUnsafeSlow(total);
  for (let i = 0, at = 0; i < texts.length; i++) {
    const text = texts[i];
    if (text === null) continue;
    if (typeof text === 'string') bytes.write(text, at, 'utf8');
    else bytes.set(text, at);
    at += lengths[i];
  }
  return { bytes, lengths };
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The text of UTF-8 bytes. A JSON text from JSON.stringify never starts with a byte order
 * mark, so none is dropped; an invalid sequence becomes U+FFFD.
 */
export function utf8Text(bytes: Uint8Array): string {
  return Buffer.isBuffer(bytes) ? bytes.toString('utf8') : decoder.decode(bytes);
}

const encoder = new TextEncoder();

/** A string's UTF-8 bytes. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}
