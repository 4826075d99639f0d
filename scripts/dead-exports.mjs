// Lists exports that nothing imports: `node scripts/dead-exports.mjs`. Every import,
// re-export and namespace import of the type-checked projects (tests, e2e and the renderer
// included) is resolved to the declaration it names, through `export *` chains; an
// exported value (function, class, constant) that none of them reaches is printed as
// file:line name. Exported types are left alone: they document the shape of what is exported.
// A report for people, not a CI gate: modules loaded by path (worker entries, out/*.js
// required by the bench or by tests) are used without an import and show up here too.
import ts from 'typescript';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const projects = ['tsconfig.check.json', 'renderer/tsconfig.json'];

const used = new Set();
const exported = new Map();

function key(symbol) {
  const decl = symbol.declarations?.[0];
  return decl ? `${decl.getSourceFile().fileName}:${decl.pos}` : null;
}

for (const project of projects) {
  const configPath = path.join(root, project);
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
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

const dead = [...exported].filter(([k]) => !used.has(k)).map(([, v]) => v).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
for (const d of dead) console.log(`${d.file}:${d.line} ${d.name}`);
console.log(`${dead.length} exported value(s) that nothing imports`);
