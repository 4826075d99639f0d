/**
 * A Runtime that starts the real one on first use: hosts come up instantly and the
 * worker pool (≈ 120-400 ms per worker) is only paid for when something runs.
 */
import type { InvokeRequest, Runtime } from '../../runtime/api';

export function lazyRuntime(create: () => Runtime | Promise<Runtime>): Runtime {
  let runtime: Promise<Runtime> | null = null;
  return {
    async invoke(request: InvokeRequest, signal?: AbortSignal) {
      runtime ??= Promise.resolve().then(create);
      runtime.catch(() => {
        // A failed start is reported to this caller; the next run tries again.
        runtime = null;
      });
      return (await runtime).invoke(request, signal);
    },
    async close() {
      const started = runtime;
      runtime = null;
      if (started) await (await started).close();
    },
  };
}
