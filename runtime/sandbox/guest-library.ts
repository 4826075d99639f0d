/**
 * Code that must live on the guest's side of the membrane, evaluated once per worker in
 * a hardened "library" compartment: lodash (so `_.template` and `_.runInContext` compile
 * with a compartment's Function, never the host's) and Segment's error classes (so their
 * constructors chain to the compartments' tamed Error, never the host's Error).
 */
import { readFileSync } from 'node:fs';

export interface GuestLibrary {
  /**
   * A fresh, mutable lodash for one function instance (its own templateSettings, mixins),
   * whose `_.delay`/`_.debounce`/… use that instance's timers and `_.random`/`_.shuffle`/…
   * its Math.
   */
  newLodash(context: InstanceContext): unknown;
  errorClasses: Readonly<Record<string, unknown>>;
  /** node-fetch's FetchError, for network failures reported to guest code. */
  makeFetchError: (message: string, type: string, code?: string) => Error;
}

const ERROR_CLASSES_SOURCE = `
(() => {
  const define = (name) => {
    const C = ({ [name]: class extends Error {} })[name];
    Object.defineProperty(C.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
    return C;
  };
  const classes = {
    EventNotSupported: define('EventNotSupported'),
    InvalidEventPayload: define('InvalidEventPayload'),
    ValidationError: define('ValidationError'),
    RetryError: define('RetryError'),
    DropEvent: define('DropEvent'),
  };
  class FetchError extends Error {
    constructor(message, type, code) {
      super(message);
      this.type = type;
      if (code !== undefined) { this.code = code; this.errno = code; }
    }
  }
  Object.defineProperty(FetchError.prototype, 'name', { value: 'FetchError', writable: true, configurable: true, enumerable: false });
  return { classes, FetchError };
})()
`;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval obj _ __e __j __p __t')
    .split(' '),
);

/**
 * lodash's string functions whose result depends only on one string argument. Their
 * regular expressions run off V8's fast paths once lockdown has frozen RegExp.prototype
 * (about 4.5x slower than in plain Node), and handlers apply them to the same few property
 * names event after event: each function instance answers repeats from a small cache.
 * Everything else (a non-string argument, a second argument to trim or words, a chain)
 * takes lodash's own path unchanged. `words` is left out: it returns a mutable array.
 */
const SINGLE_ARGUMENT = ['camelCase', 'capitalize', 'deburr', 'escape', 'escapeRegExp', 'kebabCase', 'lowerCase', 'lowerFirst', 'snakeCase', 'startCase', 'unescape', 'upperCase', 'upperFirst'];
/** These also take options (`chars`): cached only when called with the string alone. */
const STRING_ALONE = ['trim', 'trimEnd', 'trimStart'];

// Evaluated in the library compartment: the wrappers are guest-side functions, like lodash's.
const STRING_CACHE_SOURCE = `
(singleArgument, stringAlone) => (lodash) => {
  // Property names are short; the bound keeps a function's caches (16 of them) near 1 MB
  // of the worker's heap, which the memory limit counts.
  const MAX_ENTRIES = 256;
  const MAX_LENGTH = 64;
  const wrap = (name, onlyAlone) => {
    const original = lodash[name];
    const cache = new Map();
    const cached = function (string) {
      if (typeof string !== 'string' || string.length > MAX_LENGTH || (onlyAlone && arguments.length !== 1)) {
        return original.apply(undefined, arguments);
      }
      let result = cache.get(string);
      if (result === undefined) {
        result = original(string);
        if (cache.size >= MAX_ENTRIES) cache.clear();
        cache.set(string, result);
      }
      return result;
    };
    Object.defineProperty(cached, 'name', { value: original.name });
    Object.defineProperty(cached, 'length', { value: original.length });
    lodash[name] = cached;
  };
  for (const name of singleArgument) wrap(name, false);
  for (const name of stringAlone) wrap(name, true);
}
`;

