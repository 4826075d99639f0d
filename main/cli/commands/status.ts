/** `fnstudio status`: each local function against its Segment workspace. */
import path from 'node:path';
import { formatOptions, type OptionSpec } from '../args';
import { EXIT_SUCCESS } from '../cli-error';
import { CONNECTION_OPTIONS, EXIT_STATUS_HELP, HELP_OPTION, JSON_OPTION, syncCommand, workspaceRoot, writeJson } from './sync-support';

const COMMAND = 'fnstudio status';
const OPTIONS: readonly OptionSpec[] = [{ name: 'workspace', value: 'DIR', help: 'the local workspace folder (default: as the app)' }, ...CONNECTION_OPTIONS, JSON_OPTION, HELP_OPTION];

const HELP = `Usage: fnstudio status [--workspace DIR] [--json]

Shows, for every function folder, how it stands against its Segment workspace:
  unlinked         never pulled or pushed
  in sync          local and remote code and settings are the same
  local changes    edited here since the last pull/push
  remote changes   changed in the Segment workspace since then
  conflict         changed on both sides
  remote deleted   the function no longer exists in the Segment workspace
  unknown          the remote could not be read (the reason is shown)

For a folder with handler.ts, "local" is handler.ts compiled to JavaScript, which is
what a push sends: in sync means Segment has exactly that JavaScript.

Options:
${formatOptions(OPTIONS)}

${EXIT_STATUS_HELP}
`;

export const statusCommand = syncCommand({ command: COMMAND, help: HELP, options: OPTIONS }, async ({ args, json, engine, io }) => {
  const root = await workspaceRoot(io, args);
  const statuses = await engine.statusAll(root);
  if (json) writeJson(io, { ok: true, workspace: root, functions: statuses });
  else {
    io.stdout.write(`Workspace ${root}\n`);
    if (statuses.length === 0) io.stdout.write('  no functions\n');
    for (const s of statuses) {
      const where = s.remote ? `  ${s.remote.name}:${s.remote.functionId}` : '';
      io.stdout.write(`  ${s.state.replace('-', ' ').padEnd(15)} ${path.join(s.functionId, '/')}${where}${s.problem ? `  (${s.problem})` : ''}\n`);
    }
  }
  return EXIT_SUCCESS;
});
