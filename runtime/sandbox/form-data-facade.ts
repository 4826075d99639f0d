/**
 * The guest's `FormData` (the npm form-data package's API): values are strings, numbers
 * or Buffers (guests have no streams); the host form-data object stays private.
 */
import HostFormData from 'form-data';

const hosts = new WeakMap<object, HostFormData>();

function appendOptions(options: unknown): HostFormData.AppendOptions | string | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options === 'string') return options;
  if (typeof options !== 'object') throw new TypeError('FormData.append: options must be a filename string or an object');
  const source = options as Record<string, unknown>;
  const out: HostFormData.AppendOptions = {};
  if (source.filename !== undefined) out.filename = String(source.filename);
  if (source.contentType !== undefined) out.contentType = String(source.contentType);
  if (source.knownLength !== undefined) out.knownLength = Number(source.knownLength);
  if (source.filepath !== undefined) out.filepath = String(source.filepath);
  return out;
}

export class FormData {
  constructor() {
    hosts.set(this, new HostFormData());
  }

  #host(): HostFormData {
    const host = hosts.get(this);
    if (!host) throw new TypeError('Illegal invocation: not a FormData');
    return host;
  }

  append(name: unknown, value: unknown, options?: unknown): void {
    let data: string | Buffer;
    if (typeof value === 'string') data = value;
    else if (typeof value === 'number' || typeof value === 'boolean') data = String(value);
    else if (Buffer.isBuffer(value)) data = Buffer.from(value);
    else if (value instanceof Uint8Array) data = Buffer.from(value);
    else throw new TypeError('FormData.append: the value must be a string, number, boolean or Buffer (functions have no streams)');
    this.#host().append(String(name), data, appendOptions(options));
  }

  getBoundary(): string {
    return this.#host().getBoundary();
  }

  getHeaders(extra?: unknown): Record<string, string> {
    const headers = this.#host().getHeaders() as Record<string, string>;
    if (extra && typeof extra === 'object') {
      for (const key of Object.keys(extra)) headers[key.toLowerCase()] = String((extra as Record<string, unknown>)[key]);
    }
    return { ...headers };
  }

  getBuffer(): Buffer {
    return this.#host().getBuffer();
  }

  getLengthSync(): number {
    return this.#host().getLengthSync();
  }

  toString(): string {
    return '[object FormData]';
  }
}

export function isFormDataFacade(value: unknown): value is FormData {
  return typeof value === 'object' && value !== null && hosts.has(value);
}

export function formDataPayload(form: FormData): { bytes: Buffer; contentType: string } {
  return { bytes: form.getBuffer(), contentType: `multipart/form-data;boundary=${form.getBoundary()}` };
}