export interface InstanceContext {
  setTimeout: unknown;
  clearTimeout: unknown;
  Math: unknown;
}

type TemplateFn = ((data?: unknown) => string) & { source?: string };
type LodashLike = {
  template: (text: unknown, options?: Record<string, unknown>) => TemplateFn;
  templateSettings: { variable?: string; imports?: Record<string, unknown> };
  runInContext: (context?: unknown) => LodashLike;
  defaults: (target: object, ...sources: unknown[]) => object;
};

/**
 * lodash's default template (no `variable`) uses `with`, which strict compartments
 * reject. Emulate it: compile with `variable: 'obj'` and pass the data's keys as imports,
 * so `<%= name %>` still reads `obj.name`.
 */
function withScopeEmulation(lodash: LodashLike): void {
  const original = lodash.template;
  const template = function template(text: unknown, options?: Record<string, unknown>): TemplateFn {
    const opts: Record<string, unknown> = options && typeof options === 'object' ? { ...options } : {};
    if (opts.variable || lodash.templateSettings.variable) return original(text, opts);
    const compiledOnce = original(text, { ...opts, variable: 'obj' });
    const render: TemplateFn = function render(data?: unknown): string {
      if (data === null || data === undefined || typeof data !== 'object') return compiledOnce(data);
      const imports: Record<string, unknown> = {
        ...(lodash.templateSettings.imports ?? {}),
        ...((opts.imports as Record<string, unknown> | undefined) ?? {}),
      };
      for (const key in data as Record<string, unknown>) {
        if (IDENTIFIER.test(key) && !RESERVED.has(key)) imports[key] = (data as Record<string, unknown>)[key];
      }
      return original(text, { ...opts, variable: 'obj', imports })(data);
    };
    render.source = compiledOnce.source;
    return render;
  };
  lodash.template = template;
}

export function createGuestLibrary(timers: Record<string, unknown>): GuestLibrary {
  const lib = new Compartment({
    Date: globalThis.Date,
    Math: globalThis.Math,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
  });
  const moduleRecord: { exports: unknown } = { exports: {} };
  const libGlobal = lib.globalThis as Record<string, unknown>;
  // lodash finds its root through `global`, and exports through `module`.
  libGlobal.global = libGlobal;
  libGlobal.module = moduleRecord;
  libGlobal.exports = moduleRecord.exports;
  const lodashPath = require.resolve('lodash/lodash.js');
  lib.evaluate(readFileSync(lodashPath, 'utf8') + '\n//# sourceURL=lodash.js');
  delete libGlobal.module;
  delete libGlobal.exports;
  const baseLodash = moduleRecord.exports as LodashLike;

  const { classes, FetchError } = lib.evaluate(ERROR_CLASSES_SOURCE) as {
    classes: Record<string, unknown>;
    FetchError: new (message: string, type: string, code?: string) => Error;
  };
  const cacheStringFunctions = (lib.evaluate(STRING_CACHE_SOURCE) as (a: string[], b: string[]) => (lodash: LodashLike) => void)(SINGLE_ARGUMENT, STRING_ALONE);
  harden(libGlobal);
  harden(classes);
  harden(FetchError);

  return {
    newLodash(instance) {
      const context = { setTimeout: instance.setTimeout, clearTimeout: instance.clearTimeout, Math: instance.Math };
      // A guest's own `_.runInContext()` (at any depth) keeps to its instance's timers and Math too.
      const keepTimers = (made: LodashLike): LodashLike => {
        const runInContext = made.runInContext;
        made.runInContext = (own?: unknown) => keepTimers(runInContext(own === undefined || own === null ? context : made.defaults({}, own, context)));
        return made;
      };
      const lodash = keepTimers(baseLodash.runInContext(context));
      withScopeEmulation(lodash);
      cacheStringFunctions(lodash);
      return lodash;
    },
    errorClasses: classes,
    makeFetchError: (message, type, code) => new FetchError(message, type, code),
  };
}
