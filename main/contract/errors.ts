/**
 * Errors that cross the wire. Only `{ name, message }` travels; the name tells the
 * renderer what happened (e.g. a Conflict means "reload or overwrite?").
 */

export type ErrorName =
  | 'NotFound'
  | 'InvalidArgument'
  | 'UnknownMethod'
  | 'CorruptFunction'
  | 'Conflict'
  | 'AlreadyExists'
  | 'RunCancelled'
  | 'KeychainUnavailable'
  /** A Segment workspace (remote) refused or failed a call; the message says what to do. */
  | 'RemoteFailed'
  | 'Internal';

const ERROR_NAMES: readonly ErrorName[] = [
  'NotFound',
  'InvalidArgument',
  'UnknownMethod',
  'CorruptFunction',
  'Conflict',
  'AlreadyExists',
  'RunCancelled',
  'KeychainUnavailable',
  'RemoteFailed',
  'Internal',
];

export interface WireError {
  name: string;
  message: string;
}

/** An error whose name is part of the contract. */
export class FnStudioError extends Error {
  override readonly name: ErrorName;
  constructor(name: ErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

/** A call's arguments do not match the method table. */
export class ContractError extends FnStudioError {
  readonly method: string;
  /** 0-based argument position, or null when the problem is the argument count. */
  readonly argIndex: number | null;
  constructor(method: string, argIndex: number | null, problem: string) {
    super('InvalidArgument', argIndex === null ? `${method}: ${problem}` : `${method}: argument ${argIndex + 1} ${problem}`);
    this.method = method;
    this.argIndex = argIndex;
  }
}

function isErrorName(name: unknown): name is ErrorName {
  return typeof name === 'string' && (ERROR_NAMES as readonly string[]).includes(name);
}

/**
 * What a host sends for a failed call. Contract errors keep their name; anything else
 * (a bug, an fs error) becomes Internal so host internals do not leak as error names.
 */
export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const name = isErrorName(err.name) ? err.name : 'Internal';
    return { name, message: err.message || name };
  }
  return { name: 'Internal', message: String(err) };
}

/** The renderer's side: turns a wire error back into a throwable with the same name. */
export function fromWireError(wire: WireError): FnStudioError {
  const name = isErrorName(wire.name) ? wire.name : 'Internal';
  return new FnStudioError(name, wire.message);
}
