/**
 * atob, btoa (the npm packages' Node behaviour: Buffer-based base64) and xml (xml 1.0.1),
 * each a hardened function taking and returning plain data. xml's streaming mode would
 * hand out a Node stream, so it is refused.
 */
import xmlPackage from 'xml';
import { toPlainData } from './plain-data';

export function atob(input: unknown): string {
  if (arguments.length === 0) throw new TypeError('atob: 1 argument required');
  return Buffer.from(String(input), 'base64').toString('binary');
}

export function btoa(input: unknown): string {
  if (arguments.length === 0) throw new TypeError('btoa: 1 argument required');
  const value = Buffer.isBuffer(input) ? input : Buffer.from(String(input), 'binary');
  return value.toString('base64');
}

export function xml(input?: unknown, options?: unknown): string {
  let opts: xmlPackage.Option | undefined;
  if (typeof options === 'boolean') opts = { indent: options ? '\t' : undefined };
  else if (typeof options === 'string') opts = { indent: options };
  else if (options && typeof options === 'object') {
    const source = options as Record<string, unknown>;
    if (source.stream) throw new TypeError('xml: the stream option is not available in functions');
    opts = {};
    if (source.indent !== undefined) opts.indent = String(source.indent);
    if (source.declaration !== undefined) {
      opts.declaration = typeof source.declaration === 'object' && source.declaration !== null
        ? (toPlainData(source.declaration) as { encoding?: string; standalone?: string })
        : Boolean(source.declaration);
    }
  }
  return xmlPackage(toPlainData(input) as xmlPackage.XmlObject, opts);
}
