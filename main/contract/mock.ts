/**
 * The mock-rule types live in the bottom layer (common/), shared by the runtime and the
 * contract; this path stays so that code importing the contract's mock rules keeps working.
 */
export * from '../../common/mock';
import type { MockRule } from '../../common/mock';

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
