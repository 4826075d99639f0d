/** `fnstudio restore <function-folder> <version-id>`: make an old version the latest again. */
import { formatOptions, parseArgs, type OptionSpec } from '../args';
import { EXIT_BAD_INPUT, EXIT_SUCCESS, UsageError } from '../cli-error';
import { CONNECTION_OPTIONS, EXIT_STATUS_HELP, HELP_OPTION, JSON_OPTION, confirm, defaultIo, engineFor, runSync, writeJson, type SyncIo } from './sync-support';

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

export async function restoreCommand(argv: string[], io: SyncIo = defaultIo()): Promise<number> {
  // Known before parsing, so that even a usage error is one JSON object on stdout.
  const json = argv.includes('--json');
  return runSync(COMMAND, io, json, async () => {
    const args = parseArgs(argv, OPTIONS, COMMAND);
    if (args.flags.has('help')) {
      io.stdout.write(HELP);
      return EXIT_SUCCESS;
    }
    const [folder, versionId, ...extra] = args.positionals;
    if (!folder || !versionId) throw new UsageError('usage: fnstudio restore <function-folder> <version-id>', COMMAND);
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`, COMMAND);
    if (!args.flags.has('yes')) {
      if (!io.stdin.isTTY) throw new UsageError('refusing to restore without confirmation: stdin is not a terminal; pass --yes', COMMAND);
      if (!(await confirm(io, `Restore version ${versionId} as the latest version in the Segment workspace?`))) {
        io.stderr.write('Nothing was restored.\n');
        return EXIT_BAD_INPUT;
      }
    }
    const { engine, close } = engineFor(io, args);
    try {
      const result = await engine.restore(folder, versionId);
      if (json) writeJson(io, { ok: true, ...result });
      else io.stdout.write(`${result.message}\n`);
      return EXIT_SUCCESS;
    } finally {
      await close();
    }
  });
}
