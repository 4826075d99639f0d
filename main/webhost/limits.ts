/**
 * What one web host lets its clients hold: sockets, time, and memory. A page of the studio
 * needs a handful of HTTP connections and one WebSocket; these bound what anything else on
 * the machine can make the server keep open or buffer.
 */
import { MAX_RPC_MESSAGE_BYTES } from '../contract/transport';

export interface WebHostLimits {
  /** TCP connections open at once, HTTP and WebSocket together; more are closed at accept. */
  maxConnections: number;
  /** Open /rpc WebSockets (one per studio tab); more are refused with 503. */
  maxWebSockets: number;
  /** A request's headers must arrive within this. */
  headersTimeoutMs: number;
  /** A whole request must arrive within this. */
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long is closed (WebSockets excepted). */
  idleTimeoutMs: number;
  /** A kept-alive connection waits this long for its next request. */
  keepAliveTimeoutMs: number;
  /** One WebSocket message; a larger one closes that socket (1009). */
  maxMessageBytes: number;
  /** Calls one WebSocket may have running; further messages wait unread until one answers. */
  maxCallsInFlight: number;
  /** How long the one-time link the system browser is opened with stays valid. */
  oneTimeLinkTtlMs: number;
}

const DEFAULT_WEBHOST_LIMITS: Readonly<WebHostLimits> = Object.freeze({
  maxConnections: 64,
  maxWebSockets: 16,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxMessageBytes: MAX_RPC_MESSAGE_BYTES,
  maxCallsInFlight: 8,
  oneTimeLinkTtlMs: 60_000,
});

/** The defaults with `overrides` applied; each must be a positive whole number. */
export function webHostLimits(overrides: Partial<WebHostLimits> = {}): WebHostLimits {
  const limits = { ...DEFAULT_WEBHOST_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`web host limit ${name} must be a positive whole number, got ${String(value)}`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new RangeError(`web host limit headersTimeoutMs (${limits.headersTimeoutMs}) must not exceed requestTimeoutMs (${limits.requestTimeoutMs})`);
  }
  return limits;
}
