/**
 * A function instance: the user's script evaluated once in its own Compartment, with
 * Segment's globals, its handlers extracted. Top-level state lives as long as the
 * instance (a warm Lambda); a different function or changed code gets a new instance.
 */
import vm from 'node:vm';
import type { OutcomeError } from '../../common/outcome';
import { FORBIDDEN_GLOBALS } from '../globals-list';
import { transformSource } from '../source-transform';
import { runtimeError } from './error-report';
import type { SharedGlobals } from './shared-globals';
import { assignedFreeNames, guardUndeclaredNames } from './undeclared-names';

const HANDLER_NAMES = ['onIdentify', 'onTrack', 'onPage', 'onScreen', 'onGroup', 'onAlias', 'onDelete', 'onBatch'] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];
export type Handler = (...args: unknown[]) => unknown;

/** The script could not be compiled; `error` points at the user's line when known. */
export class CompileFailure extends Error {
  constructor(readonly error: OutcomeError) {
    super(error.message);
  }
}

const IMPORT_HINT = 'functions cannot import dependencies; use the provided globals (fetch, _, crypto, Buffer, AWS, …)';

function checkSyntax(code: string, filename: string): void {
  try {
    // Strict, as the Compartment evaluates it; the prefix line is taken back by lineOffset.
    new vm.Script(`'use strict';\n${code}`, { filename, lineOffset: -1 });
  } catch (err) {
    const e = err as Error;
    const stack = typeof e.stack === 'string' ? e.stack : '';
    const located = new RegExp(`^${filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)\\n(.*)\\n(\\s*)\\^`).exec(stack);
    let message = e.message;
    if (/Cannot use import statement|Unexpected token 'export'/.test(message)) message = `${message}: ${IMPORT_HINT}`;
    const frames = located ? [{ functionName: null, line: Number(located[1]), column: located[3].length + 1 }] : [];
    throw new CompileFailure(runtimeError(e.name || 'SyntaxError', message, frames, filename));
  }
}

function requireStub(name?: unknown): never {
  throw new ReferenceError(`require(${name === undefined ? '' : JSON.stringify(String(name))}) is not available: ${IMPORT_HINT}`);
}
harden(requireStub);

/**
 * Node globals a function cannot have. Reading one explains why; they are otherwise
 * absent, so `typeof process === 'undefined'` is true, as feature checks expect.
 */
const forbiddenExplanations: ReadonlyMap<string, string> = new Map(
  FORBIDDEN_GLOBALS.filter((name) => name !== 'require').map((name) => [
    name,
    `${name} is not defined: functions cannot import dependencies or use Node.js built-ins; use the provided globals (fetch, _, crypto, Buffer, AWS, …)`,
  ]),
);

export class FunctionInstance {
  private constructor(
    readonly code: string,
    readonly handlers: Readonly<Partial<Record<HandlerName, Handler>>>,
  ) {}

  /**
   * Compiles and evaluates `code`. Throws CompileFailure for syntax problems; an error
   * thrown by the script's top-level code propagates as thrown (a runtime error).
   */
  static create(code: string, filename: string, shared: SharedGlobals): FunctionInstance {
    const transformed = transformSource(code);
    if (transformed.dynamicImport) {
      const { line, column } = transformed.dynamicImport;
      throw new CompileFailure(runtimeError('SyntaxError', `import() is not available: ${IMPORT_HINT}`, [{ functionName: null, line, column }], filename));
    }
    checkSyntax(code, filename);

    const globals: Record<string, unknown> = {
      ...shared.common,
      ...shared.newInstanceGlobals(),
      require: requireStub,
    };
    const compartment = new Compartment(globals);
    const guestGlobal = compartment.globalThis as Record<string, unknown>;
    // SES adds its own tools to every compartment; Segment's runtime has none of them.
    for (const name of ['harden', 'lockdown', 'Compartment', 'assert']) delete guestGlobal[name];
    // SES compiles read-only, non-configurable globals into constants of the evaluator
    // instead of looking each use up through its scope proxy: ~20% off a typical handler.
    // A global the script assigns (`fetch = wrapped`, as Node allows) stays writable; only
    // code built at run time (`new Function`) could still meet a read-only one.
    const assigned = assignedFreeNames(transformed.code);
    for (const name of Reflect.ownKeys(guestGlobal)) {
      if (name === 'eval') continue; // SES resolves eval itself
      if (typeof name === 'string' && assigned.has(name)) continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(guestGlobal, name);
      if (descriptor && 'value' in descriptor && descriptor.configurable) {
        Object.defineProperty(guestGlobal, name, { writable: false, configurable: false });
      }
    }

    const guarded = guardUndeclaredNames(guestGlobal, transformed.code, { explanations: forbiddenExplanations, probed: HANDLER_NAMES });
    // The trailer starts on a line of its own, after the user's last line.
    const trailer = `\n;[${HANDLER_NAMES.map((name) => `${guarded.typeofExpression(name)} === 'function' ? ${name} : void 0`).join(', ')}]`;
    const source = `${guarded.code}${trailer}\n//# sourceURL=${filename}\n`;
    // Only scripts that need the hidden lexical scope get it: SES builds a separate
    // evaluator for it (once per instance).
    const found = (guarded.lexicals ? compartment.evaluate(source, { __moduleShimLexicals__: guarded.lexicals }) : compartment.evaluate(source)) as unknown[];
    const handlers: Partial<Record<HandlerName, Handler>> = {};
    HANDLER_NAMES.forEach((name, index) => {
      if (typeof found[index] === 'function') handlers[name] = found[index] as Handler;
    });
    return new FunctionInstance(code, handlers);
  }
}
