/**
 * `fnstudio serve [--port N] [--workspace DIR] [--no-open]`: the studio in the browser.
 * Resolves with the exit code once the server stops (SIGINT/SIGTERM or `signal`).
 */
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { ConfPreferencesStore, defaultPreferencesDir } from '../core/preferences/conf-store';
import { createSandboxRuntime } from '../core/runtime-loader';
import { createCoreServices } from '../core/services';
import { describeWorkspaceSource } from '../core/workspace-location';
import { KeytarSecretStore } from '../core/secrets/keytar-store';
import type { SecretStore } from '../core/secrets/secret-store';
import type { Runtime } from '../../runtime/api';
import { parseServeArgs, SERVE_USAGE, ServeArgsError } from './args';
import { openInBrowser } from './open-browser';
import { startWebHost } from './server';

export interface ServeIo {
  stdout?: Writable;
  stderr?: Writable;
  env?: NodeJS.ProcessEnv;
  /** Stops the server (tests); SIGINT and SIGTERM always do. */
  signal?: AbortSignal;
  /** Built renderer folder; default out/renderer next to this build. */
  rendererDir?: string;
  /** Replaces the sandbox runtime (tests). */
  runtime?: Runtime;
  /** Replaces the OS keychain (tests). */
  secretStore?: SecretStore;
  /** Replaces the system-browser opener (tests). */
  openBrowser?: (url: string) => boolean;
}

/** out/main/webhost → out/renderer. */
function defaultRendererDir(): string {
  return path.resolve(__dirname, '..', '..', 'renderer');
}

export async function serveCommand(argv: string[], io: ServeIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let args;
  try {
    args = parseServeArgs(argv);
  } catch (err) {
    if (!(err instanceof ServeArgsError)) throw err;
    stderr.write(`fnstudio serve: ${err.message}\n\n${SERVE_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }

  const configDir = env.FNSTUDIO_CONFIG_DIR || defaultPreferencesDir(env);
  const preferencesStore = new ConfPreferencesStore({ dir: configDir });
  let preferredWorkspace: string | null = null;
  try {
    preferredWorkspace = (await preferencesStore.read()).workspacePath;
  } catch (err) {
    stderr.write(`fnstudio serve: cannot read preferences (${(err as Error).message}); using defaults\n`);
  }
  // The runtime process starts on the first run (the client is lazy), and with it invokeMany.
  const runtime = io.runtime ?? createSandboxRuntime();
  // The location rather than a fixed folder, so a change of the preference in the UI moves it live.
  const core = createCoreServices({
    workspaceLocation: { flag: args.workspace, env, preference: preferredWorkspace },
    runtime,
    preferencesStore,
    secretStore: io.secretStore ?? new KeytarSecretStore(),
    configDir,
    onWatchError: (err) => stderr.write(`fnstudio serve: live updates from disk are off (${err.message})\n`),
  });

  let host;
  try {
    await core.ready;
    host = await startWebHost({ api: core, onEvent: (l) => core.onEvent(l), rendererDir: io.rendererDir ?? defaultRendererDir(), port: args.port });
  } catch (err) {
    await core.close();
    if (!io.runtime) await runtime.close();
    const code = (err as NodeJS.ErrnoException).code;
    let reason = code === 'EADDRINUSE' ? `port ${args.port} is already in use` : (err as Error).message;
    if ((err as { name?: string }).name === 'InvalidArgument') {
      const { source } = await core.workspace.info();
      reason += ` (the folder is ${describeWorkspaceSource(source)}; start with --workspace DIR to use another one)`;
    }
    stderr.write(`fnstudio serve: cannot start: ${reason}\n`);
    return 1;
  }

  stdout.write(`fnstudio: ${host.url}\n`);
  const info = await core.workspace.info();
  stderr.write(`fnstudio serve: workspace ${info.root} (${describeWorkspaceSource(info.source)}); press Ctrl+C to stop\n`);
  const stopLogging = core.onEvent((event) => {
    if (event.type === 'workspace.changed') stderr.write(`fnstudio serve: workspace is now ${event.workspace.root}\n`);
  });
  // Not host.url: an opener's command line is readable by every local user (ps), so the
  // browser gets a link good for one visit instead of the token.
  if (args.open) (io.openBrowser ?? openInBrowser)(host.oneTimeUrl());

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    io.signal?.addEventListener('abort', stop);
  });
  stopLogging();
  await host.close();
  await core.close();
  if (!io.runtime) await runtime.close();
  return 0;
}
