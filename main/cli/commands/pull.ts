/** `fnstudio pull`: destination functions from a Segment workspace into local folders. */
import { formatOptions, type OptionSpec } from '../args';
import { EXIT_SUCCESS, UsageError } from '../cli-error';
import { CONNECTION_OPTIONS, EXIT_CONFLICT, EXIT_STATUS_HELP, HELP_OPTION, JSON_OPTION, chooseRemote, syncCommand, workspaceRoot, writeJson } from './sync-support';

const COMMAND = 'fnstudio pull';
const OPTIONS: readonly OptionSpec[] = [
  { name: 'remote', value: 'NAME', help: 'the remote to pull from (default: the only one)' },
  { name: 'all', help: 'pull every destination function' },
  { name: 'workspace', value: 'DIR', help: 'the local workspace folder (default: as the app)' },
  ...CONNECTION_OPTIONS,
  JSON_OPTION,
  HELP_OPTION,
];

const HELP = `Usage: fnstudio pull [--remote NAME] [--all | <function id or name>...] [--workspace DIR]

Copies destination functions from a Segment workspace into the local workspace, one
folder each (handler.js, function.json with a "remote" record, events/). A function
pulled before is updated in its folder; if that folder has local edits and the remote
differs, it is a conflict and nothing is written (exit 3). Replaced files are kept in
the folder's .fnstudio/backups/. Without names or --all, lists what can be pulled.
Only destination functions can be pulled; other types are listed read-only.
A folder with handler.ts (TypeScript) is never overwritten: when the function's
JavaScript changed in Segment since your last push, pull writes it to handler.remote.js
beside handler.ts and reports a conflict (exit 3); carry the changes into handler.ts and
push with --overwrite-remote. A remote settings change alone updates function.json.
With --region/--api-url and SEGMENT_PUBLIC_API_TOKEN (CI), the pulled folders record the
remote under --remote NAME (default "segment").

Options:
${formatOptions(OPTIONS)}

${EXIT_STATUS_HELP}

Examples:
  fnstudio pull --remote prod                 list the remote's functions
  fnstudio pull --remote prod --all
  fnstudio pull "My Webhook" dfn_0123456789abcdef01234567
`;

export const pullCommand = syncCommand({ command: COMMAND, help: HELP, options: OPTIONS }, async ({ args, json, engine, io }) => {
  if (args.flags.has('all') && args.positionals.length > 0) throw new UsageError('give --all or function names, not both', COMMAND);
  const remoteName = await chooseRemote(io, args, COMMAND);
  const root = await workspaceRoot(io, args);
  if (!args.flags.has('all') && args.positionals.length === 0) {
    const list = await engine.listRemote(remoteName, root);
    if (json) writeJson(io, { ok: true, remote: remoteName, functions: list });
    else {
      io.stdout.write(`Functions in remote ${remoteName} (pull with --all or by id/name):\n`);
      for (const f of list) {
        const note = f.pullable ? (f.linkedTo ? `linked to ${f.linkedTo}/` : '') : `${f.resourceType}, read-only`;
        io.stdout.write(`  ${f.id.padEnd(30)} ${f.displayName}${note ? `  (${note})` : ''}\n`);
      }
    }
    return EXIT_SUCCESS;
  }
  const results = await engine.pull(root, remoteName, args.flags.has('all') ? 'all' : args.positionals);
  const conflicts = results.filter((r) => r.action === 'conflict');
  if (json) writeJson(io, { ok: conflicts.length === 0, workspace: root, results });
  else {
    for (const r of results) io.stdout.write(`${r.action.padEnd(9)} ${r.remoteFunctionId}: ${r.message}\n`);
    if (conflicts.length > 0) io.stdout.write(`\n${conflicts.length} conflict(s): see 'fnstudio diff <folder>', then resolve in the app or edit and push.\n`);
  }
  return conflicts.length > 0 ? EXIT_CONFLICT : EXIT_SUCCESS;
});
