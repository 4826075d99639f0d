/**
 * The messageId Segment's Tracking API gives an event whose client sent none. Server-made
 * ids seen in Segment's debugger look like `api-` followed by a 27-character KSUID; we make
 * one of the same shape (time-ordered prefix + randomness), not a real KSUID.
 */
import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 27;

export function serverMessageId(now: Date = new Date()): string {
  // Seconds first so ids sort roughly by arrival, like a KSUID's timestamp prefix.
  let seconds = Math.floor(now.getTime() / 1000);
  let prefix = '';
  for (let i = 0; i < 6; i++) {
    prefix = BASE62[seconds % 62] + prefix;
    seconds = Math.floor(seconds / 62);
  }
  const bytes = randomBytes(ID_LENGTH - prefix.length);
  let rest = '';
  for (const b of bytes) rest += BASE62[b % 62];
  return `api-${prefix}${rest}`;
}
