/**
 * Starts the runtime process with Node's child_process.fork (web host and CLI; Electron
 * uses its utilityProcess instead, in main/electron/utility-runtime.ts). The child gets
 * an IPC channel, the filtered environment of env.ts and no inherited Node flags.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Runtime, RuntimeOptions } from '../../../runtime/api';
import { createRuntimeClient, type RuntimeChannel, type RuntimeClientOptions } from './client';
import { runtimeProcessEnv } from './env';
import type { ToRuntimeMessage } from './protocol';

/** The compiled entry: beside this module when compiled, under out/ when run from source (tests). */
export function runtimeEntryPath(): string {
  const beside = path.join(__dirname, 'entry.js');
  if (existsSync(beside)) return beside;
  const built = path.resolve(__dirname, '..', '..', '..', 'out', 'main', 'core', 'runtime-process', 'entry.js');
  if (existsSync(built)) return built;
  throw new Error(`fnstudio: the runtime process is not built (looked for ${beside} and ${built}); run \`npm run build:node\``);
}

/**
 * V8 flags of the runtime process. V8 applies them to every isolate in the process (its
 * main thread and each sandbox worker, over a worker's resourceLimits).
 * - A young generation of 6 MB per isolate (semi-spaces of 2 MB) instead of V8's 48 MB keeps
 *   the process tree of a 1 M-event `fnstudio replay` under 300 MB: the runtime process
 *   peaked at 245 MB with V8's default and at 148 MB with this (bench/replay-bench.mjs;
 *   runtime/README.md has the figures).
 * - Garbage collection on the collecting thread only. The process runs a busy thread per
 *   core already (the workers, plus the relay), so the helper threads of a parallel
 *   scavenge wait for a core while the worker that started it waits for them: scavenges of
 *   a worker took 1.5 ms on average with them and 0.4 ms without (`--trace-gc`, 2 cores),
 *   and the pool ran 6% more events per second (median of 6 alternating rounds).
 */
export const RUNTIME_PROCESS_V8_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--single-threaded-gc'];

export interface ForkOptions extends Pick<RuntimeOptions, 'workers'> {
  /** Told each child's pid when it starts (tests use it to kill one). */
  onSpawn?: (pid: number) => void;
}

export function forkRuntimeProcess(options: ForkOptions = {}, entry: string = runtimeEntryPath()): RuntimeChannel {
  const args = options.workers === undefined ? [] : [`--workers=${options.workers}`];
  const child = fork(entry, args, {
    // stdout stays the host's own (`fnstudio run --json` prints exactly one object there);
    // the runtime's rare diagnostics go to stderr.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
    env: runtimeProcessEnv(process.env),
    // Flags of the host (an inspector port, loaders, NODE_OPTIONS-like flags) do not pass.
    execArgv: [...RUNTIME_PROCESS_V8_FLAGS],
  });
  let exited = false;
  const exitListeners: Array<(code: number | null) => void> = [];
  child.once('exit', (code) => {
    exited = true;
    for (const listener of exitListeners) listener(code);
  });
  // A send racing the child's death fails here; the exit handler answers the calls.
  child.on('error', () => undefined);
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  return {
    postMessage: (message: ToRuntimeMessage) => {
      if (!exited && child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      if (exited) listener(child.exitCode);
      else exitListeners.push(listener);
    },
    kill: () => {
      // SIGKILL: a thread stuck in a native call would keep a gentler exit waiting.
      if (!exited) child.kill('SIGKILL');
    },
    setBusy: (busy) => {
      // An idle runtime process must not keep the host alive (a CLI that is done exits).
      if (busy) {
        child.ref();
        child.channel?.ref();
      } else {
        child.unref();
        child.channel?.unref();
      }
    },
  };
}

/** The runtime in a child process, started on first use and replaced when it dies. */
export function createChildProcessRuntime(options: ForkOptions & RuntimeClientOptions = {}): Runtime {
  const { onProtocolError, onRetire, ...forkOptions } = options;
  return createRuntimeClient(() => forkRuntimeProcess(forkOptions), { onProtocolError, onRetire });
}
