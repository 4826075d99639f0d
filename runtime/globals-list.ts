/**
 * The global names a destination function sees beyond the JavaScript built-ins
 * (Object, Array, Promise, Date, Math, JSON, Intl, …), exactly Segment's documented set
 * (shared/design/segment-runtime.md, "Globals"). The Monaco typings are checked against
 * this list, and the worker endows exactly these names.
 */
export const SEGMENT_GLOBALS: readonly string[] = Object.freeze([
  'fetch',
  'Headers',
  'Request',
  'Response',
  'URL',
  'URLSearchParams',
  '_',
  'AWS',
  'FormData',
  'OAuth',
  'xml',
  'atob',
  'btoa',
  'crypto',
  'Buffer',
  'console',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'cache',
  'EventNotSupported',
  'InvalidEventPayload',
  'ValidationError',
  'RetryError',
  'DropEvent',
]);

/**
 * Names that exist in the sandbox only to fail loudly: touching them throws an error that
 * says functions cannot import dependencies (Segment: "Functions don't support importing
 * dependencies"): `require` is a function that throws, the others are getters that throw
 * a ReferenceError (a plain SES compartment would silently read them as undefined).
 * They are deliberately NOT part of the typings.
 */
export const FORBIDDEN_GLOBALS: readonly string[] = Object.freeze(['require', 'module', 'exports', 'process', '__dirname', '__filename']);
