/**
 * The terminal report of `fnstudio test`: a line per case (✓/✗), under each failing case
 * what did not match (path, expected, actual), and a summary line.
 */
import type { FunctionTestReport, TestCaseResult } from '../../contract/tests';
import type { Palette } from '../render-outcome';
import { describeValue } from './describe-value';

export function prettyReport(reports: readonly FunctionTestReport[], durationMs: number, p: Palette): string {
  const out: string[] = [];
  for (const report of reports) {
    out.push(`${p.bold(report.functionId)} ${p.dim(`(${report.dir})`)}`);
    if (report.cases.length === 0) out.push(p.dim('  no test cases (add tests/<name>.test.json)'));
    for (const c of report.cases) out.push(...caseLines(c, p));
    out.push('');
  }
  const passed = reports.reduce((n, r) => n + r.passed, 0);
  const failed = reports.reduce((n, r) => n + r.failed, 0);
  const total = passed + failed;
  const fns = `${reports.length} function${reports.length === 1 ? '' : 's'}`;
  const summary = [failed > 0 ? p.red(`${failed} failed`) : null, p.green(`${passed} passed`)].filter(Boolean).join(', ');
  out.push(`${p.bold('Tests:')} ${summary} ${p.dim(`(${total} case${total === 1 ? '' : 's'} in ${fns}, ${(durationMs / 1000).toFixed(2)} s)`)}`);
  return out.join('\n') + '\n';
}

function caseLines(c: TestCaseResult, p: Palette): string[] {
  const time = c.outcome ? p.dim(` ${c.durationMs < 1 ? '< 1' : Math.round(c.durationMs)} ms`) : '';
  const snap = c.snapshot === 'written' || c.snapshot === 'updated' ? p.yellow(` (snapshot ${c.snapshot})`) : '';
  if (c.status === 'passed') return [`  ${p.green('✓')} ${c.name}${time}${snap}`];
  const lines = [`  ${p.red('✗')} ${c.name}${time} ${p.dim(c.file)}`];
  if (c.malformed !== undefined) {
    lines.push(`      ${p.red(c.malformed)}`);
    return lines;
  }
  for (const m of c.mismatches) {
    lines.push(`      ${m.message.startsWith(m.path) ? m.message : `${p.bold(m.path)}: ${m.message}`}`);
    if (m.expected !== undefined || m.actual !== undefined) {
      lines.push(`        ${p.green('expected')} ${describeValue(m.expected)}`);
      lines.push(`        ${p.red('actual  ')} ${describeValue(m.actual)}`);
    }
  }
  // The run's own error says why, when the case did not expect it.
  if (c.outcome?.error && !c.mismatches.some((m) => m.path.startsWith('error'))) {
    const frame = c.outcome.error.frames[0];
    lines.push(p.dim(`      ${c.outcome.error.name}: ${c.outcome.error.message.split('\n')[0]}${frame ? ` (handler.js:${frame.line}:${frame.column})` : ''}`));
  }
  return lines;
}
