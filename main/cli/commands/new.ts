/**
 * `fnstudio new <name>`: creates a function folder from a template, exactly as the
 * studio's "New function" does (same templates, settings, mocks and test cases).
 */
import path from 'node:path';
import { FnStudioError } from '../../contract/errors';
import { defaultResourcesDir } from '../../core/resources-dir';
import { createTemplates, DEFAULT_TEMPLATE_ID } from '../../core/templates';
import { LocalWorkspace } from '../../core/workspace';
import { formatOptions, parseArgs, type OptionSpec } from '../args';
import { EXIT_SUCCESS, InputError, UsageError } from '../cli-error';
import { cliWorkspace } from '../workspace-root';

const COMMAND = 'fnstudio new';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'template', value: '<id>', help: `the template to start from (default: ${DEFAULT_TEMPLATE_ID}; the ids are listed below)` },
  { name: 'workspace', value: '<dir>', help: "the workspace to create it in (default: FNSTUDIO_WORKSPACE, the studio's workspace preference, or ~/fnstudio-functions)" },
  { name: 'help', short: 'h', help: 'show this help' },
];

async function help(): Promise<string> {
  const templates = await createTemplates(path.join(defaultResourcesDir(), 'templates')).list();
  const width = Math.max(...templates.map((t) => t.id.length)) + 2;
  return `Usage: fnstudio new <name> [--template <id>] [--workspace DIR]

Creates a destination function in a new folder of the workspace, named after <name>
(lower-case, dashes: "Order Webhook" → order-webhook, or order-webhook-2 if taken), from a
template. The folder gets handler.js, function.json with the settings the code reads,
mocks.json (mock rules that answer the template's requests, so it runs offline),
settings.local.json with test values of its ordinary settings, and tests/ with test cases
that pass: \`fnstudio test <folder>\` is green right away.

Options:
${formatOptions(OPTIONS)}

Templates:
${templates.map((t) => `  ${t.id.padEnd(width)}${t.name}`).join('\n')}

Examples:
  fnstudio new "Order Webhook" --template webhook
  fnstudio new enricher --workspace ./functions
`;
}

export async function newCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS, COMMAND);
  if (args.flags.has('help')) {
    process.stdout.write(await help());
    return EXIT_SUCCESS;
  }
  if (args.positionals.length === 0) throw new UsageError('missing the name of the new function, e.g. fnstudio new "Order Webhook"', COMMAND);
  if (args.positionals.length > 1) {
    throw new UsageError(`unexpected argument '${args.positionals[1]}' (quote a name with spaces: "${args.positionals.join(' ')}")`, COMMAND);
  }
  const name = args.positionals[0];
  const templateId = args.values.get('template') ?? DEFAULT_TEMPLATE_ID;
  const templates = createTemplates(path.join(defaultResourcesDir(), 'templates'));
  const known = (await templates.list()).map((t) => t.id);
  if (!known.includes(templateId)) throw new UsageError(`no template '${templateId}' (templates: ${known.join(', ')})`, COMMAND);

  const workspace = await cliWorkspace(args.values.get('workspace'));
  const local = new LocalWorkspace({ root: workspace.root, templates });
  let created;
  try {
    created = await local.create({ displayName: name, templateId });
  } catch (err) {
    if (err instanceof FnStudioError && (err.name === 'InvalidArgument' || err.name === 'AlreadyExists')) throw new InputError(`cannot create "${name}": ${err.message}`);
    // The workspace folder cannot be written (a file in its place, no permission).
    if (typeof (err as NodeJS.ErrnoException).code === 'string') throw new InputError(`cannot create the function in ${workspace.root}: ${(err as Error).message}`);
    throw err;
  }
  const dir = local.functionDir(created.id);
  const relative = path.relative(process.cwd(), dir) || '.';
  const shown = relative.startsWith('..') ? dir : relative;
  process.stdout.write(
    `Created "${created.meta.displayName}" from the ${templateId} template in ${dir}\n` +
      `  (workspace ${workspace.root}, ${workspace.why})\n` +
      `Next: edit ${path.join(shown, 'handler.js')}, then run its tests:\n` +
      `  fnstudio test ${shown}\n`,
  );
  return EXIT_SUCCESS;
}
