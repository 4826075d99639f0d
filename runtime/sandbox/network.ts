/**
 * Every outgoing request of guest code goes through `sendRequest`: the network policy
 * first (a link-local address, or in strict mode a loopback or private one, is refused
 * even when a mock rule would answer it), then mock rules, then the offline switch, then
 * the live network (node-fetch v2 under the policy, live-request.ts). Each request is
 * captured in the invocation's trace the same way whether mocked or live. Results of an
 * invocation that has already ended are dropped (the returned promise never settles),
 * as a frozen Lambda would never see them.
 */
import { isUtf8 } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { RequestTrace } from '../../common/outcome';
import type { MockRule } from '../../common/mock';
import { matchMockRule } from '../mock-match';
import { isLive, type Invocation } from './invocation';
import { checkLiteralUrl, NetworkFailure, PolicyRefusal, sendLive, type LiveRequest, type LiveResponse, type PolicyContext } from './live-request';

export { NetworkFailure };

/**
 * A request of guest code and its answer have the shape the live network takes and gives
 * (live-request.ts), whether a mock rule or the network answers it.
 */
export type OutgoingRequest = LiveRequest;
export type IncomingResponse = LiveResponse;

const CAPTURE_BODY_BYTES = 64 * 1024;
const NEVER = new Promise<never>(() => {});

/**
 * Control characters other than \t \n \v \f \r mark a body as binary. In UTF-8 these
 * code points are single bytes that never occur inside multi-byte sequences, so the bytes
 * can be checked directly.
 */
function hasControlBytes(bytes: Buffer, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const byte = bytes[i];
    if (byte < 0x20 && (byte < 0x09 || byte > 0x0d)) return true;
  }
  return false;
}

/**
 * hasControlBytes for text: the same code points, as UTF-16 code units. A regular
 * expression, unlike the other checks here: one `test` call scans in native code, about
 * four times faster than a charCodeAt loop over a 600-character body, locked down or not.
 */
const CONTROL_CHAR = /[\u0000-\u0008\u000e-\u001f]/;

function hasControlChars(text: string): boolean {
  return CONTROL_CHAR.test(text);
}

/** Strict UTF-8 text of `bytes[0, end)` (a leading BOM dropped, as TextDecoder does), or null. */
function strictUtf8(bytes: Buffer, end: number): string | null {
  const part = end === bytes.length ? bytes : bytes.subarray(0, end);
  if (!isUtf8(part)) return null;
  const start = end >= 3 && part[0] === 0xef && part[1] === 0xbb && part[2] === 0xbf ? 3 : 0;
  return part.toString('utf8', start, end);
}

/** String.prototype.isWellFormed (ES2024; Node 20 has it, the TypeScript lib in use does not). */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Text of a body for the trace: UTF-8 when it decodes cleanly, else a size note. A text
 * body is described as its bytes would be, without encoding it when that gives the text
 * back unchanged (well-formed, short enough, no control characters, no leading BOM).
 */
export function describeBody(body: Buffer | string | null): string | null {
  if (body === null) return null;
  if (typeof body === 'string') {
    if (
      body.length <= CAPTURE_BODY_BYTES / 3 &&
      isWellFormed(body) &&
      body.charCodeAt(0) !== 0xfeff &&
      !hasControlChars(body)
    ) {
      return body;
    }
    return describeBody(Buffer.from(body, 'utf8'));
  }
  let end = Math.min(body.length, CAPTURE_BODY_BYTES);
  let text = strictUtf8(body, end);
  // a cut in the middle of a multi-byte character is not binary data
  if (text === null && body.length > CAPTURE_BODY_BYTES) {
    end -= 3;
    text = strictUtf8(body, end);
  }
  if (text === null || hasControlBytes(body, end)) return `[binary ${body.length} bytes]`;
  return body.length > CAPTURE_BODY_BYTES ? `${text}… [truncated: ${body.length} bytes in all]` : text;
}

function headersRecord(pairs: Array<[string, string]>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of pairs) record[name] = name in record ? `${record[name]}, ${value}` : value;
  return record;
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface MockAnswer {
  status: number;
  statusText: string;
  headers: ReadonlyArray<[string, string]>;
  /** Shared by every response from this rule: a Response never hands its body bytes out, only copies. */
  body: Buffer;
  /** What the trace shows of it (plain data, only ever serialised). */
  traced: NonNullable<RequestTrace['response']>;
}

