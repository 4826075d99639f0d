// Fails on exports that nothing imports: `node scripts/dead-exports.mjs [--root <dir>]` (part
// of `npm run lint`). Every import, re-export and namespace import of the type-checked
// projects (tests, e2e and the renderer included) is resolved to the declaration it names,
// through `export *` chains; an exported value (function, class, constant) that none of them
// reaches is printed as file:line name. Exported types are left alone: they document the
// shape of what is exported.
// The projects and the exceptions come from <root>/dead-exports.json:
//   { "projects": ["tsconfig.json", …], "allowed": { "<file> <name>": "why it stays exported" } }
// An exception is for a value used without an import (a config file a tool loads by path,
// an entry a launcher requires); one that no longer matches a dead export is an error too,
// so the list only holds what is still needed.
import ts from 'typescript';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

function fail(message) {
  console.error(`dead-exports: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--root' && args[i + 1]) root = path.resolve(args[++i]);
  else fail(`unknown argument ${JSON.stringify(args[i])}; usage: node scripts/dead-exports.mjs [--root <dir>]`);
}

const configFile = path.join(root, 'dead-exports.json');
let config;
try {
  config = JSON.parse(readFileSync(configFile, 'utf8'));
} catch (err) {
  fail(`cannot read ${configFile}: ${err.message}`);
}
const projects = config.projects;
const allowed = config.allowed ?? {};
if (!Array.isArray(projects) || projects.length === 0 || !projects.every((p) => typeof p === 'string')) {
  fail(`${configFile}: "projects" must be a non-empty list of tsconfig paths`);
}
if (typeof allowed !== 'object' || Array.isArray(allowed) || !Object.values(allowed).every((why) => typeof why === 'string' && why.trim() !== '')) {
  fail(`${configFile}: "allowed" must map "<file> <name>" to the reason it stays exported`);
}

const used = new Set();
const exported = new Map();

function key(symbol) {
  const decl = symbol.declarations?.[0];
  return decl ? `${decl.getSourceFile().fileName}:${decl.pos}` : null;
}

for (const project of projects) {
  const configPath = path.join(root, project);
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => fail(`${configPath}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
  });
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const checker = program.getTypeChecker();
  const original = (symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const markModule = (moduleSymbol) => {
    for (const s of checker.getExportsOfModule(moduleSymbol)) {
      const k = key(original(s));
      if (k) used.add(k);
    }
  };

  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
    const moduleSymbol = checker.getSymbolAtLocation(file);
    if (moduleSymbol) {
      for (const s of checker.getExportsOfModule(moduleSymbol)) {
        const target = original(s);
        const decl = target.declarations?.[0];
        // Re-exports are judged at their declaration, in their own file.
        if (!decl || decl.getSourceFile() !== file) continue;
        if (!(target.flags & ts.SymbolFlags.Value)) continue;
        exported.set(key(target), { file: path.relative(root, file.fileName), line: file.getLineAndCharacterOfPosition(decl.getStart()).line + 1, name: s.name });
      }
    }
    const visit = (node) => {
      if (ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) {
        const s = checker.getSymbolAtLocation(node.name);
        if (s) {
          const k = key(original(s));
          if (k) used.add(k);
        }
      } else if (ts.isImportClause(node) && node.name) {
        const s = checker.getSymbolAtLocation(node.name);
        if (s) {
          const k = key(original(s));
          if (k) used.add(k);
        }
      } else if (ts.isNamespaceImport(node) || (ts.isExportDeclaration(node) && !node.exportClause && node.moduleSpecifier)) {
        const spec = ts.isNamespaceImport(node) ? node.parent.parent.moduleSpecifier : node.moduleSpecifier;
        const target = checker.getSymbolAtLocation(spec);
        // `export * from` only passes names on; what is imported through it is counted above.
        if (target && ts.isNamespaceImport(node)) markModule(target);
      } else if (ts.isImportTypeNode(node) || (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)) {
        const arg = ts.isImportTypeNode(node) ? node.argument.literal : node.arguments[0];
        const target = arg ? checker.getSymbolAtLocation(arg) : undefined;
        if (target) markModule(target);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
}

const unused = [...exported].filter(([k]) => !used.has(k)).map(([, v]) => v);
const dead = unused.filter((d) => !Object.hasOwn(allowed, `${d.file} ${d.name}`)).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
const stillDead = new Set(unused.map((d) => `${d.file} ${d.name}`));
const stale = Object.keys(allowed).filter((entry) => !stillDead.has(entry));
for (const d of dead) console.log(`${d.file}:${d.line} ${d.name}`);
for (const entry of stale) console.log(`${path.relative(process.cwd(), configFile) || configFile}: "${entry}" is allowed but is no dead export (used now, renamed or gone): remove it`);
console.log(`${dead.length} exported value(s) that nothing imports`);
if (dead.length > 0) {
  console.log('Delete what is unused, drop `export` from what is only used in its own file, or (rarely) allow it with a reason in dead-exports.json.');
}
if (dead.length > 0 || stale.length > 0) process.exit(1);
