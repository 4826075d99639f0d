/**
 * handler.ts: compiled to the one plain-script JavaScript file Segment runs (no module
 * system, ES2022), with a line map so that what the run reports (stack frames, jump-to-
 * line) points at the TypeScript lines. The runtime only ever sees JavaScript; mapping
 * happens here, after the run.
 */
import { typescript } from './lazy-typescript';
import type { Outcome, OutcomeError, UserStackFrame } from '../../common/outcome';

export interface CompiledHandler {
  /** The JavaScript that runs and is deployed. */
  js: string;
  /** Maps a 1-based line and column of `js` to the TypeScript's; null where nothing maps. */
  toSource(line: number, column: number): { line: number; column: number } | null;
}

export function isTypeScriptHandler(fileName: string): boolean {
  return /\.ts$/i.test(fileName);
}

/** Thrown for TypeScript that cannot be compiled (a syntax error); names file, line and column. */
export class TypeScriptCompileError extends Error {
  override readonly name = 'TypeScriptCompileError';
  constructor(
    message: string,
    /** What is wrong, without the place. */
    readonly problem: string,
    /** 1-based; null when TypeScript gives no place. */
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
  }
}

/** The outcome of a run whose TypeScript does not compile: what a JavaScript syntax error gets. */
export function compileFailureOutcome(err: TypeScriptCompileError, filename: string): Outcome {
  const frames = err.line === null || err.column === null ? [] : [{ functionName: null, line: err.line, column: err.column }];
  const stack = [`SyntaxError: ${err.problem}`, ...frames.map((f) => `    at ${filename}:${f.line}:${f.column}`)].join('\n');
  return {
    outcome: 'Bad Request',
    retryable: false,
    error: { name: 'SyntaxError', message: err.problem, stack, frames },
    logs: [],
    logsTruncated: false,
    requests: [],
    result: null,
    durationMs: 0,
  };
}

export function compileTypeScriptHandler(code: string, fileName: string): CompiledHandler {
  const ts = typescript();
  const out = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None, sourceMap: true, removeComments: false },
  });
  const problem = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (problem) {
    const where = problem.file && problem.start !== undefined ? problem.file.getLineAndCharacterOfPosition(problem.start) : null;
    const at = where ? `${fileName}:${where.line + 1}:${where.character + 1}` : fileName;
    const text = ts.flattenDiagnosticMessageText(problem.messageText, ' ');
    throw new TypeScriptCompileError(`${at} ${text}`, text, where ? where.line + 1 : null, where ? where.character + 1 : null);
  }
  const js = out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  const map = JSON.parse(out.sourceMapText ?? '{"mappings":""}') as { mappings: string };
  const lines = decodeMappings(map.mappings);
  return {
    js,
    toSource(line, column) {
      const segments = lines[line - 1];
      if (!segments || segments.length === 0) return null;
      // The last segment starting at or before the column, offset within it; else the line's first.
      const before = segments.filter((s) => s.column <= column - 1).pop();
      if (!before) return { line: segments[0].sourceLine + 1, column: segments[0].sourceColumn + 1 };
      return { line: before.sourceLine + 1, column: before.sourceColumn + 1 + (column - 1 - before.column) };
    },
  };
}

interface Segment {
  column: number;
  sourceLine: number;
  sourceColumn: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Source map v3 "mappings": per generated line, its segments (0-based, one source). */
function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Segment[] = [];
    let column = 0;
    for (const segmentText of lineText.split(',')) {
      if (segmentText === '') continue;
      const fields = decodeVlq(segmentText);
      column += fields[0];
      if (fields.length >= 4) {
        sourceLine += fields[2];
        sourceColumn += fields[3];
        segments.push({ column, sourceLine, sourceColumn });
      }
    }
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >> 1) : value >> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

/** The outcome with its error's frames (and their text in the stack) at the TypeScript lines. */
export function mapOutcomeToSource(outcome: Outcome, compiled: CompiledHandler, filename: string): Outcome {
  if (!outcome.error) return outcome;
  return { ...outcome, error: mapErrorToSource(outcome.error, compiled, filename) };
}

export function mapErrorToSource(error: OutcomeError, compiled: CompiledHandler, filename: string): OutcomeError {
  const mapFrame = (f: UserStackFrame): UserStackFrame => ({ ...f, ...(compiled.toSource(f.line, f.column) ?? {}) });
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const positions = new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g');
  const mapText = (text: string): string =>
    text.replace(positions, (whole, line: string, column: string) => {
      const at = compiled.toSource(Number(line), Number(column));
      return at ? `${filename}:${at.line}:${at.column}` : whole;
    });
  // A message can carry a position too (code that rethrows with a stack line in its text).
  const message = error.message.includes(`${filename}:`) ? mapText(error.message) : error.message;
  return { ...error, message, stack: mapText(error.stack), frames: error.frames.map(mapFrame) };
}
