/**
 * Entry of the runtime's own process, in every host. In Electron it is a utilityProcess
 * and talks over `process.parentPort`; started by Node (child_process.fork, as the web
 * host and the CLI do) it talks over the IPC channel (`process.send`). It loads the
 * runtime and nothing else: no keychain binding, no tokens, no HTTP server.
 *
 * Arguments: `--workers=N` (sandbox worker threads; default: CPU cores).
 */
import { createRuntime } from '../../../runtime';
import { serveRuntime, type RuntimeServer, type RuntimeServerPort } from './server';

/** The part of Electron's `process.parentPort` this file uses (no `electron` import in core). */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function parentChannel(): RuntimeServerPort | null {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPortLike | null }).parentPort;
  if (parentPort) {
    return {
      postMessage: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    };
  }
  const send = process.send?.bind(process);
  if (send) {
    return {
      postMessage: (message) => send(message),
      onMessage: (listener) => process.on('message', listener),
    };
  }
  return null;
}

function workersArgument(argv: readonly string[]): number | undefined {
  const arg = argv.find((a) => a.startsWith('--workers='));
  if (arg === undefined) return undefined;
  const n = Number(arg.slice('--workers='.length));
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`fnstudio runtime: --workers must be a positive integer, got ${JSON.stringify(arg)}\n`);
    process.exit(2);
  }
  return n;
}

const channel = parentChannel();
if (channel === null) {
  process.stderr.write('fnstudio: the runtime process entry must be started as an Electron utility process or a forked child\n');
  process.exit(2);
}

let server: RuntimeServer | null = null;
const runtime = createRuntime({
  workers: workersArgument(process.argv.slice(2)),
  // A thread stuck in a native call cannot be stopped from here: the host replaces us.
  onStuckWorker: (reason) => server?.retire(reason),
});
server = serveRuntime(runtime, channel);
// A Node parent that goes away leaves nobody to answer to.
process.on('disconnect', () => {
  void runtime.close().finally(() => process.exit(0));
});
