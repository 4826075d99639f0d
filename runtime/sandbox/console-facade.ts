/**
 * The guest's `console`: formats like Node's console (util.format) into the current
 * invocation's capped log. Custom inspectors are disabled so formatting never hands host
 * functions (inspect, stylize) to guest code; proxies are shown by target, without traps.
 */
import { formatWithOptions, types } from 'node:util';
import { describeThrown } from './error-report';
import type { LogLevel } from '../../common/outcome';
import { currentInvocation, isLive } from './invocation';

const FORMAT_OPTIONS = Object.freeze({ customInspect: false, showProxy: false, getters: false });

/**
 * Node prints errors as their stack. After lockdown util.inspect cannot name an error's
 * constructor (SES turns `constructor` into an accessor) and prints `{}`, so errors are
 * replaced, for formatting only, by host "views": real errors whose stack lists only the
 * user's frames and whose prototype names the error class. Containers (plain objects and
 * arrays, a few levels deep) are copied only when they hold an error; guest objects are
 * never modified, and proxies are left for util.inspect (which shows their target).
 */
const viewPrototypes = new Map<string, object>();

function errorView(error: Error, filename: string): Error {
  const described = describeThrown(error, filename);
  let proto = viewPrototypes.get(described.name);
  if (!proto) {
    const named = { [described.name]: function () {} }[described.name];
    proto = Object.create(Error.prototype, { constructor: { value: named, writable: true, configurable: true } }) as object;
    named.prototype = proto; // util.inspect checks `view instanceof constructor`
    if (viewPrototypes.size < 100) viewPrototypes.set(described.name, proto);
  }
  const view = new Error(described.message);
  Object.setPrototypeOf(view, proto);
  Object.defineProperty(view, 'stack', { value: described.stack, writable: true, configurable: true });
  return view;
}

const MAX_VIEW_DEPTH = 3;

function isPlainContainer(value: object): boolean {
  if (types.isProxy(value)) return false;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function dataValues(value: object): Array<[PropertyKey, unknown]> {
  const out: Array<[PropertyKey, unknown]> = [];
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) out.push([key, descriptor.value]);
  }
  return out;
}

function holdsError(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (types.isNativeError(value)) return true;
  if (depth >= MAX_VIEW_DEPTH || !isPlainContainer(value)) return false;
  return dataValues(value).some(([, inner]) => holdsError(inner, depth + 1));
}

function withErrorViews(value: unknown, depth: number, filename: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (types.isNativeError(value)) return errorView(value, filename);
  if (depth >= MAX_VIEW_DEPTH || !isPlainContainer(value) || !holdsError(value, depth)) return value;
  const copy = (Array.isArray(value) ? [] : Object.create(Object.getPrototypeOf(value) as object | null)) as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    if (!descriptor) continue;
    if ('value' in descriptor) descriptor.value = withErrorViews(descriptor.value, depth + 1, filename);
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

function renderErrors(args: unknown[], filename: string): unknown[] {
  try {
    return args.map((arg) => withErrorViews(arg, 0, filename));
  } catch {
    return args; // a hostile object defeated the walk: format what we were given
  }
}

export function formatForLog(args: unknown[], filename: string): string {
  return format(renderErrors(args, filename));
}

function format(args: unknown[]): string {
  try {
    return formatWithOptions(FORMAT_OPTIONS, ...args);
  } catch (err) {
    let reason = 'unknown error';
    try {
      reason = String((err as Error)?.message ?? err);
    } catch {
      // a hostile error whose message getter throws: keep the generic reason
    }
    return `[fnstudio: could not format console arguments: ${reason}]`;
  }
}

export function createConsoleFacade(): object {
  let groupIndent = '';
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();

  const write = (level: LogLevel, args: unknown[]): void => {
    const invocation = currentInvocation();
    if (!isLive(invocation) || invocation.logsFull) return;
    const text = format(renderErrors(args, invocation.filename));
    invocation.addLog(level, groupIndent ? text.replace(/^/gm, groupIndent) : text);
  };
  const label = (value: unknown): string => (value === undefined ? 'default' : String(value));

  return harden({
    log: (...args: unknown[]) => write('log', args),
    info: (...args: unknown[]) => write('info', args),
    warn: (...args: unknown[]) => write('warn', args),
    error: (...args: unknown[]) => write('error', args),
    debug: (...args: unknown[]) => write('debug', args),
    trace: (...args: unknown[]) => write('trace', ['Trace:' + (args.length ? ' ' + format(args) : '')]),

    dir: (value: unknown) => write('log', [value]),
    table: (value: unknown) => write('log', [value]),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) write('error', ['Assertion failed' + (args.length ? ': ' + format(args) : '')]);
    },
    count: (name?: unknown) => {
      const key = label(name);
      const next = (counts.get(key) ?? 0) + 1;
      counts.set(key, next);
      write('info', [`${key}: ${next}`]);
    },
    countReset: (name?: unknown) => {
      counts.delete(label(name));
    },
    time: (name?: unknown) => {
      timers.set(label(name), performance.now());
    },
    timeLog: (name?: unknown, ...args: unknown[]) => {
      const start = timers.get(label(name));
      if (start !== undefined) write('log', [`${label(name)}: ${(performance.now() - start).toFixed(3)}ms`, ...args]);
    },
    timeEnd: (name?: unknown) => {
      const key = label(name);
      const start = timers.get(key);
      if (start === undefined) return;
      timers.delete(key);
      write('log', [`${key}: ${(performance.now() - start).toFixed(3)}ms`]);
    },
    group: (...args: unknown[]) => {
      if (args.length) write('log', args);
      groupIndent += '  ';
    },
    groupCollapsed: (...args: unknown[]) => {
      if (args.length) write('log', args);
      groupIndent += '  ';
    },
    groupEnd: () => {
      groupIndent = groupIndent.slice(2);
    },
  });
}
