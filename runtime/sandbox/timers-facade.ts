/**
 * The guest's timers. Handles are plain numbers (never Node's Timeout objects); every
 * timer belongs to the invocation that created it and is cleared when that invocation
 * ends, so nothing fires into a later invocation. A callback that throws ends its
 * invocation with that error, as an uncaught exception would end a Lambda invocation.
 */
import { currentInvocation, isLive, type Invocation } from './invocation';

let nextId = 1;

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
  setTimeout: (callback: unknown, ms?: unknown, ...args: unknown[]) => number;
  clearTimeout: (id: unknown) => void;
  setInterval: (callback: unknown, ms?: unknown, ...args: unknown[]) => number;
  clearInterval: (id: unknown) => void;
} {
  const clear = (id: unknown): void => {
    const invocation = currentInvocation();
    if (!invocation || typeof id !== 'number') return;
    const handle = invocation.timers.get(id);
    if (handle) {
      clearTimeout(handle);
      invocation.timers.delete(id);
    }
  };
  return harden({
    setTimeout(callback: unknown, ms?: unknown, ...args: unknown[]): number {
      const fn = requireCallback(callback, 'setTimeout');
      const id = nextId++;
      const invocation = currentInvocation();
      if (!isLive(invocation)) return id; // created after its invocation ended: never fires
      const handle = setTimeout(() => {
        invocation.timers.delete(id);
        runGuest(invocation, fn, args);
      }, delayOf(ms));
      invocation.timers.set(id, handle);
      return id;
    },
    clearTimeout: clear,
    setInterval(callback: unknown, ms?: unknown, ...args: unknown[]): number {
      const fn = requireCallback(callback, 'setInterval');
      const id = nextId++;
      const invocation = currentInvocation();
      if (!isLive(invocation)) return id;
      const handle = setInterval(() => runGuest(invocation, fn, args), Math.max(1, delayOf(ms)));
      invocation.timers.set(id, handle);
      return id;
    },
    clearInterval: clear,
  });
}
