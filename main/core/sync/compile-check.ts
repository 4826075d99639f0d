/**
 * "The code must compile in the runtime" before any write to a Segment workspace: the
 * code is loaded in the real sandbox (compile + top-level code, offline) and given an
 * event type no handler answers, so no handler runs. Anything but "Unsupported Event
 * Type" means the function does not load.
 */
import type { Runtime } from '../../../runtime/api';

const PROBE_TYPE = 'fnstudio_compile_check';

export function runtimeCompileCheck(runtime: Runtime, timeoutMs = 10_000): (code: string) => Promise<string | null> {
  return async (code) => {
    const outcome = await runtime.invoke({
      functionId: `compile-check-${Date.now().toString(36)}`,
      code,
      filename: 'handler.js',
      input: { type: PROBE_TYPE, messageId: 'compile-check' },
      settings: {},
      network: { mockRules: [], offline: true },
      timeoutMs,
    });
    if (outcome.outcome === 'Unsupported Event Type') return null;
    const error = outcome.error;
    const where = error?.frames[0] ? ` (line ${error.frames[0].line}, column ${error.frames[0].column})` : '';
    return error ? `${error.name}: ${error.message}${where}` : `loading it ended as ${outcome.outcome}`;
  };
}