/**
 * A rule's answer, built once per rule object: every invocation that travelled with the
 * same rules (a chunk of a bulk run) is answered from it, each with its own copies.
 */
const answers = new WeakMap<MockRule, MockAnswer>();

function mockAnswer(rule: MockRule): MockAnswer {
  const known = answers.get(rule);
  if (known) return known;
  const headers: Array<[string, string]> = [];
  let hasContentType = false;
  for (const [name, value] of Object.entries(rule.headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-type') hasContentType = true;
    headers.push([lower, String(value)]);
  }
  let body: Buffer;
  if (rule.body === undefined || rule.body === null) {
    body = Buffer.alloc(0);
  } else if (typeof rule.body === 'string') {
    body = Buffer.from(rule.body, 'utf8');
    if (!hasContentType) headers.push(['content-type', 'text/plain;charset=UTF-8']);
  } else {
    body = Buffer.from(JSON.stringify(rule.body), 'utf8');
    if (!hasContentType) headers.push(['content-type', 'application/json']);
  }
  headers.push(['content-length', String(body.length)]);
  const status = rule.status ?? 200;
  const statusText = STATUS_CODES[status] ?? '';
  const traced = { status, statusText, headers: headersRecord(headers), body: describeBody(body) };
  const answer: MockAnswer = { status, statusText, headers, body, traced };
  answers.set(rule, answer);
  return answer;
}

/** A response, and what its trace shows when that is known already. */
type Answered = IncomingResponse & { traced?: MockAnswer['traced'] };

async function answerFromMock(request: OutgoingRequest, rule: MockRule): Promise<Answered> {
  if (rule.delayMs && rule.delayMs > 0) await wait(rule.delayMs);
  const answer = mockAnswer(rule);
  return {
    status: answer.status,
    statusText: answer.statusText,
    // Read, never changed, by the Response built from it.
    headers: answer.headers as Array<[string, string]>,
    body: answer.body,
    url: request.url,
    redirected: false,
    traced: answer.traced,
  };
}

/**
 * Sends (or mocks) one request for `invocation`, recording it in the trace (with the
 * policy's warning for a loopback or private address). Rejects with a NetworkFailure on
 * network errors, on requests the network policy refuses (code EBLOCKED) and on
 * offline-blocked ones (EOFFLINE).
 */
export async function sendRequest(invocation: Invocation, request: OutgoingRequest): Promise<IncomingResponse> {
  const started = performance.now();
  const policy: PolicyContext = { strict: invocation.network.strict === true, warnings: [] };
  let refusal: PolicyRefusal | null = null;
  try {
    checkLiteralUrl(request.url, policy);
  } catch (err) {
    if (!(err instanceof PolicyRefusal)) throw err;
    refusal = err;
  }
  const match = refusal === null ? matchMockRule(invocation.network.mockRules, request.method, request.url) : null;
  const trace: RequestTrace = {
    method: request.method,
    url: request.url,
    headers: { ...request.headers },
    body: describeBody(request.body),
    response: null,
    mocked: match !== null,
    durationMs: 0,
  };
  invocation.requests.push(trace);
  let response: Answered;
  try {
    if (refusal !== null) {
      throw new NetworkFailure(`request to ${request.url} failed, reason: ${refusal.message}`, 'system', refusal.code);
    } else if (match) {
      response = await answerFromMock(request, match.rule);
    } else if (invocation.network.offline) {
      throw new NetworkFailure(
        `request to ${request.url} failed, reason: blocked (offline): no mock rule matches ${request.method} ${request.url}`,
        'system',
        'EOFFLINE',
      );
    } else {
      response = await sendLive(request, policy);
    }
  } catch (err) {
    trace.durationMs = Math.round(performance.now() - started);
    if (policy.warnings.length > 0) trace.warning = policy.warnings.join('; ');
    trace.error = err instanceof Error ? err.message : String(err);
    if (!isLive(invocation)) return NEVER;
    throw err;
  }
  trace.durationMs = Math.round(performance.now() - started);
  if (policy.warnings.length > 0) trace.warning = policy.warnings.join('; ');
  trace.response = response.traced ?? {
    status: response.status,
    statusText: response.statusText,
    headers: headersRecord(response.headers),
    body: describeBody(response.body),
  };
  if (!isLive(invocation)) return NEVER;
  return response;
}
