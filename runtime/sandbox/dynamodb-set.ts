/**
 * DocumentClient sets as guests see them: aws-sdk v2's DynamoDBSet shape (`wrapperName:
 * 'Set'`, `values`, `type`; JSON is its values), built here so no SDK object reaches a
 * guest. The SDK recognises a set by `wrapperName` alone, so a set in a guest's params
 * travels to it with that shape intact (see sdk-params.ts; plain JSON would turn it into
 * a list: L instead of SS/NS/BS).
 */

export type SetType = 'String' | 'Number' | 'Binary';

interface GuestSet {
  wrapperName: 'Set';
  values: unknown[];
  type: SetType;
}

let setPrototype: object | null = null;

/** Shared and frozen: guests cannot change how another function's sets serialise. */
function prototypeOfSets(): object {
  setPrototype ??= harden({
    toJSON(this: { values?: unknown }): unknown {
      return this.values;
    },
  });
  return setPrototype;
}

function memberType(value: unknown): SetType | null {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return 'Number';
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return 'Binary';
  return null;
}

/** The SDK's name for a value's type in its messages (its constructor's name). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (memberType(value) === 'Binary') return 'Binary';
  if (Array.isArray(value)) return 'Array';
  switch (typeof value) {
    case 'string': return 'String';
    case 'number': return 'Number';
    case 'boolean': return 'Boolean';
    case 'bigint': return 'BigInt';
    case 'symbol': return 'Symbol';
    case 'function': return 'Function';
    default: return 'Object';
  }
}

function invalidSetType(message: string): Error {
  const error = new Error(message);
  error.name = 'InvalidSetType';
  (error as Error & { code?: string }).code = 'InvalidSetType';
  return error;
}

function makeSet(values: unknown[], type: SetType): GuestSet {
  const set = Object.create(prototypeOfSets()) as GuestSet;
  set.wrapperName = 'Set';
  set.values = values;
  set.type = type;
  return set;
}

/** `documentClient.createSet(list, {validate})`, with the SDK's checks and messages. */
export function createGuestSet(list: unknown, options?: unknown): GuestSet {
  const values: unknown[] = Array.isArray(list) ? [...(list as unknown[])] : [list];
  const type = memberType(values[0]);
  if (!type) throw invalidSetType('Sets can contain string, number, or binary values');
  if (options && typeof options === 'object' && (options as { validate?: unknown }).validate) {
    for (const value of values) {
      if (memberType(value) !== type) throw invalidSetType(`${type} Set contains ${typeName(value)} value`);
    }
  }
  return makeSet(values, type);
}

/** A set the SDK returned (already copied to guest data), as a guest set; null if `value` is none. */
export function guestSetFrom(value: object, copyValues: (values: unknown[]) => unknown[]): GuestSet | null {
  const candidate = value as Partial<GuestSet>;
  if (candidate.wrapperName !== 'Set' || !Array.isArray(candidate.values)) return null;
  const type = candidate.type === 'String' || candidate.type === 'Number' || candidate.type === 'Binary' ? candidate.type : null;
  if (!type) return null;
  return makeSet(copyValues(candidate.values), type);
}
