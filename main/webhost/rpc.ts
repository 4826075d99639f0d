/**
 * JSON-RPC 2.0 framing for one WebSocket message: parse, dispatch to core, answer.
 */
import type { FnStudioApi } from '../contract/api';
import { JSON_RPC_ERRORS, jsonRpcCodeFor, type JsonRpcFailure, type JsonRpcId, type JsonRpcResponse } from '../contract/transport';
import { dispatch } from '../core/dispatch';
import { isPlainObject } from '../contract/checks';

export interface RpcCall {
  id: JsonRpcId;
  method: string;
  params: unknown[];
}

export type ParsedMessage = { ok: true; call: RpcCall } | { ok: false; response: JsonRpcFailure };

function failure(id: JsonRpcId | null, code: number, name: string, message: string): JsonRpcFailure {
  return { jsonrpc: '2.0', id, error: { code, message, data: { name } } };
}

export function parseRpcMessage(text: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, response: failure(null, JSON_RPC_ERRORS.parseError, 'InvalidArgument', `Parse error: ${(err as Error).message}`) };
  }
  if (Array.isArray(value)) {
    return { ok: false, response: failure(null, JSON_RPC_ERRORS.invalidRequest, 'InvalidArgument', 'Invalid request: batch requests are not supported') };
  }
  if (!isPlainObject(value)) {
    return { ok: false, response: failure(null, JSON_RPC_ERRORS.invalidRequest, 'InvalidArgument', 'Invalid request: expected a JSON-RPC 2.0 request object') };
  }
  const id = value.id;
  const validId = (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= 200);
  if (!validId) {
    return { ok: false, response: failure(null, JSON_RPC_ERRORS.invalidRequest, 'InvalidArgument', 'Invalid request: "id" must be a number or a string (notifications are not accepted)') };
  }
  const rid = id;
  if (value.jsonrpc !== '2.0') return { ok: false, response: failure(rid, JSON_RPC_ERRORS.invalidRequest, 'InvalidArgument', 'Invalid request: "jsonrpc" must be "2.0"') };
  if (typeof value.method !== 'string') return { ok: false, response: failure(rid, JSON_RPC_ERRORS.invalidRequest, 'InvalidArgument', 'Invalid request: "method" must be a string') };
  const params = value.params === undefined ? [] : value.params;
  if (!Array.isArray(params)) {
    return { ok: false, response: failure(rid, JSON_RPC_ERRORS.invalidParams, 'InvalidArgument', `${value.method}: "params" must be an array of arguments`) };
  }
  return { ok: true, call: { id: rid, method: value.method, params } };
}

export async function answerRpc(api: FnStudioApi, call: RpcCall): Promise<JsonRpcResponse> {
  const result = await dispatch(api, call.method, call.params);
  if (result.ok) return { jsonrpc: '2.0', id: call.id, result: result.result };
  return failure(call.id, jsonRpcCodeFor(result.error.name), result.error.name, result.error.message);
}
