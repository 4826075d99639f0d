/**
 * `fnstudio test`: runs the saved test cases (`tests/*.test.json`) of functions in one
 * sandbox runtime and reports them for people (pretty) or CI (junit, json).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FunctionTestReport } from '../../contract/tests';
import type { Runtime } from '../../../runtime/api';
import { BOTH_HANDLERS_PROBLEM, handlerFileIn } from '../../core/handler-file';
import { KeytarSecretStore, type SecretStore } from '../../core/secrets';
import { HANDLER_FILE, runTests, type TestTarget } from '../../core/tests/test-runner';
import { formatOptions, parseArgs, type OptionSpec } from '../args';
import { EXIT_NOT_SUCCESS, EXIT_SUCCESS, InputError, UsageError } from '../cli-error';
import { palette, wantsColor } from '../render-outcome';
import { startRuntime } from '../runtime-host';
import { jsonTestReport } from '../test-report/json';
import { junitReport } from '../test-report/junit';
import { prettyReport } from '../test-report/pretty';
import { watchTests } from '../test-watch';
import { workspaceFunctionFolders } from '../workspace-root';

const COMMAND = 'fnstudio test';
const REPORTERS = ['pretty', 'junit', 'json'] as const;
type Reporter = (typeof REPORTERS)[number];

const OPTIONS: readonly OptionSpec[] = [
  { name: 'workspace', value: '<dir>', help: 'the workspace whose functions to test when no folder is given (default: FNSTUDIO_WORKSPACE, the studio\'s workspace preference, or ~/fnstudio-functions)' },
  { name: 'filter', value: '<text>', help: 'run only the cases whose name or file name contains the text (case-insensitive)' },
  { name: 'reporter', value: '<pretty|junit|json>', help: 'report format (default pretty)' },
  { name: 'out', value: '<file>', help: 'write the report to this file (the pretty report still goes to the terminal)' },
  { name: 'update-snapshots', help: 're-record the snapshots of "snapshot": true cases instead of comparing with them' },
  { name: 'strict-network', help: "also refuse requests to loopback and private addresses (localhost, 10/8, 192.168/16, …), even when a mock rule would answer them, as every function whose function.json has \"strictNetwork\": true does" },
  { name: 'watch', help: 'stay running and re-run the affected cases when a handler, a case, function.json or mocks.json changes (Ctrl+C stops)' },
  { name: 'help', short: 'h', help: 'show this help' },
];

const HELP = `Usage: fnstudio test [<function-folder>...] [options]

Runs the saved test cases of destination functions: every tests/<name>.test.json in each
function folder. Without folders it tests every function in the workspace. All cases run
in one sandbox runtime (a worker pool on all cores), each as a run in the studio would:
settings are the folder's test values (settings.local.json) and encrypted ones from the
OS keychain, overridden by the case's "settings"; outgoing requests are answered by the
case's "mocks", then the folder's mocks.json, and any other request fails as offline.
Tests never reach the network. Encrypted values are masked in every report. A function
whose function.json has "strictNetwork": true (or every function, with --strict-network)
has requests to loopback and private addresses refused before any mock rule, as its runs do.

Options:
${formatOptions(OPTIONS)}

A test case (tests/posts-order.test.json):
  {"name": "posts an order",
   "event": {"type": "track", "event": "Order Completed", "properties": {"total": 12}},
   "settings": {"webhookUrl": "https://hooks.example.com/in"},
   "mocks": [{"method": "POST", "url": "https://hooks.example.com/*", "body": {"ok": true}}],
   "expect": {"outcome": "Success", "result": {"status": 200},
              "requests": [{"method": "POST", "body": {"event": "Order Completed"}}]}}
  "events": [...] instead of "event" tests a batch (onBatch), with "expect": {"items": [...]}.
  "snapshot": true records requests and result beside the case on the first run and
  compares later runs with it. The full format is in the README ("Test cases").

A malformed case file fails (naming the file and the problem); it is never skipped.

Exit status:
  0  every case passed
  1  any case failed (or is malformed)
  2  bad usage or bad input: an unknown option, a folder that is not a function,
     an empty workspace, a --filter that matches no case, an unwritable --out file

Examples:
  fnstudio test
  fnstudio test ./functions/webhook --filter order
  fnstudio test --workspace functions --reporter junit --out junit.xml
  fnstudio test ./webhook --watch
`;

export interface TestCommandIo {
  runtime?: Runtime;
  secretStore?: SecretStore;
  env?: NodeJS.ProcessEnv;
}

export async function testCommand(argv: string[], io: TestCommandIo = {}): Promise<number> {
  const args = parseArgs(argv, OPTIONS, COMMAND);
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return EXIT_SUCCESS;
  }
  const reporterArg = args.values.get('reporter') ?? 'pretty';
  if (!(REPORTERS as readonly string[]).includes(reporterArg)) {
    throw new UsageError(`option '--reporter' must be one of ${REPORTERS.join(', ')}, got '${reporterArg}'`, COMMAND);
  }
  const reporter = reporterArg as Reporter;
  if (args.positionals.length > 0 && args.values.has('workspace')) {
    throw new UsageError('give function folders or --workspace, not both', COMMAND);
  }
  const targets = args.positionals.length > 0 ? await folderTargets(args.positionals) : await workspaceTargets(args.values.get('workspace'), io.env ?? process.env);
  const out = args.values.get('out');
  if (out !== undefined) await checkWritable(out);

  const runtime = io.runtime ?? startRuntime({});
  const secretStore = io.secretStore ?? new KeytarSecretStore();
  const filter = args.values.get('filter');
  const strictNetwork = args.flags.has('strict-network');
  const color = palette(wantsColor(process.stdout, io.env ?? process.env));
  try {
    const once = async (only?: Map<string, string[] | 'all'>): Promise<number> => {
      const started = performance.now();
      const chosen = only ? targets.filter((t) => only.has(t.functionId)) : targets;
      const reports: FunctionTestReport[] = [];
      // Functions whose whole set re-runs go together; single cases by function (files differ).
      const whole = chosen.filter((t) => !only || only.get(t.functionId) === 'all');
      if (whole.length > 0) reports.push(...(await runTests(whole, { runtime, secretStore, filter, strictNetwork, updateSnapshots: args.flags.has('update-snapshots') })));
      for (const t of chosen.filter((x) => only && only.get(x.functionId) !== 'all')) {
        const files = only?.get(t.functionId) as string[];
        reports.push(...(await runTests([t], { runtime, secretStore, filter, files, strictNetwork, updateSnapshots: args.flags.has('update-snapshots') })));
      }
      const elapsed = performance.now() - started;
      const total = reports.reduce((n, r) => n + r.cases.length, 0);
      if (total === 0 && filter !== undefined && !only) {
        throw new InputError(`--filter ${JSON.stringify(filter)} matches no test case in ${targets.map((t) => t.functionId).join(', ')}`);
      }
      const failed = reports.reduce((n, r) => n + r.failed, 0);
      const rendered = reporter === 'junit' ? junitReport(reports) : reporter === 'json' ? jsonTestReport(reports, elapsed) : prettyReport(reports, elapsed, out ? palette(false) : color);
      if (out !== undefined) {
        await fs.writeFile(out, rendered);
        process.stdout.write(reporter === 'pretty' ? `${COMMAND}: report written to ${out}\n` : prettyReport(reports, elapsed, color));
        if (reporter !== 'pretty') process.stdout.write(`${COMMAND}: ${reporter} report written to ${out}\n`);
      } else {
        process.stdout.write(rendered);
      }
      return failed > 0 ? EXIT_NOT_SUCCESS : EXIT_SUCCESS;
    };

    const status = await once();
    if (!args.flags.has('watch')) return status;
    return await watchTests(targets, once, status);
  } finally {
    if (!io.runtime) await runtime.close();
  }
}

async function folderTargets(folders: readonly string[]): Promise<TestTarget[]> {
  const targets: TestTarget[] = [];
  for (const folder of folders) {
    const dir = path.resolve(folder);
    const stat = await fs.stat(dir).catch(() => null);
    if (!stat) throw new InputError(`${folder}: no such folder (expected a function folder holding ${HANDLER_FILE})`);
    if (!stat.isDirectory()) throw new InputError(`${folder}: not a folder (fnstudio test takes function folders; fnstudio run takes a handler file)`);
    const found = await handlerFileIn(dir);
    if (found === 'both') throw new InputError(`${folder}: ${BOTH_HANDLERS_PROBLEM}`);
    if (found === null) throw new InputError(`${folder}: not a function folder: it has no ${HANDLER_FILE} (or handler.ts)`);
    if (targets.some((t) => t.dir === dir)) continue;
    targets.push({ functionId: path.basename(dir), dir });
  }
  return targets;
}

async function workspaceTargets(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<TestTarget[]> {
  // A folder with both handler files is kept: each of its cases then fails naming the problem.
  return (await workspaceFunctionFolders(flag, env)).map(({ name, dir }) => ({ functionId: name, dir }));
}

async function checkWritable(file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat?.isDirectory()) throw new InputError(`--out ${file}: the folder ${dir} does not exist`);
  const target = await fs.stat(file).catch(() => null);
  if (target?.isDirectory()) throw new InputError(`--out ${file}: is a folder; give a file name such as junit.xml`);
}
