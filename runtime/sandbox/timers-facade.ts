/**
 * The guest's timers. Handles look like Node's Timeout (ref/unref/hasRef/refresh and a
 * numeric primitive value) but are small hardened stand-ins, never Node's objects; every
 * timer belongs to the invocation that created it and is cleared when that invocation
 * ends, so nothing fires into a later invocation. A callback that throws ends its
 * invocation with that error, as an uncaught exception would end a Lambda invocation.
 * Each function instance gets its own facade: its ids count from 1 whatever other
 * functions in the worker did (shared ids would tell one function about another's timers).
 */
import { currentInvocation, isLive, type Invocation } from './invocation';

export interface TimerHandle {
  ref(): TimerHandle;
  unref(): TimerHandle;
  hasRef(): boolean;
  refresh(): TimerHandle;
  [Symbol.toPrimitive](): number;
}

const idOfHandle = new WeakMap<object, number>();

function makeHandle(id: number, refresh: () => void): TimerHandle {
  const handle: TimerHandle = {
    ref: () => handle,
    unref: () => handle,
    hasRef: () => true,
    refresh: () => {
      refresh();
      return handle;
    },
    [Symbol.toPrimitive]: () => id,
  };
  idOfHandle.set(handle, id);
  return harden(handle);
}

function idOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null) return idOfHandle.get(value);
  return undefined;
}

function requireCallback(callback: unknown, name: string): (...args: unknown[]) => unknown {
  if (typeof callback !== 'function') {
    throw new TypeError(`${name}: the callback must be a function (string callbacks are not supported)`);
  }
  return callback as (...args: unknown[]) => unknown;
}

function delayOf(ms: unknown): number {
  const value = Number(ms);
  return Number.isFinite(value) && value > 0 ? Math.min(value, 2 ** 31 - 1) : 0;
}

function runGuest(invocation: Invocation, callback: (...args: unknown[]) => unknown, args: unknown[]): void {
  if (!isLive(invocation)) return;
  try {
    callback(...args);
  } catch (err) {
    invocation.fail(err);
  }
}

export function createTimersFacade(): {
  setTimeout: (callback: unknown, ms?: unknown, ...args: unknown[]) => TimerHandle;
  clearTimeout: (handle: unknown) => void;
  setInterval: (callback: unknown, ms?: unknown, ...args: unknown[]) => TimerHandle;
  clearInterval: (handle: unknown) => void;
} {
  let nextId = 1;
  const clear = (value: unknown): void => {
    const invocation = currentInvocation();
    const id = idOf(value);
    if (!invocation || id === undefined) return;
    const handle = invocation.timers.get(id);
    if (handle) {
      clearTimeout(handle);
      invocation.timers.delete(id);
    }
  };
  return harden({
    setTimeout(callback: unknown, ms?: unknown, ...args: unknown[]): TimerHandle {
      const fn = requireCallback(callback, 'setTimeout');
      const id = nextId++;
      const invocation = currentInvocation();
      const refresh = () => invocation?.timers.get(id)?.refresh();
      if (!isLive(invocation)) return makeHandle(id, refresh); // created after its invocation ended: never fires
      const timer = setTimeout(() => {
        invocation.timers.delete(id);
        runGuest(invocation, fn, args);
      }, delayOf(ms));
      invocation.timers.set(id, timer);
      return makeHandle(id, refresh);
    },
    clearTimeout: clear,
    setInterval(callback: unknown, ms?: unknown, ...args: unknown[]): TimerHandle {
      const fn = requireCallback(callback, 'setInterval');
      const id = nextId++;
      const invocation = currentInvocation();
      const refresh = () => invocation?.timers.get(id)?.refresh();
      if (!isLive(invocation)) return makeHandle(id, refresh);
      const timer = setInterval(() => runGuest(invocation, fn, args), Math.max(1, delayOf(ms)));
      invocation.timers.set(id, timer);
      return makeHandle(id, refresh);
    },
    clearInterval: clear,
  });
}
