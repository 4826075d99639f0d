import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const bin = path.join(__dirname, '..', '..', 'bin', 'fnstudio.js');

describe('fnstudio binary', () => {
  it('prints help naming every command', () => {
    const out = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/Usage: fnstudio/);
    for (const command of ['run', 'serve', 'capture', 'secrets']) expect(out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('routes serve and secrets to their own help', () => {
    const serve = execFileSync(process.execPath, [bin, 'serve', '--help'], { encoding: 'utf8' });
    expect(serve).toMatch(/fnstudio serve \[--port N\]/);
    const secrets = execFileSync(process.execPath, [bin, 'secrets', '--help'], { encoding: 'utf8' });
    expect(secrets).toMatch(/fnstudio secrets set/);
  });

  it('without a command prints the help on stderr and exits 2 (usage error)', () => {
    const res = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^fnstudio: no command given\.\n\nfnstudio .*\n\nUsage: fnstudio <command> \[options\]/);
    for (const command of ['run', 'serve', 'capture', 'secrets']) expect(res.stderr).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('rejects an unknown command with exit status 2', () => {
    const res = spawnSync(process.execPath, [bin, 'deploy'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/deploy/);
  });
});
