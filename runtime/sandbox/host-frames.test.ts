import { describe, expect, it } from 'vitest';
import { formatGuestStack, isHostFile, withoutHostDirectories, type FrameLike } from './host-frames';

/** A stand-in for a V8 CallSite: its file name and its text as V8 prints it. */
const frame = (fileName: string | null, text: string): FrameLike => ({ getFileName: () => fileName, toString: () => text });

describe('isHostFile', () => {
  it('knows POSIX, Windows, UNC, file: and node: files from the guest file', () => {
    for (const name of [
      '/work/fnstudio/out/runtime/sandbox/network.js',
      'node:internal/process/task_queues',
      'file:///home/me/fnstudio/out/runtime/worker.js',
      'C:\\Users\\me\\AppData\\Local\\Programs\\fnstudio\\resources\\app.asar\\out\\runtime\\worker.js',
      'c:/Users/me/fnstudio/out/runtime/worker.js',
      'D:\\a\\b.js',
      '\\\\fileserver\\share\\fnstudio\\out\\runtime\\worker.js',
      '\\\\?\\C:\\very\\long\\path\\worker.js',
      'file:///C:/Users/me/fnstudio/out/runtime/worker.js',
    ]) {
      expect(isHostFile(name), name).toBe(true);
    }
    for (const name of ['handler.js', 'lodash.js', 'my function.js', null, undefined]) expect(isHostFile(name), String(name)).toBe(false);
  });
});

describe('withoutHostDirectories', () => {
  it('cuts POSIX, drive-letter and UNC directories, with spaces, leaving file:line:column', () => {
    const cases: Array<[string, string]> = [
      ['eval (eval at run (/work/fnstudio/out/runtime/sandbox/instance.js:90:31), <anonymous>:1:1)', 'eval (eval at run (instance.js:90:31), <anonymous>:1:1)'],
      ['eval (eval at run (C:\\Users\\me\\fnstudio\\out\\runtime\\sandbox\\instance.js:90:31), <anonymous>:1:1)', 'eval (eval at run (instance.js:90:31), <anonymous>:1:1)'],
      ['eval (eval at run (C:\\Program Files\\fnstudio\\resources\\app.asar\\out\\runtime\\instance.js:9:3), <anonymous>:1:1)', 'eval (eval at run (instance.js:9:3), <anonymous>:1:1)'],
      ['eval (eval at run (\\\\fileserver\\team share\\fnstudio\\out\\runtime\\instance.js:9:3), <anonymous>:1:1)', 'eval (eval at run (instance.js:9:3), <anonymous>:1:1)'],
      ['eval (eval at run (\\\\?\\C:\\long\\path\\instance.js:9:3), <anonymous>:1:1)', 'eval (eval at run (instance.js:9:3), <anonymous>:1:1)'],
      ['eval (eval at run (file:///C:/Users/me/out/instance.js:9:3), <anonymous>:1:1)', 'eval (eval at run (instance.js:9:3), <anonymous>:1:1)'],
      ['eval (eval at run (/home/me/My Projects/out/instance.js:9:3), <anonymous>:1:1)', 'eval (eval at run (instance.js:9:3), <anonymous>:1:1)'],
      ['onTrack (handler.js:3:11)', 'onTrack (handler.js:3:11)'],
    ];
    for (const [text, expected] of cases) expect(withoutHostDirectories(text), text).toBe(expected);
  });
});

describe('formatGuestStack', () => {
  it('keeps the head and the guest frames only, with no host path left on any platform', () => {
    const stack = formatGuestStack(new TypeError('Invalid digest: nope'), [
      frame('C:\\Users\\me\\fnstudio\\resources\\app.asar\\out\\runtime\\sandbox\\crypto-facade.js', 'createHash (C:\\Users\\me\\fnstudio\\resources\\app.asar\\out\\runtime\\sandbox\\crypto-facade.js:80:20)'),
      frame('\\\\build\\share\\fnstudio\\out\\runtime\\sandbox\\runner.js', 'Runner.run (\\\\build\\share\\fnstudio\\out\\runtime\\sandbox\\runner.js:12:3)'),
      frame('handler.js', 'onTrack (handler.js:2:10)'),
      frame(null, 'eval (eval at evaluate (D:\\fnstudio\\node_modules\\ses\\dist\\ses.cjs:1:2), <anonymous>:4:5)'),
      frame('node:internal/process/task_queues', 'process.processTicksAndRejections (node:internal/process/task_queues:95:5)'),
      frame('/opt/fnstudio/out/runtime/worker.js', 'MessagePort.<anonymous> (/opt/fnstudio/out/runtime/worker.js:1:1)'),
    ]);
    expect(stack).toBe('TypeError: Invalid digest: nope\n    at onTrack (handler.js:2:10)\n    at eval (eval at evaluate (ses.cjs:1:2), <anonymous>:4:5)');
    expect(stack).not.toMatch(/[A-Za-z]:\\|\\\\|\/opt\/|node:|Users|share/);
  });

  it('survives a hostile error and frames that throw', () => {
    const hostile = { toString: () => { throw new Error('no'); } };
    const throwing: FrameLike = { getFileName: () => { throw new Error('no'); }, toString: () => 'x (handler.js:1:1)' };
    expect(formatGuestStack(hostile, [throwing])).toBe('Error\n    at x (handler.js:1:1)');
  });
});
