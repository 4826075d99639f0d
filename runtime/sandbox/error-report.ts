/**
 * Turns whatever guest code threw into the outcome's error: name, message, and a stack
 * holding only frames in the user's own file (host and SES frames stripped). Reading a
 * hostile thrown value (getters, Proxies) runs guest code, so every read is guarded.
 */
import type { OutcomeError, UserStackFrame } from '../../common/outcome';

const NODE_ONLY_NAMES = /^(process|module|exports|require|__dirname|__filename) is not defined$/;

function safeRead(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function safeString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined) return undefined;
  try {
    return String(value);
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parses V8 frames that point into `filename`. */
function userFrames(stack: string, filename: string): UserStackFrame[] {
  const frames: UserStackFrame[] = [];
  const file = escapeRegExp(filename);
  const withName = new RegExp(`^\\s*at (?:async )?(.*?) \\(${file}:(\\d+):(\\d+)\\)$`);
  const bare = new RegExp(`^\\s*at (?:async )?${file}:(\\d+):(\\d+)$`);
  for (const line of stack.split('\n')) {
    let match = withName.exec(line);
    if (match) {
      const cleaned = match[1].replace(/ \[as [^\]]*\]$/, '').replace(/^Object\./, '');
      const name = cleaned === 'eval' || cleaned === '<anonymous>' || cleaned === '' ? null : cleaned;
      frames.push({ functionName: name, line: Number(match[2]), column: Number(match[3]) });
      continue;
    }
    match = bare.exec(line);
    if (match) frames.push({ functionName: null, line: Number(match[1]), column: Number(match[2]) });
  }
  return frames;
}

export function formatStack(name: string, message: string, frames: readonly UserStackFrame[], filename: string): string {
  const head = message ? `${name}: ${message}` : name;
  return [head, ...frames.map((f) => `    at ${f.functionName ? `${f.functionName} (${filename}:${f.line}:${f.column})` : `${filename}:${f.line}:${f.column}`}`)].join('\n');
}

export function describeThrown(thrown: unknown, filename: string): OutcomeError {
  let name = 'Error';
  let message: string;
  let rawStack = '';
  if ((typeof thrown === 'object' && thrown !== null) || typeof thrown === 'function') {
    name = safeString(safeRead(thrown, 'name')) || 'Error';
    message = safeString(safeRead(thrown, 'message')) ?? safeString(thrown) ?? '';
    rawStack = safeString(safeRead(thrown, 'stack')) ?? '';
  } else {
    message = `a non-error value was thrown: ${safeString(thrown) ?? typeof thrown}`;
  }
  if (name === 'ReferenceError' && NODE_ONLY_NAMES.test(message)) {
    message += ': functions cannot import dependencies or use Node.js built-ins; use the provided globals (fetch, _, crypto, Buffer, AWS, …)';
  }
  const frames = userFrames(rawStack, filename);
  return { name, message, stack: formatStack(name, message, frames, filename), frames };
}

/** An error the runtime itself reports (limits, rejections, compile errors). */
export function runtimeError(name: string, message: string, frames: UserStackFrame[] = [], filename = ''): OutcomeError {
  return { name, message, stack: formatStack(name, message, frames, filename), frames };
}
