/**
 * JUnit XML for CI (GitHub Actions test reporters, GitLab, Jenkins, CircleCI): one
 * <testsuite> per function, one <testcase> per case, and for a failing case one <failure>
 * whose text lists every mismatch as path / expected / actual.
 */
import type { FunctionTestReport, TestCaseResult } from '../../contract/tests';
import { describeValue } from './describe-value';

export function junitReport(reports: readonly FunctionTestReport[], timestamp: Date = new Date()): string {
  const total = reports.reduce((n, r) => n + r.cases.length, 0);
  const failed = reports.reduce((n, r) => n + r.failed, 0);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const allMs = reports.reduce((n, r) => n + suiteMs(r), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fnstudio" tests="${total}" failures="${failed}" errors="0" time="${seconds(allMs)}">`,
  ];
  for (const report of reports) {
    lines.push(
      `  <testsuite name="${attr(report.functionId)}" tests="${report.cases.length}" failures="${report.failed}" errors="0" skipped="0" ` +
        `time="${seconds(suiteMs(report))}" timestamp="${timestamp.toISOString().replace(/\.\d+Z$/, '')}">`,
    );
    for (const c of report.cases) lines.push(...testcase(report, c, seconds));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(report: FunctionTestReport, c: TestCaseResult, seconds: (ms: number) => string): string[] {
  const open = `    <testcase name="${attr(c.name)}" classname="${attr(report.functionId)}" file="${attr(`${report.functionId}/${c.file}`)}" time="${seconds(c.durationMs)}"`;
  if (c.status === 'passed') return [`${open}/>`];
  const out = [`${open}>`];
  if (c.malformed !== undefined) {
    out.push(`      <failure type="MalformedTestCase" message="${attr(c.malformed)}">${text(c.malformed)}</failure>`);
  } else {
    const summary = c.mismatches.map((m) => m.message).join('; ');
    const body = c.mismatches
      .map((m) => `${m.path}\n  expected: ${describeValue(m.expected)}\n  actual:   ${describeValue(m.actual)}\n  ${m.message}`)
      .join('\n');
    out.push(`      <failure type="ExpectationMismatch" message="${attr(summary)}">${text(body)}</failure>`);
  }
  const logs = c.outcome?.logs.map((l) => `[${l.level}] ${l.message}`).join('\n');
  if (logs) out.push(`      <system-out>${text(logs)}</system-out>`);
  out.push('    </testcase>');
  return out;
}

function suiteMs(report: FunctionTestReport): number {
  return report.cases.reduce((n, c) => n + c.durationMs, 0);
}

// Characters XML 1.0 does not allow at all (control characters other than tab, LF, CR; lone surrogates).
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function text(value: string): string {
  return value.replace(NOT_XML, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
