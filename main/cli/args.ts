/**
 * A small command-line parser: `--name value`, `--name=value`, boolean `--flag`,
 * `--` to end options. Every mistake becomes a UsageError that says what was wrong and
 * where to get help, because strangers type these commands.
 */
import { UsageError } from './cli-error';

export interface OptionSpec {
  /** Long name without dashes, e.g. 'event'. */
  name: string;
  /** Placeholder shown in help, e.g. '<file.json|->'; absent for boolean flags. */
  value?: string;
  /** One-line help. */
  help: string;
  /** Single-letter alias without the dash, e.g. 'h'. */
  short?: string;
  /** May be given several times (`--secret a --secret b`); every value is in `lists`. */
  repeatable?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  /** Values of options that take one, by long name. */
  values: Map<string, string>;
  /** Boolean flags that were given, by long name. */
  flags: Set<string>;
  /** Every value of a repeatable option, in order, by long name. */
  lists: Map<string, string[]>;
}

/** `command` is the full command for messages, e.g. 'fnstudio run'. */
export function parseArgs(argv: readonly string[], options: readonly OptionSpec[], command: string): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], values: new Map(), flags: new Set(), lists: new Map() };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const written = eq === -1 ? arg : arg.slice(0, eq);
    const spec = findOption(written, options);
    if (!spec) {
      const hint = closest(written, options);
      throw new UsageError(
        `unknown option '${written}'${hint ? ` (did you mean '--${hint}'?)` : ''}`,
        command,
      );
    }
    if (seen.has(spec.name) && !spec.repeatable) throw new UsageError(`option '--${spec.name}' was given more than once`, command);
    seen.add(spec.name);
    if (spec.value === undefined) {
      if (eq !== -1) throw new UsageError(`option '--${spec.name}' takes no value`, command);
      parsed.flags.add(spec.name);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      // "--event --json" means the value was forgotten, not that it is "--json".
      if (next !== undefined && !(next.startsWith('--') && next.length > 2)) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === '') {
      throw new UsageError(`option '--${spec.name}' needs a value: --${spec.name} ${spec.value}`, command);
    }
    parsed.values.set(spec.name, value);
    if (spec.repeatable) parsed.lists.set(spec.name, [...(parsed.lists.get(spec.name) ?? []), value]);
  }
  return parsed;
}

/**
 * Parses a whole positive number for option `name`, within [min, max]; throws a
 * UsageError naming the option otherwise.
 */
export function parseIntegerOption(
  raw: string,
  name: string,
  unit: string,
  min: number,
  max: number,
  command: string,
): number {
  if (!/^\d+$/.test(raw.trim())) {
    throw new UsageError(`option '--${name}' must be a whole number of ${unit}, got '${raw}'`, command);
  }
  const n = Number(raw.trim());
  if (n < min || n > max) {
    throw new UsageError(`option '--${name}' must be between ${min} and ${max} ${unit}, got ${n}`, command);
  }
  return n;
}

function findOption(written: string, options: readonly OptionSpec[]): OptionSpec | undefined {
  if (written.startsWith('--')) return options.find((o) => o.name === written.slice(2));
  if (written.length === 2) return options.find((o) => o.short === written.slice(1));
  return undefined;
}

/** The option name nearest to a mistyped one, if it is plausibly a typo. */
function closest(written: string, options: readonly OptionSpec[]): string | null {
  const typed = written.replace(/^-+/, '');
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const o of options) {
    const d = editDistance(typed, o.name);
    if (d < bestDistance) {
      bestDistance = d;
      best = o.name;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(typed.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Help lines for options: names aligned, descriptions wrapped to fit 80 columns. */
export function formatOptions(options: readonly OptionSpec[]): string {
  const left = options.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 4;
  const room = Math.max(30, 80 - width);
  return options
    .map((o, i) => wrap(o.help, room).map((line, j) => (j === 0 ? `  ${left[i].padEnd(width - 2)}` : ' '.repeat(width)) + line).join('\n'))
    .join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}
