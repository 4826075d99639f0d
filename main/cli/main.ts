/**
 * Entry point of the `fnstudio` command (bin/fnstudio.js calls `main`). Commands live in
 * one table: adding a command is adding one line to COMMANDS.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT_BAD_INPUT, EXIT_SUCCESS, InputError, UsageError } from './cli-error';
import { JsonFileError } from '../core/json-file';
import { MockRulesError } from '../core/mock-rules';
import { captureCommand } from './commands/capture';
import { replayCommand } from './commands/replay';
import { runCommand } from './commands/run';
import { secretsCommand } from './commands/secrets';
import { testCommand } from './commands/test';
import { newCommand } from './commands/new';
import { serveCommand } from '../webhost/serve-command';
import { diffCommand } from './commands/diff';
import { pullCommand } from './commands/pull';
import { pushCommand } from './commands/push';
import { remoteCommand } from './commands/remote';
import { restoreCommand } from './commands/restore';
import { statusCommand } from './commands/status';
import { versionsCommand } from './commands/versions';
import { checkCommand } from './commands/check';

export interface Command {
  name: string;
  /** One line for `fnstudio --help`. */
  summary: string;
  /** Receives the arguments after the command name; resolves with the exit status. */
  run(argv: string[]): Promise<number>;
  /**
   * The command has a `--json` mode: when it is asked for, bad usage and bad input are
   * reported on stdout as JSON too (and as text on stderr), so a script reading stdout
   * always gets one JSON object.
   */
  json?: boolean;
}

const COMMANDS: readonly Command[] = [
  { name: 'run', summary: 'run a destination function against an event (or a batch) and show the outcome', run: runCommand, json: true },
  { name: 'replay', summary: 'deliver captured events through a function as Segment would, and report the outcomes', run: replayCommand, json: true },
  { name: 'serve', summary: 'open the studio in your browser (local web host on 127.0.0.1)', run: serveCommand },
  { name: 'capture', summary: "record what a Segment library sends as NDJSON (a local Tracking API endpoint)", run: (argv) => captureCommand(argv) },
  { name: 'new', summary: 'create a function folder from a template (with settings, mock rules and test cases)', run: (argv) => newCommand(argv) },
  { name: 'check', summary: 'type-check functions (handler.js or handler.ts) against the runtime typings and their declared settings', run: (argv) => checkCommand(argv) },
  { name: 'test', summary: "run functions' saved test cases (tests/*.test.json); reports for people or CI (JUnit)", run: (argv) => testCommand(argv) },
  { name: 'secrets', summary: "set or delete encrypted settings' test values in the OS keychain", run: (argv) => secretsCommand(argv) },
  { name: 'remote', summary: 'add, list or remove Segment workspaces (remotes) reached over the Public API', run: (argv) => remoteCommand(argv) },
  { name: 'pull', summary: 'copy destination functions from a Segment workspace into local folders', run: (argv) => pullCommand(argv) },
  { name: 'status', summary: "show each function's sync state against its Segment workspace", run: (argv) => statusCommand(argv) },
  { name: 'diff', summary: 'show what differs between a function folder and its Segment workspace', run: (argv) => diffCommand(argv) },
  { name: 'push', summary: 'save (and optionally deploy) a function to its Segment workspace', run: (argv) => pushCommand(argv) },
  { name: 'versions', summary: "list a function's versions in its Segment workspace", run: (argv) => versionsCommand(argv) },
  { name: 'restore', summary: 'restore a version of a function in its Segment workspace', run: (argv) => restoreCommand(argv) },
];

/** Entry point of the `fnstudio` command. Returns the process exit status. */
export async function main(argv: string[]): Promise<number> {
  // `fnstudio run … | head` closes the pipe early; that is not an error worth a stack.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const [first, ...rest] = argv;
  if (first === undefined) {
    // No command is a usage error, as in other CLIs: the help goes to stderr, status 2.
    process.stderr.write(`fnstudio: no command given.\n\n${topLevelHelp()}`);
    return EXIT_BAD_INPUT;
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(topLevelHelp());
    return EXIT_SUCCESS;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`fnstudio ${version()}\n`);
    return EXIT_SUCCESS;
  }
  if (first === 'help') {
    const target = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
    if (rest[0] === undefined) {
      process.stdout.write(topLevelHelp());
      return EXIT_SUCCESS;
    }
    if (!target) return unknownCommand(rest[0]);
    return dispatch(target, ['--help']);
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) return unknownCommand(first);
  return dispatch(command, rest);
}

async function dispatch(command: Command, argv: string[]): Promise<number> {
  try {
    return await command.run(argv);
  } catch (err) {
    if (isBadInput(err)) {
      process.stderr.write(`fnstudio ${command.name}: ${err.message}\n`);
      if (command.json && wantsJson(argv)) process.stdout.write(JSON.stringify(badInputReport(err), null, 2) + '\n');
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
}

/** `--json` among the options (not after `--`, where arguments are not options). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * The `--json` report of a run that never started: the outcome's shape, with no
 * category and the problem as the error (the message is the one stderr shows).
 */
function badInputReport(err: Error): Record<string, unknown> {
  const message = err instanceof UsageError ? err.problem : err.message;
  return { outcome: null, exitCode: EXIT_BAD_INPUT, error: { name: err.name, message, stack: null }, logs: [], requests: [], result: null, durationMs: 0 };
}

function isBadInput(err: unknown): err is Error {
  return (
    err instanceof UsageError ||
    err instanceof InputError ||
    err instanceof JsonFileError ||
    err instanceof MockRulesError
  );
}

function unknownCommand(name: string): number {
  const hint = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
  process.stderr.write(`fnstudio: ${hint}. Commands: ${COMMANDS.map((c) => c.name).join(', ')}. Run 'fnstudio --help'.\n`);
  return EXIT_BAD_INPUT;
}

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `fnstudio ${version()}: write, run and test Segment destination functions offline.

Usage: fnstudio <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Options:
  -h, --help     show this help (or 'fnstudio <command> --help' for one command)
  -V, --version  print the version

Run 'fnstudio <command> --help' for a command's options and examples.
`;
}

function version(): string {
  // Compiled code runs from out/main/cli, tests from main/cli: walk up to the package.
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const fields = typeof pkg === 'object' && pkg !== null ? (pkg as { name?: unknown; version?: unknown }) : {};
      if (fields.name === 'fnstudio' && typeof fields.version === 'string') return fields.version;
    } catch {
      // no package.json at this level
    }
  }
  return 'unknown';
}
