/** `fnstudio versions <function-folder>`: the function's versions in its Segment workspace. */
import { formatOptions, parseArgs, type OptionSpec } from '../args';
import { EXIT_SUCCESS, UsageError } from '../cli-error';
import { CONNECTION_OPTIONS, EXIT_STATUS_HELP, HELP_OPTION, JSON_OPTION, defaultIo, engineFor, runSync, writeJson, type SyncIo } from './sync-support';

const COMMAND = 'fnstudio versions';
const OPTIONS: readonly OptionSpec[] = [...CONNECTION_OPTIONS, JSON_OPTION, HELP_OPTION];

const HELP = `Usage: fnstudio versions <function-folder> [--json]

Lists the versions of the linked function in its Segment workspace, newest first: id,
author, created, deployed. The versions endpoints are alpha: a workspace without them
is reported as such (exit 0, "available": false with --json).

Options:
${formatOptions(OPTIONS)}

${EXIT_STATUS_HELP}
`;

export async function versionsCommand(argv: string[], io: SyncIo = defaultIo()): Promise<number> {
  // Known before parsing, so that even a usage error is one JSON object on stdout.
  const json = argv.includes('--json');
  return runSync(COMMAND, io, json, async () => {
    const args = parseArgs(argv, OPTIONS, COMMAND);
    if (args.flags.has('help')) {
      io.stdout.write(HELP);
      return EXIT_SUCCESS;
    }
    const [folder, ...extra] = args.positionals;
    if (!folder) throw new UsageError('missing the function folder: fnstudio versions <function-folder>', COMMAND);
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`, COMMAND);
    const { engine, close } = engineFor(io, args);
    try {
      const result = await engine.versions(folder);
      if (json) writeJson(io, { ok: true, ...result });
      else if (!result.available) io.stdout.write(`${result.message}\n`);
      else {
        for (const v of result.versions) {
          io.stdout.write(`${v.id}  ${v.createdAt ?? '-'}  ${v.author ?? '-'}${v.isDeployed ? `  deployed${v.deployedAt ? ` ${v.deployedAt}` : ''}` : ''}\n`);
        }
        if (result.versions.length === 0) io.stdout.write('No versions.\n');
      }
      return EXIT_SUCCESS;
    } finally {
      await close();
    }
  });
}
