import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { browserOpener } from './open-browser';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-open-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('browserOpener', () => {
  it('uses xdg-open on Linux only when it is on PATH and executable', async () => {
    expect(browserOpener('linux', { PATH: tmp })).toBeNull();
    const xdg = path.join(tmp, 'xdg-open');
    await fs.writeFile(xdg, '#!/bin/sh\n', { mode: 0o644 });
    expect(browserOpener('linux', { PATH: tmp })).toBeNull();
    await fs.chmod(xdg, 0o755);
    const opener = browserOpener('linux', { PATH: `/nonexistent${path.delimiter}${tmp}` });
    expect(opener?.command).toBe(xdg);
    expect(opener?.args('http://127.0.0.1:1/?token=t')).toEqual(['http://127.0.0.1:1/?token=t']);
  });

  it('uses open on macOS and start on Windows', async () => {
    await fs.writeFile(path.join(tmp, 'open'), '#!/bin/sh\n', { mode: 0o755 });
    expect(browserOpener('darwin', { PATH: tmp })?.command).toBe('open');
    expect(browserOpener('darwin', { PATH: '' })).toBeNull();
    expect(browserOpener('win32', {})?.args('u')).toEqual(['/c', 'start', '""', 'u']);
  });
});
