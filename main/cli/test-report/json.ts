/**
 * `--reporter json`: one JSON object with the totals and, per function, every case with
 * its mismatches and its run's outcome (secrets masked).
 */
import type { FunctionTestReport } from '../../contract/tests';

export interface JsonTestReport {
  passed: number;
  failed: number;
  total: number;
  durationMs: number;
  functions: FunctionTestReport[];
}

export function jsonTestReport(reports: readonly FunctionTestReport[], durationMs: number): string {
  const passed = reports.reduce((n, r) => n + r.passed, 0);
  const failed = reports.reduce((n, r) => n + r.failed, 0);
  const report: JsonTestReport = { passed, failed, total: passed + failed, durationMs: Math.round(durationMs), functions: [...reports] };
  return JSON.stringify(report, null, 2) + '\n';
}
