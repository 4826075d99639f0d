/** `fnstudio diff <function-folder>`: what differs between the Segment workspace and the folder. */
import { formatOptions, type OptionSpec } from '../args';
import { EXIT_SUCCESS } from '../cli-error';
import { CONNECTION_OPTIONS, EXIT_STATUS_HELP, HELP_OPTION, JSON_OPTION, syncCommand, writeJson } from './sync-support';

const COMMAND = 'fnstudio diff';
const OPTIONS: readonly OptionSpec[] = [...CONNECTION_OPTIONS, JSON_OPTION, HELP_OPTION];

const HELP = `Usage: fnstudio diff <function-folder> [--json]

Prints unified diffs from the function in its Segment workspace (---) to the local
folder (+++): handler.js, then the settings schema, then display name and description.
For a folder with handler.ts, the local side is handler.ts compiled to JavaScript: what
a push would send.

Options:
${formatOptions(OPTIONS)}

${EXIT_STATUS_HELP}
`;

export const diffCommand = syncCommand(
  { command: COMMAND, help: HELP, options: OPTIONS, operands: { count: 1, missing: 'missing the function folder: fnstudio diff <function-folder>' } },
  async ({ json, operands: [folder], engine, io }) => {
    const diff = await engine.diff(folder);
    if (json) writeJson(io, { ok: true, ...diff });
    else {
      const same = diff.codeDiff === '' && diff.settingsDiff === '' && diff.metaChanges.length === 0;
      if (same) io.stdout.write('No differences.\n');
      io.stdout.write(diff.codeDiff + diff.settingsDiff);
      for (const c of diff.metaChanges) io.stdout.write(`${c}\n`);
    }
    return EXIT_SUCCESS;
  },
);
