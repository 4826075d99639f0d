/**
 * Starts the sandbox runtime for hosts that run user code in worker threads of their
 * own process (web host, CLI). Electron uses a utility process instead.
 */
import { createRuntime } from '../../runtime';
import type { Runtime, RuntimeOptions } from '../../runtime/api';

export function createSandboxRuntime(options?: RuntimeOptions): Runtime {
  return createRuntime(options);
}
