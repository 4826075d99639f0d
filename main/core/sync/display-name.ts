/**
 * The " (<workspace name>)" suffix the Public API appends to destination functions'
 * display names [SDK note; exact format INFERRED]. It is stripped on pull and never sent
 * back on push, so it is never doubled. What is known about it is kept as evidence:
 * 'observed' when a save returned exactly what was sent plus the suffix, 'inferred' when
 * it was guessed from names alone on a pull.
 */

export interface NameSuffix {
  /** Including the leading space and parentheses, e.g. " (Acme Prod)". */
  text: string;
  evidence: 'observed' | 'inferred';
}

const TRAILING_PARENS = / \(([^()]+)\)$/;

/** The suffix shared by the names, or by the one name when there is one; null when none can be told. */
export function inferSuffix(names: readonly string[]): NameSuffix | null {
  const tails = names.map((n) => TRAILING_PARENS.exec(n)?.[0] ?? null);
  if (tails.length === 0 || tails.some((t) => t === null)) return null;
  const first = tails[0]!;
  return tails.every((t) => t === first) ? { text: first, evidence: 'inferred' } : null;
}

/** When the API returned exactly what was sent plus " (…)", that is the suffix, observed. */
export function observeSuffix(sent: string, returned: string): NameSuffix | null {
  if (returned === sent || !returned.startsWith(sent)) return null;
  const rest = returned.slice(sent.length);
  return TRAILING_PARENS.test(rest) && rest.match(TRAILING_PARENS)?.index === 0 ? { text: rest, evidence: 'observed' } : null;
}

export function stripSuffix(name: string, suffix: NameSuffix | null): string {
  if (!suffix || !name.endsWith(suffix.text)) return name;
  const stripped = name.slice(0, -suffix.text.length);
  return stripped.trim() === '' ? name : stripped;
}
