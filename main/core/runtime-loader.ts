/**
 * Starts the sandbox runtime (runtime/index.ts's createRuntime) for hosts that run
 * user code in-process worker threads (web host, CLI). Loaded by path so core does not
 * depend on the runtime's module at compile time.
 */
import * as path from 'node:path';
import type { Runtime, RuntimeOptions } from '../../runtime/api';

interface RuntimeModule {
  createRuntime(options?: RuntimeOptions): Runtime;
}

export function createSandboxRuntime(options?: RuntimeOptions): Runtime {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(__dirname, '..', '..', 'runtime', 'index')) as Partial<RuntimeModule>;
  if (typeof mod.createRuntime !== 'function') throw new Error('runtime/index does not export createRuntime');
  return mod.createRuntime(options);
}
