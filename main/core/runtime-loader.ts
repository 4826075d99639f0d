/**
 * Starts the sandbox runtime for the hosts that are plain Node (web host, CLI): in a
 * child process of its own, so user code never shares a process with the keychain
 * binding, a Public API token or the web server. Electron starts the same runtime process
 * as a utilityProcess instead (main/electron/utility-runtime.ts).
 */
import type { Runtime, RuntimeOptions } from '../../runtime/api';
import { createChildProcessRuntime } from './runtime-process/fork';

export function createSandboxRuntime(options: Pick<RuntimeOptions, 'workers'> = {}): Runtime {
  return createChildProcessRuntime(options);
}
