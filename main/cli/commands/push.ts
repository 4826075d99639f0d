/**
 * `fnstudio push <function-folder>`: save the function to its Segment workspace (create it
 * when unlinked, with --remote), optionally deploy. Checks first (compiles in the runtime,
 * settings schema), shows what will change, reads the remote and stops on a conflict.
 */
import { formatOptions, type OptionSpec } from '../args';
import { EXIT_BAD_INPUT, EXIT_SUCCESS, UsageError } from '../cli-error';
import type { DeployReport, PushPreview } from '../../contract/sync';
import {
  CONNECTION_OPTIONS,
  EXIT_CONFLICT,
  EXIT_REMOTE_FAILED,
  EXIT_STATUS_HELP,
  HELP_OPTION,
  JSON_OPTION,
  confirm,
  syncCommand,
  writeJson,
  type SyncIo,
} from './sync-support';

const COMMAND = 'fnstudio push';
const OPTIONS: readonly OptionSpec[] = [
  { name: 'deploy', help: 'after saving, call deploy where the API accepts it, and show the deployed state it reports' },
  { name: 'yes', short: 'y', help: 'do not ask for confirmation (needed when stdin is not a terminal)' },
  { name: 'remote', value: 'NAME', help: 'for a folder not linked yet: the remote to create the function in' },
  { name: 'overwrite-remote', help: "push even though the function changed in the Segment workspace since your last pull or push (you have looked at its changes; its code is backed up first)" },
  ...CONNECTION_OPTIONS,
  JSON_OPTION,
  HELP_OPTION,
];

const HELP = `Usage: fnstudio push <function-folder> [--deploy] [--yes] [--json]

Saves the folder's handler.js, settings schema, display name and description to its
Segment workspace (PATCH; a folder not linked yet is created there with --remote NAME).
Before writing: the code must compile in fnstudio's runtime and the settings schema must
be valid; the diff is shown; the remote is read, and if it changed since the last pull
or push, the push stops with a conflict (exit 3, nothing written) unless you pass
--overwrite-remote. The remote's previous code and settings are kept in the folder's
.fnstudio/backups/.

TypeScript: Segment runs JavaScript, so for a folder with handler.ts what is pushed (and
diffed) is handler.ts compiled to JavaScript, as runs use it, with a first comment line
saying so; no source map is attached. Types are checked first, as 'fnstudio check' does:
any type or syntax error refuses the push (exit 2), printed as file:line:col message.
If the function's JavaScript was edited in Segment since your last push, 'fnstudio pull'
puts that code in handler.remote.js (never over handler.ts): carry the changes into
handler.ts, then push with --overwrite-remote.

Deploy: whether a destination function's save goes live at once is not settled by
Segment's documentation. --deploy also calls the deploy endpoint, which Segment documents
for source function instances only; the result of that call and the deployed state the
API reports (deployedAt, isLatestVersion, the latest version's isDeployed) are printed.

Without --yes, push asks on a terminal and refuses (exit 2) when stdin is not one.

Options:
${formatOptions(OPTIONS)}

${EXIT_STATUS_HELP}

Examples:
  fnstudio push ./webhook
  fnstudio push ./webhook --deploy --yes --json
  SEGMENT_PUBLIC_API_TOKEN=… fnstudio push ./webhook --api-url https://api.segmentapis.com --yes
`;

