/**
 * Pure mock-rule matching, shared by the sandbox (answering requests) and by anyone who
 * wants to preview which rule answers a request. No I/O, no state beyond a regex cache.
 */
import type { MockRule } from '../common/mock';

export interface MockMatch {
  rule: MockRule;
  index: number;
}

const REGEX_RULE = /^\/(.*)\/([a-z]*)$/s;

// Compiling a pattern per request would dominate a mocked fetch; rules files are small.
const patternCache = new Map<string, RegExp>();

/** Compiles a rule's `url` into a RegExp; throws an Error naming the bad pattern. */
export function compileUrlPattern(url: string): RegExp {
  const cached = patternCache.get(url);
  if (cached) return cached;
  let compiled: RegExp;
  const regex = REGEX_RULE.exec(url);
  if (regex) {
    try {
      compiled = new RegExp(regex[1], regex[2]);
    } catch (err) {
      throw new Error(`mock rule url ${JSON.stringify(url)} is not a valid regular expression: ${(err as Error).message}`, { cause: err });
    }
  } else {
    // Glob: '*' matches any run of characters (including '/'); everything else is literal.
    const body = url
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    compiled = new RegExp(`^${body}$`);
  }
  if (patternCache.size > 1000) patternCache.clear();
  patternCache.set(url, compiled);
  return compiled;
}

function methodMatches(ruleMethod: string | undefined, method: string): boolean {
  if (ruleMethod === undefined || ruleMethod === '*') return true;
  return ruleMethod.toUpperCase() === method.toUpperCase();
}

/**
 * The first rule answering `method url`, or null. Regex rules are tested with `test`
 * (unanchored, as written); glob rules must match the whole URL.
 */
export function matchMockRule(rules: readonly MockRule[], method: string, url: string): MockMatch | null {
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (!methodMatches(rule.method, method)) continue;
    const pattern = compileUrlPattern(rule.url);
    pattern.lastIndex = 0;
    if (pattern.test(url)) return { rule, index };
  }
  return null;
}
