/**
 * Type-checks one handler (handler.js as if it began with `// @ts-check`, or handler.ts)
 * against the runtime's typings and the function's declared settings, and reports
 * diagnostics at the lines and columns of the user's own file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { FunctionSetting } from '../../contract/function';
import { SETTINGS_TYPE, settingsDeclaration, shadowOf } from './handler-shadow';

export interface HandlerDiagnostic {
  /** 1-based, in the user's file. */
  line: number;
  /** 1-based, in the user's file. */
  column: number;
  severity: 'error' | 'warning';
  /** e.g. "error TS2339: Property 'x' does not exist …" */
  message: string;
}

export interface HandlerToCheck {
  /** The handler's path; diagnostics are reported for it. */
  file: string;
  code: string;
  /** The settings function.json declares; null when the function has no function.json. */
  settings: readonly FunctionSetting[] | null;
}

const TYPINGS_FILE = path.join('resources', 'types', 'segment-functions.d.ts');

/** The runtime's typings: resources/types in the package (compiled code runs from out/). */
function runtimeTypingsPath(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, TYPINGS_FILE);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find ${TYPINGS_FILE} above ${__dirname}`);
}

const BASE_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ES2022,
  // Segment's sandbox is the language and the typings' globals: no DOM, no Node.
  lib: ['lib.es2022.d.ts'],
  types: [],
  noEmit: true,
  skipLibCheck: true,
  noResolve: true,
};

/** `// @ts-check` semantics: checkJs with JavaScript's lenient defaults. */
const JS_OPTIONS: ts.CompilerOptions = { ...BASE_OPTIONS, allowJs: true, checkJs: true };
const TS_OPTIONS: ts.CompilerOptions = { ...BASE_OPTIONS, strict: true };

// Lib files and the typings are parsed once per process, not once per function.
const sharedFiles = new Map<string, ts.SourceFile>();

const SETTINGS_FILE = path.join(path.sep, '__fnstudio__', 'declared-settings.d.ts');

export function checkHandler(handler: HandlerToCheck): HandlerDiagnostic[] {
  const file = path.resolve(handler.file);
  const typescript = /\.ts$/i.test(file);
  const options = typescript ? TS_OPTIONS : JS_OPTIONS;
  const shadow = shadowOf(handler.code, file);
  const settingsText =
    handler.settings === null ? `/** No function.json: any setting. */\ninterface ${SETTINGS_TYPE} extends FunctionSettings {}\n` : settingsDeclaration(handler.settings);
  const typings = runtimeTypingsPath();
  const own = new Map<string, string>([
    [file, shadow.text],
    [SETTINGS_FILE, settingsText],
  ]);
  const host = ts.createCompilerHost(options);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError) => {
    const text = own.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, languageVersion, true);
    const cached = sharedFiles.get(name);
    if (cached) return cached;
    const parsed = baseGetSourceFile(name, languageVersion, onError);
    if (parsed) sharedFiles.set(name, parsed);
    return parsed;
  };
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = (name) => own.has(name) || baseFileExists(name);
  const baseReadFile = host.readFile.bind(host);
  host.readFile = (name) => own.get(name) ?? baseReadFile(name);

  const program = ts.createProgram({ rootNames: [typings, SETTINGS_FILE, file], options, host });
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`TypeScript did not load ${file}`);
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  const original = ts.createSourceFile(file, handler.code, ts.ScriptTarget.ES2022, false);
  const declared = handler.settings?.map((s) => s.name) ?? [];
  return diagnostics
    .filter((d) => d.category === ts.DiagnosticCategory.Error || d.category === ts.DiagnosticCategory.Warning)
    .map((d) => {
      const at = shadow.toOriginal(d.start ?? 0);
      const { line, character } = original.getLineAndCharacterOfPosition(at);
      const severity = d.category === ts.DiagnosticCategory.Error ? 'error' : 'warning';
      const text = undeclaredSetting(d, shadow.text, declared) ?? ts.flattenDiagnosticMessageText(d.messageText, ' ');
      return { line: line + 1, column: character + 1, severity, message: `${severity} TS${d.code}: ${text}` } satisfies HandlerDiagnostic;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** "Property 'x' does not exist on type 'DeclaredSettings'", said in the function's terms. */
function undeclaredSetting(d: ts.Diagnostic, shadowText: string, declared: readonly string[]): string | null {
  if ((d.code !== 2339 && d.code !== 2551) || d.start === undefined || d.length === undefined) return null;
  if (!ts.flattenDiagnosticMessageText(d.messageText, ' ').includes(`'${SETTINGS_TYPE}'`)) return null;
  const name = shadowText.slice(d.start, d.start + d.length);
  const known = declared.length === 0 ? 'it declares none' : `declared: ${declared.join(', ')}`;
  return `'${name}' is not a declared setting of this function (${known}). Declare it in function.json's settings, or settings.${name} is undefined at run time.`;
}
