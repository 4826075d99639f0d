import { createApiClient, type FnStudioApi, type Transport } from '../../../main/contract';

/**
 * The typed API over a Transport: the contract's own client (built from its method table,
 * the one tests use too), calling through the transport.
 */
export function createApi(transport: Transport): FnStudioApi {
  return createApiClient((method, args) => transport.call(method, args));
}
