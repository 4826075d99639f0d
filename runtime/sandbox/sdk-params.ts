/**
 * A guest's params for an aws-sdk v2 operation, copied into host data the SDK accepts.
 * JSON would be the simplest copy, but it loses what the SDK distinguishes: binary data
 * (an S3 Body, Kinesis Data, a DynamoDB B attribute: Buffers, typed arrays, ArrayBuffers
 * become Buffers here), Dates (timestamps), and DocumentClient sets (recognised by
 * `wrapperName: 'Set'`, whose toJSON would make them lists). Everything else follows JSON's
 * rules: toJSON is honoured, functions and undefined are dropped, BigInt becomes its text.
 * Nothing of the guest's reaches the SDK by reference.
 */
import { copyBytes } from './bytes';

const MAX_DEPTH = 64;

function copy(value: unknown, path: string, ancestors: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined; // functions, symbols, undefined
  const bytes = copyBytes(value);
  if (bytes) return bytes;
  if (value instanceof Date) return new Date(value.getTime());
  if (ancestors.has(value)) throw new TypeError(`AWS params cannot contain a cycle (at ${path})`);
  if (ancestors.size >= MAX_DEPTH) throw new TypeError(`AWS params are nested more than ${MAX_DEPTH} levels deep (at ${path})`);
  ancestors.add(value);
  try {
    const record = value as Record<string, unknown>;
    if (record.wrapperName === 'Set') {
      return { wrapperName: 'Set', type: record.type, values: copy(record.values, `${path}.values`, ancestors) };
    }
    if (typeof record.toJSON === 'function') {
      return copy((record.toJSON as (key: string) => unknown).call(value, ''), path, ancestors);
    }
    if (Array.isArray(value)) {
      return value.map((item, index) => {
        const copied = copy(item, `${path}[${index}]`, ancestors);
        return copied === undefined ? null : copied;
      });
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const copied = copy(record[key], `${path}.${key}`, ancestors);
      if (copied !== undefined) out[key] = copied;
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/** The SDK's copy of a guest's params object (an empty object for none). */
export function toSdkParams(params: unknown): Record<string, unknown> {
  const copied = copy(params ?? {}, 'params', new Set());
  if (copied === null || typeof copied !== 'object' || Array.isArray(copied) || Buffer.isBuffer(copied) || copied instanceof Date) {
    throw new TypeError('AWS params must be an object');
  }
  return copied as Record<string, unknown>;
}
