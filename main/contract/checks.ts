/**
 * Tiny composable argument checks. A check returns a problem description ("must be a
 * string, got number") or null; combinators prefix nested problems with the field path
 * so every message says exactly which value is wrong.
 */
import { describeType } from './ids';

export type Check = (value: unknown) => string | null;

export function str(options: { min?: number; max?: number; pattern?: RegExp; patternHint?: string } = {}): Check {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  return (value) => {
    if (typeof value !== 'string') return `must be a string, got ${describeType(value)}`;
    if (value.length < min) return min === 1 ? 'must not be empty' : `must be at least ${min} characters long`;
    if (value.length > max) return `must be at most ${max} characters long, got ${value.length}`;
    if (options.pattern && !options.pattern.test(value)) return `must be ${options.patternHint ?? `like ${String(options.pattern)}`}`;
    return null;
  };
}

export const bool: Check = (value) => (typeof value === 'boolean' ? null : `must be true or false, got ${describeType(value)}`);

export function int(min: number, max: number): Check {
  return (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return `must be an integer, got ${describeNumberish(value)}`;
    if (value < min || value > max) return `must be between ${min} and ${max}, got ${value}`;
    return null;
  };
}

export const finiteNumber: Check = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? null : `must be a finite number, got ${describeNumberish(value)}`;

export function oneOf<T extends string>(values: readonly T[]): Check {
  return (value) =>
    typeof value === 'string' && (values as readonly string[]).includes(value)
      ? null
      : `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}`;
}

export function nullable(check: Check): Check {
  return (value) => (value === null ? null : check(value));
}

/** Wraps a problem-returning function from ids.ts. */
export function from(problemOf: (value: unknown) => string | null): Check {
  return problemOf;
}

export function arrayOf(item: Check, options: { max?: number } = {}): Check {
  return (value) => {
    if (!Array.isArray(value)) return `must be an array, got ${describeType(value)}`;
    if (options.max !== undefined && value.length > options.max) return `must have at most ${options.max} items, got ${value.length}`;
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i]);
      if (problem) return `[${i}] ${problem}`;
    }
    return null;
  };
}

export function recordOf(entry: Check, options: { maxKeys?: number } = {}): Check {
  return (value) => {
    if (!isPlainObject(value)) return `must be an object, got ${describeType(value)}`;
    const keys = Object.keys(value);
    if (options.maxKeys !== undefined && keys.length > options.maxKeys) return `must have at most ${options.maxKeys} keys, got ${keys.length}`;
    for (const key of keys) {
      const problem = entry(value[key]);
      if (problem) return `["${key}"] ${problem}`;
    }
    return null;
  };
}

/**
 * An object with known fields. Unknown fields are rejected: a typo in a patch must not
 * be silently ignored.
 */
export function shape(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (value) => {
    if (!isPlainObject(value)) return `must be an object, got ${describeType(value)}`;
    for (const key of Object.keys(value)) {
      if (!(key in required) && !(key in optional)) {
        const known = [...Object.keys(required), ...Object.keys(optional)].join(', ');
        return `has unknown field "${key}" (known: ${known})`;
      }
    }
    for (const [key, check] of Object.entries(required)) {
      if (!(key in value) || value[key] === undefined) return `is missing field "${key}"`;
      const problem = check(value[key]);
      if (problem) return `field "${key}" ${problem}`;
    }
    for (const [key, check] of Object.entries(optional)) {
      if (value[key] === undefined) continue;
      const problem = check(value[key]);
      if (problem) return `field "${key}" ${problem}`;
    }
    return null;
  };
}

export function all(...checks: Check[]): Check {
  return (value) => {
    for (const check of checks) {
      const problem = check(value);
      if (problem) return problem;
    }
    return null;
  };
}

export const anyJsonContainer: Check = (value) =>
  (typeof value === 'object' && value !== null) ? null : `must be an event object or an array of events, got ${describeType(value)}`;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describeNumberish(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeType(value);
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value) : describeType(value);
}
