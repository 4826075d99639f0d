/**
 * How the web host and the CLI start the runtime process: its V8 flags (a small young
 * generation: the memory budget of a 1 M-event replay) and none of the host's own.
 * Needs `npm run build:node` first (npm test does it).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../runtime/api';
import { createRuntimeClient } from './client';
import { forkRuntimeProcess, RUNTIME_PROCESS_V8_FLAGS } from './fork';

let client: Runtime | null = null;
afterAll(async () => {
  await client?.close();
});

describe('forkRuntimeProcess', () => {
  it('starts the runtime process with its V8 flags and without the host flags', async () => {
    expect(RUNTIME_PROCESS_V8_FLAGS).toEqual(['--max-semi-space-size=2', '--single-threaded-gc']);
    let pid = 0;
    client = createRuntimeClient(() => forkRuntimeProcess({ workers: 1, onSpawn: (p) => (pid = p) }));
    await client.prestart!();
    expect(pid).toBeGreaterThan(0);
    // The command line as the OS reports it (ps: Linux and macOS).
    const args = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/);
    expect(args.slice(1, 3)).toEqual(['--max-semi-space-size=2', '--single-threaded-gc']);
    expect(args.at(-1)).toBe('--workers=1');
    expect(args.join(' ')).toMatch(/runtime-process[\\/]entry\.js/);
    for (const hostFlag of process.execArgv) expect(args).not.toContain(hostFlag);
  });
});
