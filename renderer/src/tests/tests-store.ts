/** State of the Tests tab: the open function's cases, their last results, and a "Save as test" draft. */
import { create } from 'zustand';
import type { TestCaseFile, TestCaseResult, TestCaseStatus } from '../../../main/contract';

export interface TestDraft {
  /** File name without `.test.json`. */
  fileName: string;
  json: string;
  error: string | null;
  saving: boolean;
}

export interface TestsPanelState {
  functionId: string | null;
  cases: TestCaseFile[];
  /** Latest result per case file. */
  results: Record<string, TestCaseResult>;
  /** Each case's status before its latest run: tells which cases changed state. */
  previous: Record<string, TestCaseStatus>;
  /** 'all', a case file, or null when idle. */
  running: string | null;
  selected: string | null;
  error: string | null;
  draft: TestDraft | null;
}

export const INITIAL_TESTS_STATE: TestsPanelState = {
  functionId: null,
  cases: [],
  results: {},
  previous: {},
  running: null,
  selected: null,
  error: null,
  draft: null,
};

export const useTests = create<TestsPanelState>(() => ({ ...INITIAL_TESTS_STATE }));

export type StateChange = 'fixed' | 'broke' | null;

/** How a case's latest result differs from the one before it. */
export function stateChange(state: Pick<TestsPanelState, 'results' | 'previous'>, file: string): StateChange {
  const now = state.results[file]?.status;
  if (now === undefined) return null;
  const before = state.previous[file];
  if (before === undefined) return null;
  if (before === now) return null;
  return now === 'passed' ? 'fixed' : 'broke';
}
