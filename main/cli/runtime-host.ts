/**
 * Where the CLI gets its sandbox: the runtime's public entry (runtime/index.ts), typed by
 * runtime/api.ts.
 */
import type { Runtime, RuntimeOptions } from '../../runtime/api';
import { createRuntime } from '../../runtime/index';

export function startRuntime(options: RuntimeOptions): Runtime {
  return createRuntime(options);
}
