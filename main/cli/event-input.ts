/**
 * The `--event` input: one event object, or an array of event objects (a batch for
 * onBatch), from a file or from stdin (`-`).
 */
import { parseJsonText, readTextFile } from '../core/json-file';
import { InputError } from './cli-error';

const STDIN_NAME = '<stdin>';

export interface EventInput {
  /** An event object, or an array of event objects. */
  input: Record<string, unknown> | Record<string, unknown>[];
  isBatch: boolean;
  /** The file name, or `<stdin>`. */
  source: string;
}

export async function readEventInput(arg: string, stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<EventInput> {
  const source = arg === '-' ? STDIN_NAME : arg;
  let text: string;
  if (arg === '-') {
    if (stdin.isTTY) {
      throw new InputError(`--event -: stdin is a terminal; pipe an event in (e.g. cat event.json | fnstudio run … --event -)`);
    }
    text = await readAll(stdin);
  } else {
    text = await readTextFile(arg);
  }
  return checkEventValue(parseJsonText(text, source), source);
}

function checkEventValue(value: unknown, source: string): EventInput {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new InputError(`${source}: the batch is empty (an array needs at least one event object)`);
    value.forEach((item: unknown, i) => {
      if (!isPlainObject(item)) throw new InputError(`${source}: batch item [${i}] is ${describe(item)}, expected an event object`);
    });
    return { input: value as Record<string, unknown>[], isBatch: true, source };
  }
  if (!isPlainObject(value)) {
    throw new InputError(`${source}: expected an event object (or an array of them for a batch), got ${describe(value)}`);
  }
  return { input: value, isBatch: false, source };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch (err) {
    throw new InputError(`${STDIN_NAME}: cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}
