import { describe, expect, it } from 'vitest';
import type { FunctionSetting } from '../../contract/function';
import { checkHandler } from './type-check';

const SETTINGS: FunctionSetting[] = [
  { name: 'apiKey', label: 'API key', description: '', type: 'STRING', required: true, sensitive: true },
  { name: 'debug', label: 'Debug', description: '', type: 'BOOLEAN', required: false, sensitive: false },
  { name: 'headers', label: 'Headers', description: '', type: 'TEXT_MAP', required: false, sensitive: false },
  { name: 'tags', label: 'Tags', description: '', type: 'ARRAY', required: false, sensitive: false },
];

describe('checkHandler', () => {
  it('passes a clean JavaScript handler typed from its name and settings', () => {
    const code = [
      'async function onTrack(event, settings) {',
      '  const name = event.event.toUpperCase();',
      '  const key = settings.apiKey.trim();',
      '  const tags = (settings.tags ?? []).join(",");',
      '  await fetch("https://api.example.com", { method: "POST", body: JSON.stringify({ name, key, tags }) });',
      '}',
      'async function onBatch(events, settings) {',
      '  return events.map(() => ({ status: 200 }));',
      '}',
    ].join('\n');
    expect(checkHandler({ file: 'fn/handler.js', code, settings: SETTINGS })).toEqual([]);
  });

  it('reports a type error in JavaScript at the line and column of the file', () => {
    const code = '// a comment\nasync function onIdentify(event, settings) {\n  const n = event.traits.email.toFixed(2);\n  if (settings.debug) console.log(n);\n}\n';
    const diagnostics = checkHandler({ file: 'fn/handler.js', code, settings: SETTINGS });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 3, column: 32, severity: 'error' });
    expect(diagnostics[0].message).toMatch(/^error TS2551: Property 'toFixed' does not exist on type 'string'/);
  });

  it('flags a setting function.json does not declare, naming the declared ones', () => {
    const code = 'async function onTrack(event, settings) {\n  return settings.apiKey + settings.token;\n}\n';
    const diagnostics = checkHandler({ file: 'fn/handler.js', code, settings: SETTINGS });
    expect(diagnostics).toEqual([
      expect.objectContaining({ line: 2, column: 37, message: expect.stringContaining("'token' is not a declared setting of this function (declared: apiKey, debug, headers, tags)") }),
    ]);
    // Without function.json any setting goes.
    expect(checkHandler({ file: 'fn/handler.js', code, settings: null })).toEqual([]);
  });

  it('checks TypeScript strictly, typing unannotated handler parameters, at the exact columns', () => {
    const code = [
      'interface Payload { id: string }',
      'async function onTrack(event, settings) {',
      '  const p: Payload = { id: event.userId ?? "anon" };',
      '  const h: Record<string, string> = settings.headers ?? {};',
      '  const wrong: number = settings.apiKey;',
      '  return { p, h, wrong };',
      '}',
    ].join('\n');
    const diagnostics = checkHandler({ file: 'fn/handler.ts', code, settings: SETTINGS });
    expect(diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([[5, 9, "error TS2322: Type 'string' is not assignable to type 'number'."]]);
  });

  it('keeps the types an author wrote', () => {
    const js = '/** @param {SegmentTrackEvent} e @param {FunctionSettings} s */\nasync function onTrack(e, s) {\n  return s.debug === 1;\n}\n';
    expect(checkHandler({ file: 'h.js', code: js, settings: SETTINGS }).map((d) => [d.line, d.column])).toEqual([[3, 10]]);
    const ts = 'async function onTrack(event: SegmentTrackEvent, settings: { debug?: boolean }) {\n  return settings.debug;\n}\n';
    expect(checkHandler({ file: 'h.ts', code: ts, settings: SETTINGS })).toEqual([]);
  });
});
