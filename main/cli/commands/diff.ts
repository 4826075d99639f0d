/** `fnstudio diff <function-folder>`: what differs between the Segment workspace and the folder. */
import { formatOptions, parseArgs, type OptionSpec } from '../args';
import { EXIT_SUCCESS, UsageError } from '../cli-error';
import { CONNECTION_OPTIONS, EXIT_STATUS_HELP, HELP_OPTION, JSON_OPTION, defaultIo, engineFor, runSync, writeJson, type SyncIo } from './sync-support';

const COMMAND = 'fnstudio diff';
const OPTIONS: readonly OptionSpec[] = [...CONNECTION_OPTIONS, JSON_OPTION, HELP_OPTION];

const HELP = `Usage: fnstudio diff <function-folder> [--json]

Prints unified diffs from the function in its Segment workspace (---) to the local
folder (+++): handler.js, then the settings schema, then display name and description.

Options:
${formatOptions(OPTIONS)}

${EXIT_STATUS_HELP}
`;

export async function diffCommand(argv: string[], io: SyncIo = defaultIo()): Promise<number> {
  // Known before parsing, so that even a usage error is one JSON object on stdout.
  const json = argv.includes('--json');
  return runSync(COMMAND, io, json, async () => {
    const args = parseArgs(argv, OPTIONS, COMMAND);
    if (args.flags.has('help')) {
      io.stdout.write(HELP);
      return EXIT_SUCCESS;
    }
    const [folder, ...extra] = args.positionals;
    if (!folder) throw new UsageError('missing the function folder: fnstudio diff <function-folder>', COMMAND);
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`, COMMAND);
    const { engine, close } = engineFor(io, args);
    try {
      const diff = await engine.diff(folder);
      if (json) writeJson(io, { ok: true, ...diff });
      else {
        const same = diff.codeDiff === '' && diff.settingsDiff === '' && diff.metaChanges.length === 0;
        if (same) io.stdout.write('No differences.\n');
        io.stdout.write(diff.codeDiff + diff.settingsDiff);
        for (const c of diff.metaChanges) io.stdout.write(`${c}\n`);
      }
      return EXIT_SUCCESS;
    } finally {
      await close();
    }
  });
}
