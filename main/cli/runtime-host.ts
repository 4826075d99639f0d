/**
 * Where the CLI gets its sandbox. The runtime is reached only through runtime/api.ts.
 */
import type { Runtime, RuntimeOptions } from '../../runtime/api';

export function startRuntime(options: RuntimeOptions): Runtime {
  // Loaded on demand so `--help` and input errors never pay for starting workers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = require('../../runtime/index') as { createRuntime(o?: RuntimeOptions): Runtime };
  return runtime.createRuntime(options);
}
