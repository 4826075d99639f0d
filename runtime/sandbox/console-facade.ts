/**
 * The guest's `console`: formats like Node's console (util.format) into the current
 * invocation's capped log. Custom inspectors are disabled so formatting never hands host
 * functions (inspect, stylize) to guest code; proxies are shown by target, without traps.
 */
import { formatWithOptions, types } from 'node:util';
import { describeThrown } from './error-report';
import type { LogLevel } from '../../main/contract/outcome';
import { currentInvocation, isLive } from './invocation';

const FORMAT_OPTIONS = Object.freeze({ customInspect: false, showProxy: false, getters: false });

/**
 * Node prints an error argument as its stack; after lockdown util.inspect shows errors
 * as `{}`, so top-level errors are rendered here, with the user's own frames only.
 */
function renderErrors(args: unknown[], filename: string): unknown[] {
  return args.map((arg) => (types.isNativeError(arg) ? describeThrown(arg, filename).stack : arg));
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
