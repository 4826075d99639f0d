/**
 * Gives a compartment Node's behaviour for names a script never declares (SES alone reads
 * them as `undefined` and refuses to assign them):
 * - reading one throws `ReferenceError: <name> is not defined` (V8's message), so a typo
 *   fails the run instead of quietly producing `undefined`;
 * - `typeof` of one is `'undefined'` and does not throw;
 * - assigning one creates a global (sloppy scripts' implicit globals) that later reads see.
 *
 * Most such names become an accessor on the compartment's global object: its getter
 * throws, its setter replaces the accessor with a plain writable property. The source is
 * not rewritten for them.
 *
 * A getter cannot tell `typeof x` from a read of `x`, so a name the script both reads and
 * tests with `typeof` is handled differently: its accessor lives in a lexical scope of
 * the script (SES's `__moduleShimLexicals__`, between the script and the global object,
 * invisible from `globalThis`), and each `typeof x` of it is rewritten into a call of a
 * hidden helper that looks at the global object without triggering anything. The helper
 * has a name the script itself never uses, so nothing in the script can shadow it, and
 * code built at run time (`Function`, indirect eval) does not see it at all.
 */
import { analyzeScript, type ScriptNames } from '../scope-analysis';
import { replaceKeepingLines, type Replacement } from '../source-transform';

const CACHE_LIMIT = 64;
const analysisCache = new Map<string, ScriptNames>();

/** Names the script assigns without declaring them (`fetch = …`, `x = 1`). */
export function assignedFreeNames(code: string): ReadonlySet<string> {
  const assigned = new Set<string>();
  for (const [name, use] of namesOf(code).free) if (use.written) assigned.add(name);
  return assigned;
}

