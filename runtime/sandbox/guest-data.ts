/**
 * Deep copy of host library results into data a guest may hold: primitives, Buffers
 * (copied), Dates (copied), arrays and plain objects. Anything else (streams,
 * functions, class instances' hidden state) is dropped, so no host object leaks.
 */
import { guestSetFrom } from './dynamodb-set';

export function toGuestData(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (depth > 64) return undefined;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value);
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map((item) => toGuestData(item, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (typeof (value as { pipe?: unknown }).pipe === 'function') return undefined; // a stream
  if (proto !== Object.prototype && proto !== null && value instanceof Set) return [...value].map((item) => toGuestData(item, depth + 1));
  // A DocumentClient result's DynamoDBSet: the guest gets the same shape, from our own code.
  const set = proto !== Object.prototype && proto !== null ? guestSetFrom(value, (values) => values.map((item) => toGuestData(item, depth + 1))) : null;
  if (set) return set;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copied = toGuestData((value as Record<string, unknown>)[key], depth + 1);
    if (copied !== undefined) out[key] = copied;
  }
  return out;
}
