/**
 * Where the CLI gets its sandbox: the runtime in a child process (the host-neutral
 * runtime process of main/core/runtime-process/, started with child_process.fork).
 */
import type { Runtime, RuntimeOptions } from '../../runtime/api';
import { createSandboxRuntime } from '../core/runtime-loader';

export function startRuntime(options: Pick<RuntimeOptions, 'workers'>): Runtime {
  return createSandboxRuntime(options);
}
