import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { compileTypeScriptHandler, mapErrorToSource, TypeScriptCompileError } from './typescript-handler';

const CODE = [
  'interface Order {', // 1
  '  id: string;', // 2
  '}', // 3
  '', // 4
  'type Total = number;', // 5
  '', // 6
  'async function onTrack(event: SegmentTrackEvent, settings: FunctionSettings): Promise<Order> {', // 7
  '  const total: Total = event.properties.total;', // 8
  '  if (total < 0) throw new ValidationError(`negative total ${total}`);', // 9
  '  return { id: String(total) };', // 10
  '}', // 11
].join('\n');

describe('handler.ts', () => {
  it('compiles to a plain script (no module system) that defines the handlers', async () => {
    const compiled = compileTypeScriptHandler(CODE, 'handler.ts');
    expect(compiled.js).not.toMatch(/exports|require|import|interface|sourceMappingURL/);
    class ValidationError extends Error {}
    const context = vm.createContext({ ValidationError, String });
    vm.runInContext(compiled.js, context, { filename: 'handler.ts' });
    const onTrack = context.onTrack as (e: unknown) => Promise<unknown>;
    await expect(onTrack({ properties: { total: 3 } })).resolves.toEqual({ id: '3' });
    const thrown = await onTrack({ properties: { total: -1 } }).catch((e: Error) => e);
    // The compiled line V8 reports maps back to the TypeScript line of the throw.
    const [, line, column] = /handler\.ts:(\d+):(\d+)/.exec((thrown as Error).stack ?? '') ?? [];
    expect(Number(line)).not.toBe(9);
    expect(compiled.toSource(Number(line), Number(column))).toEqual({ line: 9, column: 24 });
  });

  it('rewrites an error’s frames and stack text to the TypeScript lines', () => {
    const compiled = compileTypeScriptHandler(CODE, 'handler.ts');
    const jsLine = compiled.js.split('\n').findIndex((l) => l.includes('throw new ValidationError')) + 1;
    const jsColumn = compiled.js.split('\n')[jsLine - 1].indexOf('new ValidationError') + 1;
    const mapped = mapErrorToSource(
      { name: 'ValidationError', message: 'negative total -1', stack: `ValidationError: negative total -1\n    at onTrack (handler.ts:${jsLine}:${jsColumn})`, frames: [{ functionName: 'onTrack', line: jsLine, column: jsColumn }] },
      compiled,
      'handler.ts',
    );
    expect(mapped.frames).toEqual([{ functionName: 'onTrack', line: 9, column: 24 }]);
    expect(mapped.stack).toBe('ValidationError: negative total -1\n    at onTrack (handler.ts:9:24)');
  });

  it('names the file, line and column of a syntax error instead of running it', () => {
    expect(() => compileTypeScriptHandler('async function onTrack(event) {\n  const x: = 1;\n}\n', 'handler.ts')).toThrow(TypeScriptCompileError);
    expect(() => compileTypeScriptHandler('async function onTrack(event) {\n  const x: = 1;\n}\n', 'handler.ts')).toThrow(/^handler\.ts:2:12 Type expected\.$/);
  });
});
