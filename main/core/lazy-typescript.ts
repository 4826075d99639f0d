/**
 * TypeScript's compiler, loaded on first use. It is big (about 15 MB of heap and 45 MB of
 * resident memory once loaded): a process that never meets a handler.ts — a CLI replaying a
 * handler.js, whose whole process tree must stay small — should not carry it.
 */
import type * as TypeScript from 'typescript';

let loaded: typeof TypeScript | null = null;

export function typescript(): typeof TypeScript {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use (compiling is synchronous)
  loaded ??= require('typescript') as typeof TypeScript;
  return loaded;
}
