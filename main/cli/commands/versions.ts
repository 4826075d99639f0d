/** `fnstudio versions <function-folder>`: the function's versions in its Segment workspace. */
import { formatOptions, type OptionSpec } from '../args';
import { EXIT_SUCCESS } from '../cli-error';
import { CONNECTION_OPTIONS, EXIT_STATUS_HELP, HELP_OPTION, JSON_OPTION, syncCommand, writeJson } from './sync-support';

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

export const versionsCommand = syncCommand(
  { command: COMMAND, help: HELP, options: OPTIONS, operands: { count: 1, missing: 'missing the function folder: fnstudio versions <function-folder>' } },
  async ({ json, operands: [folder], engine, io }) => {
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
  },
);
