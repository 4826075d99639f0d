import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const bin = path.join(__dirname, '..', '..', 'bin', 'fnstudio.js');

describe('fnstudio binary', () => {
  it('prints help naming the run command', () => {
    const out = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/Usage: fnstudio/);
    expect(out).toMatch(/\brun\b/);
  });
});