/** A worker parses each code string once, not per instance or invocation. */
function namesOf(code: string): ScriptNames {
  const cached = analysisCache.get(code);
  if (cached) return cached;
  let names: ScriptNames;
  try {
    names = analyzeScript(code);
  } catch {
    // The code already compiled in V8: a parser that lags behind V8's syntax or code nested
    // beyond the walker's stack keeps SES's plain behaviour rather than failing the run.
    names = { free: new Map(), declared: new Set() };
  }
  if (analysisCache.size >= CACHE_LIMIT) {
    const oldest = analysisCache.keys().next();
    if (!oldest.done) analysisCache.delete(oldest.value);
  }
  analysisCache.set(code, names);
  return names;
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
 * The lexical binding of a name that is read and tested with `typeof`: it stands for the
 * global property of that name, and reading it while there is none throws. It cannot be
 * replaced after the first assignment (SES copies the lexical bindings where the host
 * cannot reach them), so it forwards; only such names pay for that.
 */
function forwardingAccessor(guestGlobal: object, name: string, message: string): PropertyDescriptor {
  const get = harden((): unknown => {
    if (Reflect.has(guestGlobal, name)) return Reflect.get(guestGlobal, name);
    throw new ReferenceError(message);
  });
  const set = harden((value: unknown): void => {
    // Reflect.set creates the property as a sloppy assignment would (writable, enumerable,
    // configurable) or runs a setter the script defined; the code is strict, so a refusal throws.
    if (!Reflect.set(guestGlobal, name, value)) throw new TypeError(`Cannot assign to read only property '${name}' of object '#<Object>'`);
  });
  return { get, set, enumerable: false, configurable: false };
}

/**
 * What `typeof name` gives for one of `names`, looked up on the guest's own global object
 * only. It answers with a type string and nothing else, and refuses every other argument,
 * so even code that reached it could learn no more than `typeof globalThis[name]` tells.
 */
export function createTypeofHelper(guestGlobal: object, names: ReadonlySet<string>): (name: string) => string {
  return harden((name: unknown): string => {
    if (typeof name !== 'string' || !names.has(name)) throw new TypeError('not a name this script tests with typeof');
    return Reflect.has(guestGlobal, name) ? typeof Reflect.get(guestGlobal, name) : 'undefined';
  });
}

const NAME_CHARS = 'tabcdefghijklmnopqrsuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$';

/**
 * A name for the helper that `code` never mentions, declares or reads (escaped
 * identifiers count by their decoded name). Three characters, so that `$ab("x")` is
 * exactly as long as `typeof x` and rewritten lines keep their columns.
 */
export function hiddenHelperName(code: string, names: ScriptNames): string {
  const unused = (name: string) => !code.includes(name) && !names.declared.has(name) && !names.free.has(name);
  for (const first of NAME_CHARS) {
    for (const second of NAME_CHARS) {
      const name = `$${first}${second}`;
      if (unused(name)) return name;
    }
  }
  // Code mentioning all 4096 short names: a longer name shifts columns on rewritten lines.
  for (let n = 0; ; n++) {
    const name = `$typeof$${n}`;
    if (unused(name)) return name;
  }
}

export interface GuardOptions {
  /** Messages replacing V8's for names that deserve one (Node's `process`, …). */
  explanations?: ReadonlyMap<string, string>;
  /** Names the caller will test with typeofExpression() after the script (handler names). */
  probed?: readonly string[];
}

export interface GuardedScript {
  /** The script to evaluate: `code` itself, or `code` with some `typeof` expressions rewritten (same lines). */
  code: string;
  /** `__moduleShimLexicals__` for `Compartment.evaluate`, or null when the code needs none. */
  lexicals: object | null;
  /** Source text giving `typeof name` at the script's top level, which never throws. */
  typeofExpression(name: string): string;
}

/**
 * Installs the undeclared-name behaviour for `code` (the user's script as the compartment
 * will evaluate it, before anything is appended) on `guestGlobal`, which must already hold
 * every global the guest gets, and returns what to evaluate.
 */
export function guardUndeclaredNames(guestGlobal: object, code: string, options: GuardOptions = {}): GuardedScript {
  const explanations = options.explanations ?? new Map<string, string>();
  const probed = new Set(options.probed);
  const names = namesOf(code);
  const checked = new Map<string, { message: string; ranges: ReadonlyArray<readonly [number, number]> }>();
  for (const [name, use] of names.free) {
    // Inherited names too: a free `toString` or `hasOwnProperty` is the global object's, as in Node.
    if (name in guestGlobal) continue;
    const message = explanations.get(name) ?? `${name} is not defined`;
    if (!use.typeofChecked && !probed.has(name)) {
      Object.defineProperty(guestGlobal, name, throwingAccessor(guestGlobal, name, message));
    } else if (use.read) {
      checked.set(name, { message, ranges: use.typeofRanges });
    } else if (use.written) {
      // Never read, only tested and assigned (`if (typeof x === 'undefined') x = …`): a
      // writable undefined global gives the right typeof before and after, without a rewrite.
      Object.defineProperty(guestGlobal, name, { value: undefined, writable: true, enumerable: false, configurable: true });
    }
    // A name only ever tested with typeof needs nothing: SES reads it as undefined.
  }
  if (checked.size === 0) return { code, lexicals: null, typeofExpression: (name) => `typeof ${name}` };

  const helper = hiddenHelperName(code, names);
  const call = (name: string) => `${helper}(${JSON.stringify(name)})`;
  const lexicals = Object.create(null) as object;
  // Immutable, so SES binds the helper as a constant of the script's scope.
  Object.defineProperty(lexicals, helper, { value: createTypeofHelper(guestGlobal, new Set(checked.keys())), writable: false, enumerable: false, configurable: false });
  const replacements: Replacement[] = [];
  for (const [name, { message, ranges }] of checked) {
    Object.defineProperty(lexicals, name, forwardingAccessor(guestGlobal, name, message));
    for (const [start, end] of ranges) replacements.push({ start, end, text: call(name) });
  }
  return {
    code: replaceKeepingLines(code, replacements),
    lexicals,
    typeofExpression: (name) => (checked.has(name) ? call(name) : `typeof ${name}`),
  };
}
