/**
 * How the CLI shows an outcome: a readable report for people (default) or exactly one
 * JSON object for programs (`--json`).
 */
import type { Outcome, OutcomeCategory, RequestTrace } from '../contract/outcome';

/** Longest body shown in the human report; `--json` always has everything. */
const BODY_PREVIEW_CHARS = 4000;

export interface Palette {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
}

export function palette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

/**
 * Whether to colour stdout: a TTY, unless NO_COLOR is set (https://no-color.org);
 * FORCE_COLOR (non-"0") forces it, e.g. for CI logs that render ANSI.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

function categoryColor(p: Palette, category: OutcomeCategory): (s: string) => string {
  switch (category) {
    case 'Success':
      return p.green;
    case 'Retry':
    case 'Timeout':
    case 'Dropped':
    case 'Unsupported Event Type':
      return p.yellow;
    default:
      return p.red;
  }
}

/** The report for people. */
export function renderHuman(outcome: Outcome, p: Palette): string {
  const out: string[] = [];
  const color = categoryColor(p, outcome.outcome);
  const retry = outcome.retryable ? ' · retryable (Segment would retry)' : '';
  out.push(`${p.bold(color(outcome.outcome))}${p.dim(` · ${formatMs(outcome.durationMs)}${retry}`)}`);

  if (outcome.error) {
    out.push('', p.bold('Error'));
    const { name, message, stack } = outcome.error;
    const headline = `${name}: ${message}`;
    const text = stack && stack.startsWith(headline) ? stack : stack ? `${headline}\n${stack}` : headline;
    out.push(indent(text.replace(/\s+$/, ''), 2, (line, i) => (i === 0 ? p.red(line) : p.dim(line))));
  }

  out.push('', p.bold(`Logs (${outcome.logs.length})`));
  if (outcome.logs.length === 0) out.push(p.dim('  (none)'));
  for (const log of outcome.logs) {
    const level = log.level.padEnd(5);
    const levelText = log.level === 'error' ? p.red(level) : log.level === 'warn' ? p.yellow(level) : p.dim(level);
    const [first, ...rest] = log.message.split('\n');
    out.push(`  ${levelText} ${first}`);
    for (const line of rest) out.push(`        ${line}`);
  }
  if (outcome.logsTruncated) out.push(p.yellow('  (console output was cut at the size limit)'));

  out.push('', p.bold(`Requests (${outcome.requests.length})`));
  if (outcome.requests.length === 0) out.push(p.dim('  (none)'));
  for (const request of outcome.requests) out.push(...renderRequest(request, p));

  out.push('', p.bold('Result'));
  out.push(indent(preview(outcome.result === undefined ? 'undefined' : pretty(outcome.result)), 2));

  if (outcome.items) {
    out.push('', p.bold(`Batch items (${outcome.items.length})`));
    for (const item of outcome.items) {
      const c = categoryColor(p, item.category);
      const msg = item.errormessage ? ` · ${item.errormessage}` : '';
      out.push(`  [${item.index}] ${c(`${item.status} ${item.category}`)}${msg}`);
    }
  }
  return out.join('\n') + '\n';
}

function renderRequest(r: RequestTrace, p: Palette): string[] {
  const lines: string[] = [];
  const tags = [formatMs(r.durationMs), ...(r.mocked ? ['mocked'] : [])].join(' · ');
  const status = r.response
    ? (r.response.status < 400 ? p.green : p.red)(`${r.response.status}${r.response.statusText ? ` ${r.response.statusText}` : ''}`)
    : p.red(`network error: ${r.error ?? 'no response'}`);
  lines.push(`  ${p.cyan(r.method)} ${r.url} → ${status} ${p.dim(`(${tags})`)}`);
  if (r.warning) lines.push(`    ${p.yellow(`warning: ${r.warning}`)}`);
  lines.push(...section('request headers', headerLines(r.headers), p));
  if (r.body !== null && r.body !== '') lines.push(...section('request body', bodyText(r.body), p));
  if (r.response) {
    lines.push(...section('response headers', headerLines(r.response.headers), p));
    if (r.response.body !== null && r.response.body !== '') lines.push(...section('response body', bodyText(r.response.body), p));
  }
  return lines;
}

function section(title: string, content: string, p: Palette): string[] {
  if (content === '') return [];
  return [`    ${p.dim(title)}`, indent(content, 6)];
}

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** JSON bodies pretty-printed; long bodies cut with a note. */
function bodyText(body: string): string {
  let text = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) text = JSON.stringify(parsed, null, 2);
  } catch {
    // not JSON: show as is
  }
  return preview(text);
}

function preview(text: string): string {
  if (text.length <= BODY_PREVIEW_CHARS) return text;
  const more = text.length - BODY_PREVIEW_CHARS;
  return `${text.slice(0, BODY_PREVIEW_CHARS)}\n… (${more} more characters; --json shows everything)`;
}

function pretty(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const text = JSON.stringify(value, null, 2);
  return text === undefined ? String(value) : text;
}

function indent(text: string, spaces: number, style: (line: string, i: number) => string = (l) => l): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line, i) => pad + style(line, i))
    .join('\n');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms * 10) / 10} ms`;
}

/**
 * The `--json` document: the outcome with every documented key present (`result` null
 * when the handler returned nothing), so programs can rely on the shape.
 */
export function jsonReport(outcome: Outcome): Outcome {
  return { ...outcome, result: outcome.result === undefined ? null : outcome.result };
}
