/**
 * Mock rules answer outgoing requests without the network. A rules file is a JSON
 * array; the first matching rule wins.
 */
export interface MockRule {
  /** HTTP method or '*' (default '*'). */
  method?: string;
  /** Glob with '*' wildcards (`https://api.example.com/*`) or a `/regex/flags` string. */
  url: string;
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON (content-type application/json unless given). */
  body?: unknown;
  delayMs?: number;
}

export interface NetworkOptions {
  mockRules: MockRule[];
  /** When true, any request no rule matches fails with a "blocked (offline)" network error. */
  offline: boolean;
  /**
   * Strict network mode: requests to loopback and private addresses (127/8, ::1, 10/8,
   * 172.16/12, 192.168/16, 100.64/10, fc00::/7) are refused like link-local ones, as
   * Segment's servers could not reach them. Default false: allowed, with a warning in
   * the request trace.
   */
  strict?: boolean;
}
