/**
 * A Runtime that starts the real one on first use: hosts come up instantly and the
 * worker pool (≈ 120-400 ms per worker) is only paid for when something runs.
 */
import type { InvokeRequest, Runtime } from '../../runtime/api';

export function lazyRuntime(create: () => Runtime | Promise<Runtime>): Runtime {
  let runtime: Promise<Runtime> | null = null;
  const started = (): Promise<Runtime> => {
    runtime ??= Promise.resolve().then(create);
    runtime.catch(() => {
      // A failed start is reported to this caller; the next run tries again.
      runtime = null;
    });
    return runtime;
  };
  return {
    async invoke(request: InvokeRequest, signal?: AbortSignal) {
      return (await started()).invoke(request, signal);
    },
    // Replay's bulk path; a runtime without it gets one invoke per request.
    async invokeMany(requests: readonly InvokeRequest[], signal?: AbortSignal) {
      const real = await started();
      return real.invokeMany ? real.invokeMany(requests, signal) : Promise.all(requests.map((r) => real.invoke(r, signal)));
    },
    async close() {
      const started = runtime;
      runtime = null;
      if (started) await (await started).close();
    },
  };
}
