import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { codeOnly, fromShadow, settingsLib, settingUses, shadowOf, toShadow, undeclaredSettingMessage } from './handler-types';

const SETTINGS = [
  { name: 'apiKey', label: 'API Key', description: 'From the dashboard', type: 'STRING' as const, required: true, sensitive: true },
  { name: 'debug', label: 'Debug', description: '', type: 'BOOLEAN' as const, required: false, sensitive: false },
  { name: 'headers', label: 'Headers', description: '', type: 'TEXT_MAP' as const, required: false, sensitive: false },
  { name: 'tags', label: 'Tags', description: '', type: 'ARRAY' as const, required: false, sensitive: false },
  { name: '', label: 'Half typed', description: '', type: 'STRING' as const, required: false, sensitive: false },
];

const CODE = [
  '// no JSDoc anywhere',
  'const BASE = "https://api.test";',
  'async function onTrack(event, settings) {',
  '  const name = event.event;',
  '  return settings.apiKey + settings.nope;',
  '}',
  '  async function onBatch(events, s) {',
  '  return events.length;',
  '}',
  '',
].join('\n');

/** A TypeScript language service over the files Monaco's worker has: typings, settings lib, shadow. */
function languageService(files: Record<string, string>, options: ts.CompilerOptions = { allowJs: true, checkJs: false }): ts.LanguageService {
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => Object.keys(files),
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => (files[f] !== undefined ? ts.ScriptSnapshot.fromString(files[f]) : ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f) ?? '') : undefined),
    getCurrentDirectory: () => '/',
    getCompilationSettings: () => ({ ...options, noEmit: true, target: ts.ScriptTarget.ES2020, lib: ['lib.es2022.d.ts'] }),
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => files[f] !== undefined || ts.sys.fileExists(f),
    readFile: (f) => files[f] ?? ts.sys.readFile(f),
  };
  return ts.createLanguageService(host);
}

