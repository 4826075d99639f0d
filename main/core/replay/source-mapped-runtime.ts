/**
 * A replay of handler.ts runs its compiled JavaScript; this runtime view maps what the
 * replay records (the detail outcomes, and the error messages it groups) back to the
 * TypeScript lines, as single runs do. Only outcomes with an error are touched, so a
 * replay of many successes costs nothing extra; plain JavaScript handlers never get this
 * wrapper at all.
 */
import type { Outcome } from '../../../common/outcome';
import type { InvokeRequest, Runtime } from '../../../runtime/api';
import { mapOutcomeToSource, type CompiledHandler } from '../typescript-handler';

export function sourceMappedRuntime(runtime: Runtime, compiled: CompiledHandler, filename: string): Runtime {
  const map = (outcome: Outcome): Outcome => (outcome.error ? mapOutcomeToSource(outcome, compiled, filename) : outcome);
  const invokeMany = runtime.invokeMany?.bind(runtime);
  return {
    invoke: async (request: InvokeRequest, signal?: AbortSignal) => map(await runtime.invoke(request, signal)),
    ...(invokeMany ? { invokeMany: async (requests: readonly InvokeRequest[], signal?: AbortSignal) => (await invokeMany(requests, signal)).map(map) } : {}),
    // The runtime belongs to whoever started it; a view never closes it.
    close: async () => {},
  };
}