export const pushCommand = syncCommand(
  { command: COMMAND, help: HELP, options: OPTIONS, operands: { count: 1, missing: 'missing the function folder: fnstudio push <function-folder>' } },
  async ({ args, json, operands: [folder], engine, io }) => {
    const yes = args.flags.has('yes');
    if (!yes && !io.stdin.isTTY) {
      throw new UsageError('refusing to push without confirmation: stdin is not a terminal; pass --yes to push without asking', COMMAND);
    }
    const deploy = args.flags.has('deploy');
    const remoteName = args.values.get('remote');
    const preview = await engine.previewPush(folder, remoteName);
    const out = json ? io.stderr : io.stdout;
    if (preview.problems.length > 0) {
      if (json) writeJson(io, { ok: false, exitCode: EXIT_BAD_INPUT, status: 'invalid', problems: preview.problems });
      for (const p of preview.problems) io.stderr.write(`${COMMAND}: ${p}\n`);
      return EXIT_BAD_INPUT;
    }
    const overwriteRemote = args.flags.has('overwrite-remote');
    if (preview.conflict && !overwriteRemote) return reportConflict(io, json, preview);
    if (preview.nothingToPush && !deploy) {
      if (json) writeJson(io, { ok: true, status: 'unchanged', functionId: preview.functionId, remoteFunctionId: preview.remoteFunctionId });
      else io.stdout.write(`${preview.functionId}/ matches ${preview.remoteName}:${preview.remoteFunctionId}; nothing to push.\n`);
      return EXIT_SUCCESS;
    }
    if (!json || !yes) describe(out, preview);
    if (!yes && !(await confirm(io, `${preview.remoteFunctionId ? 'Save' : 'Create'}${deploy ? ' and deploy' : ''} in remote ${preview.remoteName}?`))) {
      io.stderr.write('Nothing was pushed.\n');
      return EXIT_BAD_INPUT;
    }
    const result = await engine.push(folder, { deploy, remoteName, overwriteRemote });
    if (result.status === 'conflict') return reportConflict(io, json, { ...preview, conflict: result.conflict });
    if (result.status === 'invalid') {
      if (json) writeJson(io, { ok: false, exitCode: EXIT_BAD_INPUT, status: 'invalid', problems: result.problems });
      for (const p of result.problems) io.stderr.write(`${COMMAND}: ${p}\n`);
      return EXIT_BAD_INPUT;
    }
    const failedDeploy = result.deploy.call === 'failed';
    if (json) writeJson(io, { ok: !failedDeploy, exitCode: failedDeploy ? EXIT_REMOTE_FAILED : EXIT_SUCCESS, ...result });
    else {
      io.stdout.write(`${result.created ? 'Created' : 'Saved'} ${result.functionId}/ as ${preview.remoteName}:${result.remoteFunctionId}.\n`);
      if (result.backup) io.stdout.write(`The remote's previous code and settings are kept in ${result.backup}\n`);
      io.stdout.write(deployText(result.deploy));
    }
    return failedDeploy ? EXIT_REMOTE_FAILED : EXIT_SUCCESS;
  },
);

function describe(out: NodeJS.WritableStream | import('node:stream').Writable, preview: PushPreview): void {
  out.write(preview.remoteFunctionId ? `Changes to ${preview.remoteName}:${preview.remoteFunctionId} (remote → local):\n` : `New function in remote ${preview.remoteName}:\n`);
  if (preview.compiledFrom) out.write(`  Segment runs JavaScript: what is sent is ${preview.compiledFrom} compiled.\n`);
  if (preview.conflict) out.write(`  The remote changed since your last pull or push (${preview.conflict.remoteChanged.join(' and ')}); --overwrite-remote replaces it.\n`);
  out.write(preview.codeDiff || (preview.compiledFrom ? '  code: no change\n' : '  handler.js: no change\n'));
  out.write(preview.settingsDiff || '  settings: no change\n');
  for (const c of preview.metaChanges) out.write(`  ${c}\n`);
}

function deployText(d: DeployReport): string {
  const state = [
    `deployedAt: ${d.state.deployedAt ?? 'not reported'}`,
    `isLatestVersion: ${d.state.isLatestVersion ?? 'not reported'}`,
    `latest version isDeployed: ${d.latestVersionDeployed ?? 'not reported (versions unavailable)'}`,
  ].join(', ');
  return `${d.message}.\nDeployed state as the API reports it: ${state}\n`;
}

function reportConflict(io: SyncIo, json: boolean, preview: PushPreview): number {
  const c = preview.conflict!;
  if (json) writeJson(io, { ok: false, exitCode: EXIT_CONFLICT, status: 'conflict', conflict: c });
  io.stderr.write(
    `${COMMAND}: conflict: ${preview.remoteName}:${preview.remoteFunctionId} changed in the Segment workspace since your last pull/push ` +
      `(remote: ${c.remoteChanged.join(' and ')}; local: ${c.localChanged.join(' and ') || 'nothing'}). Nothing was written. ` +
      `See 'fnstudio diff ${c.functionId}', then resolve it in the app (keep mine / take theirs / merge), pull after saving your edits elsewhere, ` +
      `or, once you have taken over their changes, push again with --overwrite-remote.\n`,
  );
  return EXIT_CONFLICT;
}
