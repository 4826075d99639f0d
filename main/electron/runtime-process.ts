/**
 * Entry of the runtime's own process. In Electron it is a utilityProcess (forked by
 * utility-runtime.ts) and talks over `process.parentPort`; started by plain Node with
 * an IPC channel (child_process.fork, as the tests do) it talks over `process.send`.
 */
import type { ParentPort } from 'electron';
import { createRuntime } from '../../runtime';
import { serveRuntime, type RuntimeServerPort } from './runtime-server';

function parentChannel(): RuntimeServerPort | null {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort | null }).parentPort;
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

const channel = parentChannel();
if (channel === null) {
  process.stderr.write('fnstudio: runtime-process.js must be started as an Electron utility process or a forked child\n');
  process.exit(2);
}

const runtime = createRuntime();
serveRuntime(runtime, channel);
// A Node parent that goes away leaves nobody to answer to.
process.on('disconnect', () => {
  void runtime.close().finally(() => process.exit(0));
});
