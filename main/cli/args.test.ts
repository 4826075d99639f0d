import { describe, it, expect } from 'vitest';
import { formatOptions, parseArgs, parseIntegerOption, type OptionSpec } from './args';
import { UsageError } from './cli-error';

const OPTIONS: OptionSpec[] = [
  { name: 'event', value: '<file>', help: 'the event' },
  { name: 'timeout', value: '<ms>', help: 'time limit' },
  { name: 'json', help: 'machine output' },
  { name: 'help', short: 'h', help: 'help' },
];

function usage(argv: string[]): string {
  try {
    parseArgs(argv, OPTIONS, 'fnstudio run');
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgs', () => {
  it('separates positionals, values and flags in any order', () => {
    const p = parseArgs(['fn', '--event', 'e.json', '--json', '--timeout=300', '-h'], OPTIONS, 'fnstudio run');
    expect(p.positionals).toEqual(['fn']);
    expect(Object.fromEntries(p.values)).toEqual({ event: 'e.json', timeout: '300' });
    expect([...p.flags].sort()).toEqual(['help', 'json']);
  });

  it('accepts - as a value and -- as the end of options', () => {
    const p = parseArgs(['--event', '-', '--', '--json'], OPTIONS, 'fnstudio run');
    expect(p.values.get('event')).toBe('-');
    expect(p.positionals).toEqual(['--json']);
    expect(p.flags.has('json')).toBe(false);
  });

  it('explains each mistake and points at help', () => {
    expect(usage(['--evnt', 'x'])).toBe("unknown option '--evnt' (did you mean '--event'?)\nRun 'fnstudio run --help' for usage.");
    expect(usage(['--verbose'])).toMatch(/^unknown option '--verbose'\n/);
    expect(usage(['-x'])).toMatch(/^unknown option '-x'/);
    expect(usage(['--event'])).toMatch(/^option '--event' needs a value: --event <file>/);
    expect(usage(['--event='])).toMatch(/^option '--event' needs a value/);
    expect(usage(['--event', '--json'])).toMatch(/^option '--event' needs a value/);
    expect(usage(['--json=yes'])).toMatch(/^option '--json' takes no value/);
    expect(usage(['--event', 'a', '--event', 'b'])).toMatch(/^option '--event' was given more than once/);
  });
});

describe('repeatable options', () => {
  it('collects every value in order, and still refuses other options given twice', () => {
    const options: OptionSpec[] = [...OPTIONS, { name: 'secret', value: '<name>', help: 'a secret', repeatable: true }];
    const p = parseArgs(['--secret', 'a', '--secret=b', '--event', 'e', '--secret', 'c'], options, 'fnstudio run');
    expect(p.lists.get('secret')).toEqual(['a', 'b', 'c']);
    expect(() => parseArgs(['--event', 'a', '--event', 'b'], options, 'fnstudio run')).toThrow(/given more than once/);
  });
});

describe('parseIntegerOption', () => {
  it('parses whole numbers within range and names the option otherwise', () => {
    expect(parseIntegerOption('250', 'timeout', 'ms', 1, 1000, 'fnstudio run')).toBe(250);
    expect(() => parseIntegerOption('2.5', 'timeout', 'ms', 1, 1000, 'fnstudio run')).toThrow("option '--timeout' must be a whole number of ms, got '2.5'");
    expect(() => parseIntegerOption('-1', 'timeout', 'ms', 1, 1000, 'fnstudio run')).toThrow('must be a whole number');
    expect(() => parseIntegerOption('5000', 'timeout', 'ms', 1, 1000, 'fnstudio run')).toThrow("option '--timeout' must be between 1 and 1000 ms, got 5000");
  });
});

describe('formatOptions', () => {
  it('aligns names and wraps long help within 80 columns', () => {
    const text = formatOptions([{ name: 'event', value: '<file>', help: 'word '.repeat(40).trim() }, { name: 'help', short: 'h', help: 'help' }]);
    const lines = text.split('\n');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines[0]).toMatch(/^ {6}--event <file> {2}word/);
    expect(lines.at(-1)).toMatch(/^ {2}-h, --help {10}help$/);
  });
});
