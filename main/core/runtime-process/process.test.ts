/**
 * The real runtime process entry (compiled out/main/core/runtime-process/entry.js) with
 * the real runtime, driven by the RuntimeClient every host uses, started the way the web
 * host and the CLI start it (child_process.fork; Electron's utilityProcess speaks the
 * same protocol). Needs `npm run build:node` first (npm test does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { InvokeRequest, Runtime } from '../../../runtime/api';
import { createRuntimeClient } from './client';
import { forkRuntimeProcess, runtimeEntryPath } from './fork';

const pids: number[] = [];
const spawnRuntimeProcess = () => forkRuntimeProcess({ onSpawn: (pid) => pids.push(pid) });

function request(code: string, input: unknown = { type: 'track', event: 'Signed Up', userId: 'u1' }): InvokeRequest {
  return { functionId: 'fn-electron-test', code, filename: 'handler.js', input, settings: {}, timeoutMs: 5000 };
}

let client: Runtime;

beforeAll(() => {
  if (!existsSync(runtimeEntryPath())) throw new Error('the runtime process entry is missing: run npm run build:node first');
  client = createRuntimeClient(spawnRuntimeProcess);
});

afterAll(async () => {
  await client?.close();
});

describe('runtime process (real runtime in a separate process)', () => {
  it('prestarts the sandbox workers and reports their start times', async () => {
    const startupMs = await client.prestart!();
    expect(startupMs.length).toBeGreaterThan(0);
    for (const ms of startupMs) expect(ms).toBeGreaterThan(0);
  });

  it('runs a function and returns its outcome', async () => {
    const outcome = await client.invoke(request('async function onTrack(event) { console.log("got", event.event); return { seen: event.event }; }'));
    expect(outcome.outcome).toBe('Success');
    expect(outcome.result).toEqual({ seen: 'Signed Up' });
    expect(outcome.logs.map((l) => l.message)).toContain('got Signed Up');
  });

  it('reports user errors as outcomes with the user line', async () => {
    const outcome = await client.invoke(request('async function onTrack(event) {\n  throw new ValidationError("email missing");\n}'));
    expect(outcome.outcome).toBe('Message Rejected');
    expect(outcome.error).toMatchObject({ name: 'ValidationError', message: 'email missing' });
    expect(outcome.error?.frames[0]?.line).toBe(2);
  });

  it('cancels an endless loop and keeps serving', async () => {
    const controller = new AbortController();
    // A limit far beyond the abort, so that only the cancel (not a Timeout) can end it.
    const run = client.invoke({ ...request('async function onTrack() { while (true) {} }'), timeoutMs: 60_000 }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    await expect(run).rejects.toMatchObject({ name: 'RunCancelled' });
    expect((await client.invoke(request('async function onTrack() { return 1; }'))).result).toBe(1);
  });

  it('a killed process answers pending runs with an error outcome and is restarted', async () => {
    // Still running when the kill comes, however slow a loaded machine is to get there.
    const running = client.invoke({ ...request('async function onTrack() { await new Promise((r) => setTimeout(r, 60_000)); return "late"; }'), timeoutMs: 120_000 });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pids[pids.length - 1], 'SIGKILL');
    const crashed = await running;
    expect(crashed.error?.name).toBe('RuntimeCrashed');
    expect(crashed.error?.message).toContain('was killed');
    const after = await client.invoke(request('async function onTrack() { return "back"; }'));
    expect(after.result).toBe('back');
    expect(pids.length).toBeGreaterThanOrEqual(2);
  });
});

describe('what the runtime process holds', () => {
  it('loads the runtime and nothing of the hosts: no keychain binding, web server, WebSocket or Electron', async () => {
    const result = await build({
      entryPoints: [path.join(__dirname, 'entry.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      metafile: true,
      logLevel: 'silent',
      outfile: 'entry.js',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    // The graph is real: it reaches the sandbox worker pool.
    expect(inputs.some((file) => file.endsWith('runtime/pool.ts'))).toBe(true);
    for (const forbidden of [/keytar/, /^electron$/, /(^|\/)ws\//, /^ws$/, /main\/webhost\//, /main\/core\/secrets\//, /main\/electron\//, /main\/cli\//]) {
      expect([...inputs, ...imports].filter((file) => forbidden.test(file)), String(forbidden)).toEqual([]);
    }
    expect(imports).not.toContain('node:http2');
  });

  it.runIf(process.platform === 'linux')('gets only locale and time zone from the host environment, plus its malloc setting (Linux: /proc/<pid>/environ)', async () => {
    const tz = process.env.TZ;
    process.env.FNSTUDIO_TEST_HOST_SECRET = 'must-not-leak';
    process.env.TZ = tz ?? 'UTC';
    const spawned: number[] = [];
    const runtime = createRuntimeClient(() => forkRuntimeProcess({ workers: 1, onSpawn: (pid) => spawned.push(pid) }));
    try {
      expect((await runtime.invoke(request('async function onTrack() { return 1; }'))).result).toBe(1);
      const environ = readFileSync(`/proc/${spawned[0]}/environ`, 'utf8').split('\0').filter(Boolean);
      const names = environ.map((entry) => entry.slice(0, entry.indexOf('=')));
      expect(names).toContain('TZ');
      expect(environ).toContain('MALLOC_ARENA_MAX=2');
      // NODE_CHANNEL_* is the IPC channel Node's fork itself sets up; MALLOC_ARENA_MAX is env.ts's own.
      const allowed = ['TZ', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_TIME', 'LC_NUMERIC', 'LC_COLLATE', 'MALLOC_ARENA_MAX', 'NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE'];
      expect(names.filter((name) => !allowed.includes(name))).toEqual([]);
      expect(environ.join('\n')).not.toContain('must-not-leak');
    } finally {
      delete process.env.FNSTUDIO_TEST_HOST_SECRET;
      if (tz === undefined) delete process.env.TZ;
      await runtime.close();
    }
  });
});
