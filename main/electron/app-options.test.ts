import { describe, expect, it } from 'vitest';
import { parseAppOptions } from './app-options';

describe('parseAppOptions', () => {
  it('reads --workspace in both spellings among Electron switches', () => {
    expect(parseAppOptions(['/usr/lib/electron', 'out/main/electron/main.js', '--no-sandbox', '--workspace', '/tmp/ws'])).toEqual({ workspace: '/tmp/ws' });
    expect(parseAppOptions(['electron', '.', '--workspace=~/fns', '--enable-logging'])).toEqual({ workspace: '~/fns' });
    expect(parseAppOptions(['electron', '.'])).toEqual({ workspace: null });
  });

  it('names the problem when the folder is missing', () => {
    expect(() => parseAppOptions(['electron', '--workspace'])).toThrow('--workspace needs a folder');
    expect(() => parseAppOptions(['electron', '--workspace', '--no-sandbox'])).toThrow('--workspace needs a folder');
    expect(() => parseAppOptions(['electron', '--workspace='])).toThrow('--workspace= needs a folder');
  });
});
