import type { FnStudioApi, Transport } from '../../../main/contract';

/** `api.functions.list()` → transport.call('functions.list', []). */
export function createApi(transport: Transport): FnStudioApi {
  return new Proxy({} as FnStudioApi, {
    get(_target, service) {
      if (typeof service !== 'string') return undefined;
      return new Proxy(
        {},
        {
          get(_t, method) {
            if (typeof method !== 'string' || method === 'then') return undefined;
            return (...args: unknown[]) => {
              // JSON turns a trailing undefined into null; the validators expect it absent.
              let end = args.length;
              while (end > 0 && args[end - 1] === undefined) end--;
              return transport.call(`${service}.${method}`, args.slice(0, end));
            };
          },
        },
      );
    },
  });
}
