/**
 * `fnstudio check`: type-checks functions against the runtime's typings and their declared
 * settings, as a CI step or before a push, and prints diagnostics the way compilers do.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BOTH_HANDLERS_PROBLEM, handlerFileIn } from '../../core/handler-file';
import type { HandlerDiagnostic } from '../../core/check/type-check';
import { formatOptions, parseArgs, type OptionSpec } from '../args';
import { EXIT_NOT_SUCCESS, EXIT_SUCCESS, InputError, UsageError } from '../cli-error';
import { readSettingsSchema } from '../function-target';
import { workspaceFunctionFolders } from '../workspace-root';

const COMMAND = 'fnstudio check';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'workspace', value: '<dir>', help: "the workspace whose functions to check when no folder is given (default: FNSTUDIO_WORKSPACE, the studio's workspace preference, or ~/fnstudio-functions)" },
  { name: 'help', short: 'h', help: 'show this help' },
];

const HELP = `Usage: fnstudio check [<function-folder>...] [options]

Type-checks destination functions without running them: each folder's handler.js (as if
it began with // @ts-check) or handler.ts (strict TypeScript) against the runtime's globals
(Segment's event types, fetch, cache, the error classes …) and the settings its
function.json declares. Handler parameters are typed from the handler's name: the event of
onTrack is a track event, onBatch gets an array of events, and settings has exactly the
declared settings (STRING → string, BOOLEAN → boolean, TEXT_MAP → Record<string, string>,
ARRAY → string[]), so reading a setting that is not declared is an error. Parameters you
annotate (JSDoc or TypeScript) keep your types. Without folders it checks every function in
the workspace. A handler file may be given instead of a folder (it has no declared settings).

Diagnostics are printed one a line as
  <file>:<line>:<column> error TS<code>: <message>
with the lines and columns of your file, so editors and CI annotate the right place.

Options:
${formatOptions(OPTIONS)}

Exit status:
  0  no errors
  1  errors were found
  2  bad usage or bad input: an unknown option, a folder that is not a function,
     a folder with both handler.js and handler.ts, an invalid function.json

Examples:
  fnstudio check
  fnstudio check ./functions/webhook ./functions/batch
  fnstudio check --workspace functions && fnstudio push ./functions/webhook
`;

interface CheckTarget {
  /** The handler file as it is shown in diagnostics. */
  file: string;
  /** The function folder, or null for a bare handler file. */
  dir: string | null;
}

export async function checkCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parseArgs(argv, OPTIONS, COMMAND);
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return EXIT_SUCCESS;
  }
  if (args.positionals.length > 0 && args.values.has('workspace')) {
    throw new UsageError('give function folders or --workspace, not both', COMMAND);
  }
  const targets = args.positionals.length > 0 ? await givenTargets(args.positionals) : await workspaceTargets(args.values.get('workspace'), env);
  // Loaded here, not at the top: it loads TypeScript, which other commands should not carry.
  const { checkHandler } = await import('../../core/check/type-check.js');
  let errors = 0;
  let failing = 0;
  for (const target of targets) {
    const code = await fs.readFile(target.file, 'utf8').catch((err: Error) => {
      throw new InputError(`${target.file}: cannot read the file: ${err.message}`);
    });
    const settings = target.dir === null ? null : await readSettingsSchema(target.dir);
    const diagnostics = checkHandler({ file: target.file, code, settings });
    const count = diagnostics.filter((d) => d.severity === 'error').length;
    errors += count;
    if (count > 0) failing++;
    for (const d of diagnostics) process.stdout.write(formatDiagnostic(target.file, d) + '\n');
  }
  const functions = targets.length === 1 ? '1 function' : `${targets.length} functions`;
  if (errors === 0) {
    process.stdout.write(`${COMMAND}: ${functions} checked, no errors\n`);
    return EXIT_SUCCESS;
  }
  process.stdout.write(`${COMMAND}: ${errors === 1 ? '1 error' : `${errors} errors`} in ${failing} of ${functions}\n`);
  return EXIT_NOT_SUCCESS;
}

function formatDiagnostic(file: string, d: HandlerDiagnostic): string {
  return `${file}:${d.line}:${d.column} ${d.message}`;
}

async function givenTargets(given: readonly string[]): Promise<CheckTarget[]> {
  const targets: CheckTarget[] = [];
  for (const arg of given) {
    const stat = await fs.stat(arg).catch(() => null);
    if (!stat) throw new InputError(`${arg}: no such file or folder (expected a function folder holding handler.js or handler.ts)`);
    let target: CheckTarget;
    if (stat.isDirectory()) {
      const handler = await handlerIn(arg);
      if (handler === null) throw new InputError(`${arg}: not a function folder: it has no handler.js or handler.ts`);
      target = { file: path.join(arg, handler), dir: arg };
    } else {
      if (!/\.(js|ts)$/i.test(arg)) throw new InputError(`${arg}: not a handler (expected a function folder, or a .js or .ts file)`);
      target = { file: arg, dir: null };
    }
    if (!targets.some((t) => path.resolve(t.file) === path.resolve(target.file))) targets.push(target);
  }
  return targets;
}

async function workspaceTargets(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<CheckTarget[]> {
  const folders = await workspaceFunctionFolders(flag, env);
  return folders.map(({ dir, handler }) => {
    if (handler === 'both') throw new InputError(`${dir}: ${BOTH_HANDLERS_PROBLEM}`);
    return { file: path.join(dir, handler), dir };
  });
}

async function handlerIn(dir: string): Promise<string | null> {
  const found = await handlerFileIn(dir);
  if (found === 'both') throw new InputError(`${dir}: ${BOTH_HANDLERS_PROBLEM}`);
  return found;
}
