/**
 * The Mocks panel edits mocks.json as text; the form is a view of that text. These helpers
 * read rules out of the text, change one field, and write the text back, so the form and
 * the JSON editor can never disagree. Validation itself is the host's (mocks.check).
 */
import type { MockRule, RequestTrace } from '../../../main/contract';

export const EMPTY_MOCKS_TEXT = '[]\n';

/** The rules in the text, or null when it is not a JSON array (the form cannot show it then). */
export function rulesOfText(text: string): unknown[] | null {
  if (text.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

export function textOfRules(rules: unknown[]): string {
  return `${JSON.stringify(rules, null, 2)}\n`;
}

export type RuleObject = Record<string, unknown>;

export function asRuleObject(rule: unknown): RuleObject {
  return typeof rule === 'object' && rule !== null && !Array.isArray(rule) ? (rule as RuleObject) : {};
}

/** Sets (or with undefined, removes) one field of rule `index`. */
export function withRuleField(text: string, index: number, field: string, value: unknown): string {
  const rules = rulesOfText(text);
  if (!rules || index < 0 || index >= rules.length) return text;
  const rule = { ...asRuleObject(rules[index]) };
  if (value === undefined) delete rule[field];
  else rule[field] = value;
  rules[index] = rule;
  return textOfRules(rules);
}

/** null when the text is not a rules array: adding to it would mean dropping what is there. */
export function withRuleAdded(text: string, rule: MockRule, atStart: boolean): string | null {
  const rules = rulesOfText(text);
  if (!rules) return null;
  return textOfRules(atStart ? [rule, ...rules] : [...rules, rule]);
}

export function withRuleRemoved(text: string, index: number): string {
  const rules = rulesOfText(text);
  if (!rules) return text;
  return textOfRules(rules.filter((_r, i) => i !== index));
}

/** How the form shows a body: JSON pretty-printed, a string as it is. */
export function bodyText(body: unknown): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  return JSON.stringify(body, null, 2);
}

/** What the form's body text means: JSON when it parses as an object or array, else text. */
export function bodyValue(text: string): unknown {
  if (text === '') return undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      // Still being typed: kept as text until it is JSON.
    }
  }
  return text;
}

/** Headers a mock should not copy from a live response: they describe that one transfer. */
const TRANSFER_HEADERS = /^(content-length|content-encoding|transfer-encoding|connection|date|keep-alive|set-cookie)$/i;

/**
 * A rule answering this exact request the way it was answered. A request that failed (DNS,
 * offline) gets a 200 with an empty JSON object, for the user to fill in.
 */
export function ruleFromTrace(trace: RequestTrace): MockRule {
  const rule: MockRule = { method: trace.method.toUpperCase(), url: escapeGlob(trace.url) };
  const response = trace.response;
  if (!response) return { ...rule, status: 200, body: {} };
  rule.status = response.status >= 200 && response.status <= 599 ? response.status : 200;
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !TRANSFER_HEADERS.test(name)));
  if (Object.keys(headers).length > 0) rule.headers = headers;
  if (response.body !== null && response.body !== '' && !/^\[binary \d+ bytes\]$/.test(response.body)) {
    rule.body = bodyValue(response.body);
  }
  return rule;
}

/**
 * A URL as a glob matching only itself. Globs have one wildcard, `*`; a URL that contains
 * one literally (rare) becomes a regex rule instead, which can say "this exact text".
 */
function escapeGlob(url: string): string {
  if (!url.includes('*')) return url;
  return `/^${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$/`;
}
