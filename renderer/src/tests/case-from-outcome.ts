/**
 * "Save as test": a test case whose expectations are a run's outcome. The case must pass
 * when run again offline, in CI, so:
 * - every request that got a response becomes a mock rule of the case (a live answer
 *   is replayed; the network is never used by tests);
 * - expectations leave out what a run cannot repeat or a file must not hold: request
 *   headers (they carry tokens), timings, and any value the studio masked (`••••`) because
 *   it holds a secret;
 * - the function's ordinary test values go into the case's settings (settings.local.json
 *   is machine-local), encrypted ones stay in the keychain.
 */
import type { Outcome, RequestTrace } from '../../../main/contract';

const MASK = '••••';

export interface CaseDraftInput {
  name: string;
  /** The event (or batch array) the run was given. */
  input: unknown;
  outcome: Outcome;
  /** The function's non-secret test values. */
  settings: Record<string, unknown>;
}

export function caseFromOutcome({ name, input, outcome, settings }: CaseDraftInput): Record<string, unknown> {
  const expect: Record<string, unknown> = { outcome: outcome.outcome };
  if (outcome.error) expect.error = withoutSecrets({ name: outcome.error.name, message: firstLine(outcome.error.message) });
  if (outcome.result !== null && outcome.result !== undefined) {
    const result = withoutSecrets(outcome.result);
    if (result !== undefined) expect.result = result;
  }
  expect.requests = outcome.requests.map(expectedRequest);
  expect.requestsExactly = true;
  if (outcome.items) expect.items = outcome.items.map((i) => (i.errormessage ? { status: i.status, errormessage: i.errormessage } : { status: i.status }));

  const mocks = outcome.requests.filter((r) => r.response !== null).map(mockFor);
  const draft: Record<string, unknown> = { name };
  draft[Array.isArray(input) ? 'events' : 'event'] = input;
  if (Object.keys(settings).length > 0) draft.settings = settings;
  if (mocks.length > 0) draft.mocks = mocks;
  draft.expect = expect;
  return draft;
}

function expectedRequest(r: RequestTrace): Record<string, unknown> {
  const out: Record<string, unknown> = { method: r.method, url: r.url };
  if (r.body !== null) {
    const body = withoutSecrets(parseJson(r.body) ?? r.body);
    if (body !== undefined) out.body = body;
  }
  return out;
}

function mockFor(r: RequestTrace): Record<string, unknown> {
  const response = r.response as NonNullable<RequestTrace['response']>;
  const rule: Record<string, unknown> = { method: r.method, url: exactUrlGlob(r.url), status: Math.max(200, response.status) };
  const contentType = Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (contentType) rule.headers = { 'content-type': contentType };
  if (response.body !== null && response.body !== '') rule.body = parseJson(response.body) ?? response.body;
  return rule;
}

/** A glob matching exactly this URL: `*` is the only special character of a glob. */
function exactUrlGlob(url: string): string {
  return url.includes('*') ? `/^${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$/` : url;
}

/** A copy without values that hold a masked secret (undefined when nothing is left). */
function withoutSecrets(value: unknown): unknown {
  if (typeof value === 'string') return value.includes(MASK) ? undefined : value;
  if (Array.isArray(value)) {
    const items = value.map(withoutSecrets);
    // Arrays match by length: dropping an element would make the case fail, so drop the whole array.
    return items.some((v) => v === undefined) ? undefined : items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = withoutSecrets(v);
      if (kept !== undefined && !k.includes(MASK)) out[k] = kept;
    }
    return out;
  }
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** A file-safe case name from a display name: `Posts the order!` → `posts-the-order`. */
export function caseFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || 'test-case';
}
