/**
 * Masks the values of encrypted settings wherever fnstudio shows or stores output.
 * Segment warns authors not to log secrets; authors do it anyway, so every outcome is
 * passed through here before a host prints, sends or saves it.
 */
import type { Outcome } from '../contract/outcome';

export const MASK = '••••';

/**
 * `••••` plus a short tail of the secret so the author can tell which one it was. Short
 * secrets reveal proportionally less (at most a quarter of their characters), so a
 * 6-character secret shows one character and a 3-character one shows none.
 */
export function maskSecret(secret: string): string {
  const chars = Array.from(secret);
  const shown = Math.min(4, Math.floor(chars.length / 4));
  return MASK + (shown > 0 ? chars.slice(-shown).join('') : '');
}

export interface Redactor {
  /** Masks every known form of every secret in `text`. */
  text: (text: string) => string;
  /** Deep copy of JSON-like data with every string (and object key) redacted. */
  value<T>(value: T): T;
  /** True when there is nothing to redact (no non-empty secrets). */
  readonly empty: boolean;
}

/**
 * Builds a redactor for a set of secret values. Besides the plaintext it masks the forms a
 * secret commonly takes in requests and logs: URL-encoded (`%20` and `+` spaces),
 * JSON-escaped, and base64 (standard and URL-safe, at any byte alignment, so a secret
 * inside `Basic base64(user:secret)` is caught too).
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const replacements = new Map<string, string>();
  for (const secret of new Set(secrets)) {
    if (typeof secret !== 'string' || secret.length === 0) continue;
    const mask = maskSecret(secret);
    for (const form of encodedForms(secret)) {
      // A form shared by two secrets keeps the first mask; either is equally safe.
      if (!replacements.has(form)) replacements.set(form, mask);
    }
  }
  if (replacements.size === 0) {
    return { empty: true, text: (t) => t, value: <T>(v: T) => v };
  }
  // Longest first, so a secret containing another secret is masked as a whole.
  const forms = [...replacements.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  const text = (input: string): string =>
    input.replace(pattern, (found) => replacements.get(found) ?? MASK);
  const value = <T>(input: T): T => redactDeep(input, text, new WeakMap()) as T;
  return { empty: false, text, value };
}

export function redactText(text: string, secrets: readonly string[]): string {
  return createRedactor(secrets).text(text);
}

/**
 * A copy of `outcome` with every secret masked in logs, request traces (URLs, headers,
 * bodies, responses, network errors), the error's message and stack, the return value
 * and batch items. The outcome's own field names and its enumerated values (category,
 * log level) are kept, so the result is still a well-formed Outcome even if a secret
 * happens to equal one of them; everything else, including fields added to Outcome
 * later, is redacted.
 */
export function redactOutcome(outcome: Outcome, secrets: readonly string[]): Outcome {
  const redactor = createRedactor(secrets);
  if (redactor.empty) return outcome;
  return redactStructure(outcome, redactor, new WeakMap()) as Outcome;
}

/** Fields of Outcome (and its parts) whose values are fixed vocabularies, not user data. */
const ENUM_FIELDS = new Set(['outcome', 'level', 'category']);
/** Fields whose contents are user data all the way down (object keys included). */
const DATA_FIELDS = new Set(['result', 'headers']);

function redactStructure(input: unknown, redactor: Redactor, seen: WeakMap<object, unknown>): unknown {
  if (typeof input === 'string') return redactor.text(input);
  if (input === null || typeof input !== 'object') return input;
  if (Array.isArray(input)) return input.map((item) => redactStructure(item, redactor, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (ENUM_FIELDS.has(key) && typeof value === 'string') copy[key] = value;
    else if (DATA_FIELDS.has(key)) copy[key] = redactDeep(value, redactor.text, seen);
    else copy[key] = redactStructure(value, redactor, seen);
  }
  return copy;
}

/** Secret values as strings: what a setting's value can appear as in output. */
export function secretStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.length > 0 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(secretStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(secretStrings);
  // Booleans and numbers cannot be masked meaningfully (every "true" would vanish).
  return [];
}

function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  forms.add(encodeURI(secret));
  forms.add(JSON.stringify(secret).slice(1, -1));
  // Lone fragments of base64 shorter than this would match unrelated text too often.
  if (Buffer.byteLength(secret) >= 4) {
    for (const fragment of base64Fragments(Buffer.from(secret, 'utf8'))) {
      forms.add(fragment);
      forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  forms.delete('');
  return [...forms];
}

/**
 * The base64 characters determined only by the secret's bytes, for each of the three
 * positions the secret can start at inside a longer base64 string.
 */
function base64Fragments(bytes: Buffer): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const fragment = encoded.slice(first, end);
    if (fragment.length >= 4) fragments.push(fragment);
  }
  // The whole padded encoding, as written when the secret alone is base64-encoded.
  fragments.push(bytes.toString('base64'));
  return fragments;
}

function redactDeep(input: unknown, text: (t: string) => string, seen: WeakMap<object, unknown>): unknown {
  if (typeof input === 'string') return text(input);
  if (input === null || typeof input !== 'object') return input;
  const known = seen.get(input);
  if (known !== undefined) return known;
  if (Array.isArray(input)) {
    const copy: unknown[] = [];
    seen.set(input, copy);
    for (const item of input) copy.push(redactDeep(item, text, seen));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  seen.set(input, copy);
  for (const [key, item] of Object.entries(input)) {
    copy[text(key)] = redactDeep(item, text, seen);
  }
  return copy;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
