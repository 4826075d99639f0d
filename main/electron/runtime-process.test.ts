/**
 * The real runtime process entry (compiled out/main/electron/runtime-process.js) with
 * the real runtime, driven by the RuntimeClient the Electron main process uses. Plain
 * Node forks it as a child process (utilityProcess needs Electron); the entry speaks
 * the same protocol over Node IPC. Needs `npm run build:node` first (npm test does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { InvokeRequest, Runtime } from '../../runtime/api';
import { createRuntimeClient, type RuntimeChannel } from './runtime-client';
import { runtimeProcessEnv } from './runtime-env';

const ENTRY = path.resolve(__dirname, '..', '..', 'out', 'main', 'electron', 'runtime-process.js');

const children: ChildProcess[] = [];
function spawnRuntimeProcess(): RuntimeChannel {
  const child = fork(ENTRY, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    env: runtimeProcessEnv(process.env),
  });
  children.push(child);
  child.on('error', () => undefined);
  return {
    postMessage: (m) => child.send(m),
    onMessage: (l) => child.on('message', l),
    onExit: (l) => child.once('exit', (code) => l(code)),
    kill: () => child.kill(),
  };
}

function request(code: string, input: unknown = { type: 'track', event: 'Signed Up', userId: 'u1' }): InvokeRequest {
  return { functionId: 'fn-electron-test', code, filename: 'handler.js', input, settings: {}, timeoutMs: 5000 };
}

let client: Runtime;

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build:node first`);
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
    const run = client.invoke(request('async function onTrack() { while (true) {} }'), controller.signal);
    setTimeout(() => controller.abort(), 300);
    await expect(run).rejects.toMatchObject({ name: 'RunCancelled' });
    expect((await client.invoke(request('async function onTrack() { return 1; }'))).result).toBe(1);
  });

  it('a killed process answers pending runs with an error outcome and is restarted', async () => {
    const running = client.invoke(request('async function onTrack() { await new Promise((r) => setTimeout(r, 4000)); return "late"; }'));
    await new Promise((r) => setTimeout(r, 300));
    const victim = children[children.length - 1];
    victim.kill('SIGKILL');
    const crashed = await running;
    expect(crashed.error?.name).toBe('RuntimeCrashed');
    expect(crashed.error?.message).toContain('was killed');
    const after = await client.invoke(request('async function onTrack() { return "back"; }'));
    expect(after.result).toBe('back');
    expect(children.length).toBeGreaterThanOrEqual(2);
  });
});
