/**
 * Errors that end a command with exit status 2 (bad usage or bad input) and a message
 * on stderr. Anything else that escapes a command is a bug and is shown with its stack.
 */

export const EXIT_SUCCESS = 0;
/** The function ran (or was refused by its settings) with any outcome but Success. */
export const EXIT_NOT_SUCCESS = 1;
export const EXIT_BAD_INPUT = 2;

/** Wrong options or arguments; the message ends by pointing at the command's help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly problem: string,
    /** e.g. 'fnstudio run' */
    readonly command: string,
  ) {
    super(`${problem}\nRun '${command} --help' for usage.`);
  }
}

/** An input file (or stdin) is missing, unreadable or invalid; the message names it. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
