/**
 * A function folder's handler: handler.js, or handler.ts (compiled to JavaScript for runs
 * and deploys). A folder with both is ambiguous and refused by whoever asks.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

const HANDLER_FILE_NAMES = ['handler.js', 'handler.ts'] as const;
export type HandlerFileName = (typeof HANDLER_FILE_NAMES)[number];

export const BOTH_HANDLERS_PROBLEM = 'has both handler.js and handler.ts; a function has one handler: delete one of them';

/** The folder's handler file name, null when it has none, 'both' when it has both. */
export async function handlerFileIn(dir: string): Promise<HandlerFileName | null | 'both'> {
  const present: HandlerFileName[] = [];
  for (const name of HANDLER_FILE_NAMES) if (await fs.stat(path.join(dir, name)).then((s) => s.isFile(), () => false)) present.push(name);
  if (present.length > 1) return 'both';
  return present[0] ?? null;
}
