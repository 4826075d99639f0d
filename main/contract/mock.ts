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
}

/** One problem of a function's mocks.json: the whole file (ruleIndex null) or one rule. */
export interface MockRuleProblem {
  /** 0-based index of the rule; null when the file as a whole is wrong (not JSON, not an array). */
  ruleIndex: number | null;
  message: string;
  /** 1-based position of a JSON syntax error. */
  line?: number;
  column?: number;
}

/** A function's `mocks.json` as the Mocks panel shows it. */
export interface FunctionMocks {
  /** False when the folder has no mocks.json (runs then use no rules). */
  exists: boolean;
  /** The file's text as on disk ("" when missing). */
  json: string;
  /** The valid rules, defaults filled in; empty when `problems` is not. */
  rules: MockRule[];
  /** Every problem, one per bad rule: a broken file is shown, never overwritten silently. */
  problems: MockRuleProblem[];
}
