/**
 * `fnstudio remote add|list|remove`: connected Segment workspaces. The token is read from
 * stdin or SEGMENT_PUBLIC_API_TOKEN (never an argument: shell history), checked with one
 * call, kept only in the OS keychain, and never printed.
 */
import { formatOptions, type OptionSpec } from '../args';
import { EXIT_SUCCESS, UsageError } from '../cli-error';
import { TOKEN_ENV } from '../../core/remote/remotes';
import { CONNECTION_OPTIONS, EXIT_STATUS_HELP, HELP_OPTION, JSON_OPTION, commandFrame, readAll, remoteStore, writeJson } from './sync-support';

const COMMAND = 'fnstudio remote';
const OPTIONS: readonly OptionSpec[] = [...CONNECTION_OPTIONS, JSON_OPTION, HELP_OPTION];

const HELP = `Usage: fnstudio remote add <name> [--region us|eu | --api-url URL]   (token on stdin or in ${TOKEN_ENV})
       fnstudio remote list [--json]
       fnstudio remote remove <name>

A remote is a Segment workspace reached over its Public API. "add" checks the token
with one call (and shows how many destination functions the workspace has), then keeps
the token in the OS keychain and the name and API URL in remotes.json in the config
folder. The token is never written to a file or shown again. The region defaults to us.

Options:
${formatOptions(OPTIONS)}

${EXIT_STATUS_HELP}

Examples:
  printf %s "$TOKEN" | fnstudio remote add prod --region eu
  ${TOKEN_ENV}=… fnstudio remote add staging --api-url https://api.segmentapis.com
  fnstudio remote list
  fnstudio remote remove staging
`;

// Not syncCommand: managing remotes needs the store, not the engine.
export const remoteCommand = commandFrame({ command: COMMAND, help: HELP, options: OPTIONS }, async ({ args, json, io }) => {
  const [action, name, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'${action === 'add' ? ' (the token goes on stdin, never on the command line)' : ''}`, COMMAND);
  const store = remoteStore(io);
  if (action === 'list') {
    const list = await store.list();
    if (json) writeJson(io, { ok: true, remotes: list });
    else if (list.length === 0) io.stdout.write("No remotes. Add one with 'fnstudio remote add <name>'.\n");
    else for (const r of list) io.stdout.write(`${r.name}\t${r.apiUrl}${r.region ? ` (${r.region.toUpperCase()})` : ''}\n`);
    return EXIT_SUCCESS;
  }
  if (action === 'add') {
    if (!name) throw new UsageError('missing the remote name: fnstudio remote add <name>', COMMAND);
    const token = io.env[TOKEN_ENV]?.trim() || (io.stdin.isTTY ? '' : (await readAll(io.stdin)).trim());
    if (!token) throw new UsageError(`no token: pipe it on stdin or set ${TOKEN_ENV}`, COMMAND);
    const added = await store.add({ name, region: args.values.get('region') ?? null, apiUrl: args.values.get('api-url') ?? null, token });
    const count = added.destinationFunctions === null ? 'the token works (the API did not report a function count)' : `${added.destinationFunctions} destination function${added.destinationFunctions === 1 ? '' : 's'}`;
    if (json) writeJson(io, { ok: true, remote: added.remote, destinationFunctions: added.destinationFunctions });
    else io.stdout.write(`Added remote ${name} (${added.remote.apiUrl}): ${count}. The token is in the OS keychain.\n`);
    return EXIT_SUCCESS;
  }
  if (action === 'remove') {
    if (!name) throw new UsageError('missing the remote name: fnstudio remote remove <name>', COMMAND);
    const removed = await store.remove(name);
    if (json) writeJson(io, { ok: true, removed });
    else io.stdout.write(removed ? `Removed remote ${name} and its token.\n` : `No remote named ${name}; nothing to remove.\n`);
    return EXIT_SUCCESS;
  }
  throw new UsageError(action === undefined ? "missing the action: 'add', 'list' or 'remove'" : `unknown action '${action}': use add, list or remove`, COMMAND);
});
