/** `fnstudio restore <function-folder> <version-id>`: make an old version the latest again. */
import { formatOptions, type OptionSpec } from '../args';
import { EXIT_BAD_INPUT, EXIT_SUCCESS, UsageError } from '../cli-error';
import { CONNECTION_OPTIONS, EXIT_STATUS_HELP, HELP_OPTION, JSON_OPTION, confirm, syncCommand, writeJson } from './sync-support';

const COMMAND = 'fnstudio restore';
const OPTIONS: readonly OptionSpec[] = [{ name: 'yes', short: 'y', help: 'do not ask for confirmation' }, ...CONNECTION_OPTIONS, JSON_OPTION, HELP_OPTION];

const HELP = `Usage: fnstudio restore <function-folder> <version-id> [--yes]

Restores a version in the Segment workspace: it becomes a new latest version with that
version's code (nothing is deleted). When the local folder has no edits since the last
pull/push, its handler.js follows (the old one is kept in .fnstudio/backups/); local
edits are never replaced. Whether a restore is also deployed is not documented: check
'fnstudio versions'. Without --yes it asks on a terminal and refuses when stdin is not one.

Options:
${formatOptions(OPTIONS)}

${EXIT_STATUS_HELP}
`;

export const restoreCommand = syncCommand(
  { command: COMMAND, help: HELP, options: OPTIONS, operands: { count: 2, missing: 'usage: fnstudio restore <function-folder> <version-id>' } },
  async ({ args, json, operands: [folder, versionId], engine, io }) => {
    if (!args.flags.has('yes')) {
      if (!io.stdin.isTTY) throw new UsageError('refusing to restore without confirmation: stdin is not a terminal; pass --yes', COMMAND);
      if (!(await confirm(io, `Restore version ${versionId} as the latest version in the Segment workspace?`))) {
        io.stderr.write('Nothing was restored.\n');
        return EXIT_BAD_INPUT;
      }
    }
    const result = await engine.restore(folder, versionId);
    if (json) writeJson(io, { ok: true, ...result });
    else io.stdout.write(`${result.message}\n`);
    return EXIT_SUCCESS;
  },
);
