/**
 * Starts the runtime in an Electron utilityProcess (a separate OS process: user code
 * never runs in the main process, and a crash or memory blow-up there cannot take the
 * app down). Electron-only; the protocol, restart and retire logic are the host-neutral
 * ones in main/core/runtime-process/.
 */
import { utilityProcess } from 'electron';
import type { Runtime } from '../../runtime/api';
import { APP_PATHS } from './app-paths';
import { createRuntimeClient, type RuntimeChannel } from '../core/runtime-process/client';
import { runtimeProcessEnv } from '../core/runtime-process/env';

function forkRuntimeProcess(entry: string = APP_PATHS.runtimeProcessEntry): RuntimeChannel {
  const child = utilityProcess.fork(entry, [], {
    serviceName: 'fnstudio runtime',
    env: runtimeProcessEnv(process.env),
    stdio: 'inherit',
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return {
    postMessage: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => {
      if (!exited) child.kill();
    },
  };
}

export function createUtilityProcessRuntime(onProblem: (error: Error) => void): Runtime {
  return createRuntimeClient(() => forkRuntimeProcess(), {
    onProtocolError: onProblem,
    onRetire: (reason) => onProblem(new Error(`runtime process replaced: ${reason}`)),
  });
}
