/**
 * Whether a function's code defines onBatch at top level: Segment then delivers its
 * events in batches instead of one by one.
 */
import { parse } from 'acorn';

export function definesOnBatch(code: string): boolean {
  let program;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch {
    // Code that does not parse fails every invocation the same way; deliver one by one.
    return false;
  }
  for (const node of program.body) {
    if (node.type === 'FunctionDeclaration' && node.id?.name === 'onBatch') return true;
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) if (d.id.type === 'Identifier' && d.id.name === 'onBatch' && d.init) return true;
    }
  }
  return false;
}
