/**
 * Validation of mock rules (main/contract/mock.ts) as people write them in a rules file.
 * The runtime matches rules; this module makes sure a typo becomes a clear error naming
 * the rule's index before anything runs, instead of a rule that silently never matches.
 */
import type { MockRule } from '../contract/mock';
import { readJsonFile } from './json-file';

export class MockRulesError extends Error {
  override readonly name = 'MockRulesError';
  constructor(
    message: string,
    /** 0-based index of the offending rule; null when the file as a whole is wrong. */
    readonly ruleIndex: number | null,
  ) {
    super(message);
  }
}

/** A function folder's own mock rules (this module's format). */
export const MOCKS_FILE = 'mocks.json';

const RULE_FIELDS = ['method', 'url', 'status', 'headers', 'body', 'delayMs'] as const;

const HTTP_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'];

/** Longest artificial delay a rule may ask for; longer would only ever hit the time limit. */
const MAX_DELAY_MS = 600_000;

/** A `/source/flags` url is a regular expression; anything else is a glob. */
const REGEX_URL = /^\/(.*)\/([a-z]*)$/s;

export type UrlPattern = { kind: 'regex'; regex: RegExp } | { kind: 'glob'; glob: string };

/** Interprets a rule's url the way the runtime does: `/regex/flags` or a `*` glob. */
export function parseUrlPattern(url: string): UrlPattern {
  const m = REGEX_URL.exec(url);
  if (m) return { kind: 'regex', regex: new RegExp(m[1], m[2]) };
  return { kind: 'glob', glob: url };
}

/**
 * Checks a parsed rules value and returns the rules with defaults filled in
 * (method '*', upper-cased; status 200). Throws MockRulesError naming the rule index.
 */
export function validateMockRules(value: unknown): MockRule[] {
  if (!Array.isArray(value)) {
    throw new MockRulesError(
      `mock rules must be a JSON array of rules, got ${describeType(value)} (e.g. [{"url": "https://api.example.com/*", "status": 200}])`,
      null,
    );
  }
  return value.map((rule, index) => validateRule(rule, index));
}

/** Reads and validates a rules file; errors name the file (JsonFileError or MockRulesError). */
export async function readMockRulesFile(file: string): Promise<MockRule[]> {
  const value = await readJsonFile(file);
  try {
    return validateMockRules(value);
  } catch (err) {
    if (err instanceof MockRulesError) throw new MockRulesError(`${file}: ${err.message}`, err.ruleIndex);
    throw err;
  }
}

function validateRule(rule: unknown, index: number): MockRule {
  const fail = (problem: string): never => {
    throw new MockRulesError(`rule [${index}]: ${problem}`, index);
  };
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    return fail(`expected an object like {"url": "https://api.example.com/*"}, got ${describeType(rule)}`);
  }
  const fields = rule as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(RULE_FIELDS as readonly string[]).includes(key)) {
      fail(`unknown field '${key}' (allowed: ${RULE_FIELDS.join(', ')})`);
    }
  }

  const { url } = fields;
  if (url === undefined) fail(`'url' is missing (a glob like "https://api.example.com/*" or a "/regex/")`);
  if (typeof url !== 'string' || url === '') fail(`'url' must be a non-empty string, got ${describeType(url)}`);
  const urlText = url as string;
  let pattern: UrlPattern | undefined;
  try {
    pattern = parseUrlPattern(urlText);
  } catch (err) {
    fail(`'url' ${urlText} is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Globs match the whole URL, so one without a scheme or leading * can never match.
  if (pattern?.kind === 'glob' && !urlText.includes('://') && !urlText.startsWith('*')) {
    fail(
      `'url' ${JSON.stringify(urlText)} never matches: a glob must match the whole URL, so start it with ` +
        `https:// (or http://) or *, e.g. "https://${urlText.replace(/^\/+/, '')}"; a regex is written "/…/"`,
    );
  }

  let method = '*';
  if (fields.method !== undefined) {
    if (typeof fields.method !== 'string') fail(`'method' must be a string such as "POST" or "*", got ${describeType(fields.method)}`);
    method = (fields.method as string).toUpperCase();
    if (method !== '*' && !HTTP_METHODS.includes(method)) {
      fail(`'method' "${fields.method as string}" is not an HTTP method (use one of ${HTTP_METHODS.join(', ')}, or "*")`);
    }
  }

  let status = 200;
  if (fields.status !== undefined) {
    if (typeof fields.status !== 'number' || !Number.isInteger(fields.status) || fields.status < 200 || fields.status > 599) {
      fail(`'status' must be an integer from 200 to 599, got ${JSON.stringify(fields.status)}`);
    }
    status = fields.status as number;
  }

  const out: MockRule = { method, url: urlText, status };

  if (fields.headers !== undefined) {
    const headers = fields.headers;
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
      fail(`'headers' must be an object of header names to string values, got ${describeType(headers)}`);
    }
    for (const [name, v] of Object.entries(headers as Record<string, unknown>)) {
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) fail(`header name ${JSON.stringify(name)} is not a valid HTTP header name`);
      if (typeof v !== 'string') fail(`header '${name}' must have a string value, got ${describeType(v)}`);
    }
    out.headers = { ...(headers as Record<string, string>) };
  }

  if (fields.body !== undefined) out.body = fields.body;

  if (fields.delayMs !== undefined) {
    const d = fields.delayMs;
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0 || d > MAX_DELAY_MS) {
      fail(`'delayMs' must be a number of milliseconds from 0 to ${MAX_DELAY_MS}, got ${JSON.stringify(d)}`);
    }
    out.delayMs = d as number;
  }
  return out;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects are handled above: this is a primitive's or a function's own text
  return `${typeof v} ${String(v)}`;
}
