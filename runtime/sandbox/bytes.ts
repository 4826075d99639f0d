/** Binary values guests hand to facades, copied so the host never keeps a guest's buffer. */

/** A copy of a Buffer, typed array, DataView or ArrayBuffer as a Buffer; null for anything else. */
export function copyBytes(value: unknown): Buffer | null {
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (value instanceof ArrayBuffer) return Buffer.from(new Uint8Array(value.slice(0)));
  if (ArrayBuffer.isView(value)) return Buffer.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  return null;
}
