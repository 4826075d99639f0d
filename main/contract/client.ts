/**
 * Builds a typed FnStudioApi over any `call(method, args)` function. Both the renderer
 * (over a Transport) and tests use it, so the method names are never spelled by hand.
 */
import type { FnStudioApi, ServiceName } from './api';
import { METHOD_NAMES } from './methods';

export type CallFn = (method: string, args: unknown[]) => Promise<unknown>;

export function createApiClient(call: CallFn): FnStudioApi {
  const services: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const name of METHOD_NAMES) {
    const [service, method] = name.split('.') as [ServiceName, string];
    services[service] ??= {};
    services[service][method] = (...args: unknown[]) => {
      // Drop trailing undefined so optional arguments survive JSON (which would turn them into null).
      let end = args.length;
      while (end > 0 && args[end - 1] === undefined) end--;
      return call(name, args.slice(0, end));
    };
  }
  return services as unknown as FnStudioApi;
}
