/**
 * The ESLint rule that keeps fnstudio's layers apart (shared/design/architecture.md):
 * every import, re-export, `require('…')` and `import('…')` with a literal specifier is
 * resolved to a folder of the repository and checked against the importing file's
 * layer. Relative specifiers are resolved to real paths first, so `../../main/x` and
 * `../main/x` are judged the same wherever they are written.
 *
 * Options: `{ root, layers: [{ name, dirs, mayImport, packages }], publicEntries }`.
 * - `dirs`: folders (relative to root) that make up the layer; the first match wins, so
 *   list nested folders (main/contract) before their parents.
 * - `mayImport`: names of layers this one may import from (its own is always allowed).
 * - `packages`: `{ allow?: string[] } | { deny: string[] }` for bare specifiers (npm
 *   packages and Node built-ins; `node:` is ignored when matching).
 * - `publicEntries`: `{ layer: [files] }`: a layer that may be entered only through these
 *   files from outside it (e.g. runtime/index.ts and runtime/api.ts).
 * - `testEntries`: `{ layer: [files] }`: further entries that only test files may use (test kits).
 * - `packagesFreeIn`: regular expressions of files (tests) whose package imports are not
 *   checked: they run under vitest in Node, never in the layer's own process or bundle.
 *   Their imports of other layers are checked like any file's.
 */
import * as path from 'node:path';

function toPosix(p) {
  return p.split(path.sep).join('/');
}

function packageName(specifier) {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function layerOf(layers, relPath) {
  for (const layer of layers) {
    if (layer.dirs.some((dir) => relPath === dir || relPath.startsWith(`${dir}/`))) return layer;
  }
  return null;
}

/** `runtime/index.ts`, `runtime/index`, `runtime` and `runtime/` all name the entry index.ts. */
function withoutExtension(relPath) {
  return relPath.replace(/\.(d\.ts|ts|tsx|mts|cts|js|mjs|cjs)$/, '').replace(/\/$/, '');
}

function isPublicEntry(entries, layerDir, target) {
  const t = withoutExtension(target);
  return entries.some((entry) => {
    const e = withoutExtension(entry);
    return t === e || (e === `${layerDir}/index` && t === layerDir);
  });
}

export const importLayers = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports respect the layers of architecture.md (renderer, contract, core, hosts, runtime, common)' },
    schema: [{ type: 'object', additionalProperties: true }],
    messages: {
      layer: '{{from}} must not import {{to}} ({{target}}): {{why}}',
      package: '{{from}} must not import the package "{{name}}": {{why}}',
      entry: 'only {{entries}} may be imported from outside {{to}}, not {{target}}',
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const root = options.root;
    const layers = options.layers ?? [];
    const publicEntries = options.publicEntries ?? {};
    const filename = context.filename;
    const fromRel = toPosix(path.relative(root, filename));
    const from = layerOf(layers, fromRel);
    if (from === null) return {};
    const packagesFree = (options.packagesFreeIn ?? []).some((re) => new RegExp(re).test(fromRel));

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
        if (packagesFree) return;
        const name = packageName(specifier);
        const rule = from.packages ?? {};
        if (rule.allow && !rule.allow.includes(name)) {
          context.report({ node, messageId: 'package', data: { from: from.name, name, why: rule.why ?? `only ${rule.allow.join(', ') || 'no packages'} allowed` } });
        } else if (rule.deny && rule.deny.includes(name)) {
          context.report({ node, messageId: 'package', data: { from: from.name, name, why: rule.why ?? 'denied for this layer' } });
        }
        return;
      }
      const target = toPosix(path.relative(root, path.resolve(path.dirname(filename), specifier)));
      const to = layerOf(layers, target);
      if (to === null || to === from) return;
      if (!(from.mayImport ?? []).includes(to.name)) {
        const allowed = from.mayImport?.length ? `it may import only ${from.mayImport.join(', ')}` : 'it imports nothing of the others';
        context.report({ node, messageId: 'layer', data: { from: from.name, to: to.name, target, why: allowed } });
        return;
      }
      const entries = publicEntries[to.name];
      const testEntries = packagesFree ? (options.testEntries?.[to.name] ?? []) : [];
      if (entries && !isPublicEntry([...entries, ...testEntries], to.dirs[0], target)) {
        context.report({ node, messageId: 'entry', data: { entries: entries.join(' and '), to: to.name, target } });
      }
    }

    const fromSource = (node) => check(node.source, node.source?.value);
    return {
      ImportDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ExportNamedDeclaration: (node) => {
        if (node.source) fromSource(node);
      },
      ImportExpression: (node) => {
        if (node.source.type === 'Literal') check(node.source, node.source.value);
      },
      TSImportEqualsDeclaration: (node) => {
        const ref = node.moduleReference;
        if (ref.type === 'TSExternalModuleReference' && ref.expression.type === 'Literal') check(ref.expression, ref.expression.value);
      },
      CallExpression: (node) => {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') check(arg, arg.value);
      },
    };
  },
};

export default { rules: { 'import-layers': importLayers } };