describe('the shadow of handler.js', () => {
  it('types event and settings from the handler name without JSDoc, on the same lines', () => {
    const shadow = shadowOf(CODE, 'my-fn');
    expect(shadow.text.split('\n').slice(0, 9).map((l) => l.replace(/\/\*\*.*?\*\/ /, ''))).toEqual(CODE.split('\n').slice(0, 9));
    expect(shadow.insertions.map((i) => [i.line, i.column])).toEqual([
      [3, 1],
      [7, 3],
    ]);
    const typings = readFileSync(join(__dirname, '../../../resources/types/segment-functions.d.ts'), 'utf8');
    const ls = languageService({ '/segment.d.ts': typings, '/settings.d.ts': settingsLib('my-fn', 'My Fn', SETTINGS), '/shadow.js': shadow.text, '/handler.js': CODE });
    const at = (line: number, column: number) => {
      const p = toShadow(shadow.insertions, { lineNumber: line, column });
      const offset = shadow.text.split('\n').slice(0, p.lineNumber - 1).join('\n').length + (p.lineNumber > 1 ? 1 : 0) + p.column - 1;
      return offset;
    };
    const info = (line: number, column: number) => ts.displayPartsToString(ls.getQuickInfoAtPosition('/shadow.js', at(line, column))?.displayParts);
    expect(info(4, 16)).toBe('(parameter) event: SegmentTrackEvent');
    expect(info(5, 19)).toBe('(property) FnStudioSettings_my_fn.apiKey: string');
    expect(info(7, 26)).toBe('(parameter) events: SegmentEvent[]');
    const completions = ls.getCompletionsAtPosition('/shadow.js', at(5, 19), {})?.entries.map((e) => e.name);
    expect(completions).toEqual(expect.arrayContaining(['apiKey', 'debug', 'headers', 'tags']));
    const doc = ls.getCompletionEntryDetails('/shadow.js', at(5, 19), 'headers', undefined, undefined, undefined, undefined);
    expect(ts.displayPartsToString(doc?.displayParts)).toBe('(property) FnStudioSettings_my_fn.headers?: Record<string, string>');
    // Segment's globals keep their documentation.
    const shadowFetch = shadowOf('async function onTrack(event) {\n  await fetch("x");\n}\n', 'my-fn');
    const ls2 = languageService({ '/segment.d.ts': typings, '/shadow.js': shadowFetch.text });
    const fetchOffset = shadowFetch.text.indexOf('fetch(');
    expect(ts.displayPartsToString(ls2.getQuickInfoAtPosition('/shadow.js', fetchOffset)?.documentation)).not.toBe('');
    // The real file and the shadow never clash (the shadow is a module).
    expect(ls.getSemanticDiagnostics('/handler.js')).toEqual([]);
  });

  it('keeps JSDoc the author wrote, and makes FunctionSettings mean this function’s settings', () => {
    const code = '/** @param {SegmentTrackEvent} e @param {FunctionSettings} settings */\nasync function onTrack(e, settings) {\n  return settings.debug;\n}\nfunction helper(/** @type {FunctionSettings} */ settings) { return settings.tags; }\n';
    const shadow = shadowOf(code, 'x');
    const typings = readFileSync(join(__dirname, '../../../resources/types/segment-functions.d.ts'), 'utf8');
    const ls = languageService({ '/segment.d.ts': typings, '/settings.d.ts': settingsLib('x', 'X', SETTINGS), '/shadow.js': shadow.text });
    const quick = (needle: string) => ts.displayPartsToString(ls.getQuickInfoAtPosition('/shadow.js', shadow.text.indexOf(needle))?.displayParts);
    expect(quick('debug;')).toBe('(property) FnStudioSettings_x.debug?: boolean');
    expect(quick('tags;')).toBe('(property) FnStudioSettings_x.tags?: string[]');
  });

  it('types a TypeScript handler’s unannotated parameters with `: Type` on the same line, and keeps the author’s types', () => {
    const code = [
      'const BASE: string = "https://api.test";',
      'async function onTrack(event, settings) {',
      '  const n: number = event.event;',
      '  return BASE + settings.apiKey + settings.nope;',
      '}',
      'async function onIdentify(event: SegmentIdentifyEvent, settings: FunctionSettings) {',
      '  return settings.debug;',
      '}',
      'async function onBatch(',
      '  events,',
      '  { tags }: FunctionSettings,',
      ') {',
      '  return events.length + (tags?.length ?? 0);',
      '}',
      'async function onGroup(event?, s = {} as FunctionSettings) { return [event, s]; }',
      '',
    ].join('\n');
    const shadow = shadowOf(code, 'my-fn', 'typescript');
    expect(shadow.insertions).toEqual([
      { line: 2, column: 29, length: ': SegmentTrackEvent'.length },
      { line: 2, column: 39, length: ': FnStudioSettings_my_fn'.length },
      { line: 10, column: 9, length: ': SegmentEvent[]'.length },
      { line: 15, column: 30, length: ': SegmentGroupEvent'.length },
      { line: 15, column: 33, length: ': FnStudioSettings_my_fn'.length },
    ]);
    expect(shadow.text.split('\n')[1]).toBe('async function onTrack(event: SegmentTrackEvent, settings: FnStudioSettings_my_fn) {');
    expect(shadow.text.split('\n')[14]).toBe('async function onGroup(event?: SegmentGroupEvent, s: FnStudioSettings_my_fn = {} as FunctionSettings) { return [event, s]; }');
    const typings = readFileSync(join(__dirname, '../../../resources/types/segment-functions.d.ts'), 'utf8');
    const ls = languageService({ '/segment.d.ts': typings, '/settings.d.ts': settingsLib('my-fn', 'My Fn', SETTINGS), '/shadow.ts': shadow.text }, { strict: true });
    const offsetIn = (text: string, p: { lineNumber: number; column: number }) => text.split('\n').slice(0, p.lineNumber - 1).join('\n').length + (p.lineNumber > 1 ? 1 : 0) + p.column - 1;
    const at = (line: number, column: number) => offsetIn(shadow.text, toShadow(shadow.insertions, { lineNumber: line, column }));
    const info = (line: number, column: number) => ts.displayPartsToString(ls.getQuickInfoAtPosition('/shadow.ts', at(line, column))?.displayParts);
    expect(info(3, 21)).toBe('(parameter) event: SegmentTrackEvent');
    expect(info(4, 26)).toBe('(property) FnStudioSettings_my_fn.apiKey: string');
    expect(info(7, 19)).toBe('(property) FnStudioSettings_my_fn.debug?: boolean | undefined');
    expect(info(10, 3)).toBe('(parameter) events: SegmentEvent[]');
    // What the TS worker reports, mapped back to the user's lines and columns: the type error and the unknown setting.
    const reported = ls.getSemanticDiagnostics('/shadow.ts').map((d) => {
      const before = shadow.text.slice(0, d.start ?? 0).split('\n');
      const where = fromShadow(shadow.insertions, { lineNumber: before.length, column: before[before.length - 1].length + 1 });
      return [d.code, where.lineNumber, where.column];
    });
    expect(reported).toEqual([
      [2322, 3, 9],
      [2339, 4, 44],
    ]);
  });

  it('maps positions both ways around the inserted comment', () => {
    const insertions = [{ line: 3, column: 3, length: 10 }];
    expect(toShadow(insertions, { lineNumber: 3, column: 2 })).toEqual({ lineNumber: 3, column: 2 });
    expect(toShadow(insertions, { lineNumber: 3, column: 5 })).toEqual({ lineNumber: 3, column: 15 });
    expect(toShadow(insertions, { lineNumber: 4, column: 5 })).toEqual({ lineNumber: 4, column: 5 });
    expect(fromShadow(insertions, { lineNumber: 3, column: 15 })).toEqual({ lineNumber: 3, column: 5 });
    expect(fromShadow(insertions, { lineNumber: 3, column: 6 })).toEqual({ lineNumber: 3, column: 3 });
    // Two insertions on one line (a TypeScript handler's parameters): each shifts what follows it.
    const two = [
      { line: 1, column: 5, length: 3 },
      { line: 1, column: 9, length: 4 },
    ];
    expect(toShadow(two, { lineNumber: 1, column: 4 })).toEqual({ lineNumber: 1, column: 4 });
    expect(toShadow(two, { lineNumber: 1, column: 7 })).toEqual({ lineNumber: 1, column: 10 });
    expect(toShadow(two, { lineNumber: 1, column: 12 })).toEqual({ lineNumber: 1, column: 19 });
    for (const column of [1, 4, 5, 7, 9, 12]) expect(fromShadow(two, toShadow(two, { lineNumber: 1, column }))).toEqual({ lineNumber: 1, column });
    expect(fromShadow(two, { lineNumber: 1, column: 13 })).toEqual({ lineNumber: 1, column: 9 });
  });
});

describe('settings the code reads', () => {
  it('finds settings.x outside comments and strings, with exact columns', () => {
    const code = [
      "const a = settings.apiKey; // settings.inComment",
      "const b = 'settings.inString' + `${settings.inTemplate} settings.notThis`;",
      'const c = other.settings.notMine + settings?.optional;',
    ].join('\n');
    expect(settingUses(code)).toEqual([
      { name: 'apiKey', line: 1, column: 20, endColumn: 26 },
      { name: 'inTemplate', line: 2, column: 45, endColumn: 55 },
      { name: 'optional', line: 3, column: 46, endColumn: 54 },
    ]);
    expect(codeOnly('"a\\"b" x')).toBe('"    " x');
  });

  it('words the warning for an undeclared setting', () => {
    expect(undeclaredSettingMessage('apiKey', ['apiKey'])).toBeNull();
    expect(undeclaredSettingMessage('apikey', ['apiKey', 'debug'])).toBe('“apikey” is not a declared setting of this function (declared: apiKey, debug). Add it in the Settings tab, or settings.apikey is undefined at run time.');
    expect(undeclaredSettingMessage('x', [])).toMatch(/it declares none/);
  });
});
