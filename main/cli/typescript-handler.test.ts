/**
 * handler.ts through the built binary: `run` and `test` run its compiled JavaScript and
 * report the TypeScript lines; a syntax error is bad input naming file, line and column.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Scratch, assertBuilt, runCli } from './test-support';

const FOLDER = path.join(__dirname, 'test-fixtures', 'typescript-fn');
const NEGATIVE = JSON.stringify({ type: 'track', event: 'Order Completed', properties: { total: -1 } });
let scratch: Scratch;
beforeAll(() => assertBuilt());
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(() => scratch.remove());

describe('TypeScript handlers in the CLI', () => {
  it('fnstudio run: a function folder with handler.ts, the stack at the TypeScript line', async () => {
    const r = await runCli(['run', FOLDER, '--event', '-', '--json'], { stdin: NEGATIVE });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.outcome).toBe('Message Rejected');
    // Line 10 of handler.ts; the compiled JavaScript has it on another line (types erased).
    expect(report.error.frames).toEqual([{ functionName: 'onTrack', line: 10, column: 24 }]);
    expect(report.error.stack).toBe('ValidationError: negative total -1\n    at onTrack (handler.ts:10:24)');
    expect(r.code).toBe(1);

    const human = await runCli(['run', path.join(FOLDER, 'handler.ts'), '--event', '-'], { stdin: NEGATIVE });
    expect(human.stdout).toContain('at onTrack (handler.ts:10:24)');
  });

  it('fnstudio run: a TypeScript syntax error is bad input, not a SyntaxError from the sandbox', async () => {
    const file = scratch.write('broken.ts', 'async function onTrack(event: SegmentTrackEvent) {\n  const total: = 1;\n}\n');
    const r = await runCli(['run', file, '--event', '-'], { stdin: NEGATIVE });
    expect(r.stderr).toBe(`fnstudio run: ${file}: cannot compile the TypeScript: broken.ts:2:16 Type expected.\n`);
    expect(r.code).toBe(2);
  });

  it('fnstudio replay: the recorded failures point at the TypeScript lines', async () => {
    const events = scratch.write('events.ndjson', [NEGATIVE, JSON.stringify({ type: 'track', event: 'Order Completed', properties: { total: 3 } })].join('\n') + '\n');
    const r = await runCli(['replay', FOLDER, events, '--json', '--no-retries', '--out', scratch.path('runs')]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ total: 2, delivered: 1, byOutcome: { Success: 1, 'Message Rejected': 1 } });
    const details = readFileSync(path.join(summary.recordDir, 'details.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const failed = details.find((d) => d.outcome.outcome === 'Message Rejected');
    expect(failed.outcome.error.frames).toEqual([{ functionName: 'onTrack', line: 10, column: 24 }]);
    expect(failed.outcome.error.stack).toBe('ValidationError: negative total -1\n    at onTrack (handler.ts:10:24)');
  });

  it('fnstudio test: runs the saved cases of a handler.ts function, frames at TypeScript lines', async () => {
    const r = await runCli(['test', FOLDER, '--reporter', 'json']);
    const report = JSON.parse(r.stdout);
    const cases = report.functions[0].cases as Array<{ name: string; status: string; outcome: { error: { frames: unknown[] } | null } }>;
    expect(cases.map((c) => [c.name, c.status])).toEqual([
      ['rejects a negative total', 'passed'],
      ['returns the order', 'passed'],
    ]);
    expect(cases[0].outcome.error?.frames).toEqual([{ functionName: 'onTrack', line: 10, column: 24 }]);
    expect(r.code).toBe(0);
  });
});
