/**
 * A captured request as a cURL command line, to replay it in a terminal. Headers come from
 * the trace as the outcome holds them: secrets are already masked there and stay masked.
 */
import type { RequestTrace } from '../../../main/contract';

/** POSIX shell single-quoting: safe for any text, including quotes and newlines. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(trace: Pick<RequestTrace, 'method' | 'url' | 'headers' | 'body'>): string {
  const method = trace.method.toUpperCase();
  // curl sends GET by default, and POST once it has a body.
  const implied = (method === 'GET' && trace.body === null) || (method === 'POST' && trace.body !== null);
  const lines = [`curl ${implied ? '' : `-X ${shellQuote(method)} `}${shellQuote(trace.url)}`];
  for (const [name, value] of Object.entries(trace.headers)) {
    // curl computes these itself; a stale copy would make the request wrong.
    if (/^(content-length|host)$/i.test(name)) continue;
    lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (trace.body !== null) lines.push(`--data-raw ${shellQuote(trace.body)}`);
  return lines.join(' \\\n  ');
}
