/**
 * Gives a compartment Node's behaviour for names a script never declares (SES alone reads
 * them as `undefined` and refuses to assign them):
 * - reading one throws `ReferenceError: <name> is not defined` (V8's message), so a typo
 *   fails the run instead of quietly producing `undefined`;
 * - assigning one creates a global (sloppy scripts' implicit globals) that later reads see.
 * Each such name becomes an accessor on the compartment's global object: its getter
 * throws, its setter replaces the accessor with a plain writable property. The source is
 * never rewritten, so stack lines and columns stay the user's.
 */
import { analyzeFreeNames, type FreeNameUse } from '../scope-analysis';

const CACHE_LIMIT = 64;
const analysisCache = new Map<string, ReadonlyMap<string, FreeNameUse>>();

/** A worker parses each code string once, not per instance or invocation. */
function freeNamesOf(source: string): ReadonlyMap<string, FreeNameUse> {
  const cached = analysisCache.get(source);
  if (cached) return cached;
  let free: ReadonlyMap<string, FreeNameUse>;
  try {
    free = analyzeFreeNames(source);
  } catch {
    // The code already compiled in V8: a parser that lags behind V8's syntax or code nested
    // beyond the walker's stack keeps SES's plain behaviour rather than failing the run.
    free = new Map();
  }
  if (analysisCache.size >= CACHE_LIMIT) {
    const oldest = analysisCache.keys().next();
    if (!oldest.done) analysisCache.delete(oldest.value);
  }
  analysisCache.set(source, free);
  return free;
}

function throwingAccessor(target: object, name: string, message: string): PropertyDescriptor {
  // Hardened host arrows: their constructor is SES's inert Function, and they close over
  // nothing but the guest's own global object and strings.
  const get = harden((): never => {
    throw new ReferenceError(message);
  });
  const set = harden((value: unknown): void => {
    Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  });
  return { get, set, enumerable: false, configurable: true };
}

/**
 * Installs the undeclared-name behaviour for `source` (exactly the text the compartment
 * will evaluate) on `guestGlobal`, which must already hold every global the guest gets.
 * `explanations` replaces V8's message for names that deserve one (Node's `process`, …).
 */
export function guardUndeclaredNames(guestGlobal: object, source: string, explanations: ReadonlyMap<string, string> = new Map()): void {
  for (const [name, use] of freeNamesOf(source)) {
    // Inherited names too: a free `toString` or `hasOwnProperty` is the global object's, as in Node.
    if (name in guestGlobal) continue;
    if (use.typeofChecked) {
      // A getter cannot tell `typeof x` from a read, and `typeof x` must not throw. Such
      // names keep reading as undefined; if the script also assigns them (the lazy
      // `if (typeof x === 'undefined') x = …` idiom), a writable undefined global makes
      // the assignment work as in Node.
      if (use.written) Object.defineProperty(guestGlobal, name, { value: undefined, writable: true, enumerable: false, configurable: true });
      continue;
    }
    Object.defineProperty(guestGlobal, name, throwingAccessor(guestGlobal, name, explanations.get(name) ?? `${name} is not defined`));
  }
}
