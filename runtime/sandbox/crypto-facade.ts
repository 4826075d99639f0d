/**
 * The guest's `crypto`: the parts of Node's crypto module destination functions use
 * (hashes, HMACs, ciphers, signatures, random values), each returning strings, Buffers or
 * small hardened wrapper objects. Node's Hash/Hmac/Cipher objects are streams and stay
 * private to the wrappers.
 */
import nodeCrypto from 'node:crypto';

type Data = string | Buffer | NodeJS.ArrayBufferView;

function data(value: unknown, what: string): Data {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value as Data;
  if (value instanceof ArrayBuffer) return Buffer.from(new Uint8Array(value));
  throw new TypeError(`crypto: ${what} must be a string, Buffer or typed array`);
}

function encoding(value: unknown): BufferEncoding | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if (!Buffer.isEncoding(text)) throw new TypeError(`crypto: unknown encoding ${JSON.stringify(text)}`);
  return text;
}

/** Keys: strings, Buffers, or `{key, passphrase, padding, dsaEncoding, format, type}` objects copied to plain data. */
function keyInput(value: unknown): nodeCrypto.KeyLike | nodeCrypto.SignPrivateKeyInput {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const key = source.key;
    if (typeof key !== 'string' && !Buffer.isBuffer(key)) throw new TypeError('crypto: key.key must be a string or Buffer');
    const out: Record<string, unknown> = { key };
    for (const name of ['passphrase', 'format', 'type', 'dsaEncoding', 'encoding']) if (source[name] !== undefined) out[name] = String(source[name]);
    for (const name of ['padding', 'saltLength']) if (source[name] !== undefined) out[name] = Number(source[name]);
    return out as unknown as nodeCrypto.SignPrivateKeyInput;
  }
  throw new TypeError('crypto: a key must be a string, Buffer or {key, passphrase} object');
}

function digestOut(result: Buffer, enc: unknown): string | Buffer {
  const e = encoding(enc);
  return e ? result.toString(e) : result;
}

class Hash {
  readonly #hash: nodeCrypto.Hash | nodeCrypto.Hmac;
  constructor(hash: nodeCrypto.Hash | nodeCrypto.Hmac) {
    this.#hash = hash;
  }
  update(value: unknown, inputEncoding?: unknown): this {
    const d = data(value, 'data');
    if (typeof d === 'string') this.#hash.update(d, encoding(inputEncoding) ?? 'utf8');
    else this.#hash.update(d);
    return this;
  }
  digest(outputEncoding?: unknown): string | Buffer {
    const e = encoding(outputEncoding);
    // Straight to the string for the usual encodings: no intermediate Buffer.
    if (e === 'hex' || e === 'base64') return this.#hash.digest(e);
    return digestOut(this.#hash.digest(), e);
  }
  copy(): Hash {
    const hash = this.#hash;
    if (!('copy' in hash)) throw new TypeError('crypto: an Hmac cannot be copied');
    return new Hash((hash).copy());
  }
}

class Cipher {
  readonly #cipher: nodeCrypto.Cipher | nodeCrypto.Decipher;
  constructor(cipher: nodeCrypto.Cipher | nodeCrypto.Decipher) {
    this.#cipher = cipher;
  }
  update(value: unknown, inputEncoding?: unknown, outputEncoding?: unknown): string | Buffer {
    const d = data(value, 'data');
    const result = typeof d === 'string'
      ? this.#cipher.update(d, (encoding(inputEncoding) ?? 'utf8'))
      : this.#cipher.update(d);
    return digestOut(result, outputEncoding);
  }
  final(outputEncoding?: unknown): string | Buffer {
    return digestOut(this.#cipher.final(), outputEncoding);
  }
  setAutoPadding(value?: unknown): this {
    this.#cipher.setAutoPadding(value === undefined ? true : Boolean(value));
    return this;
  }
  setAAD(value: unknown): this {
    (this.#cipher as nodeCrypto.CipherGCM).setAAD(Buffer.from(data(value, 'AAD') as Buffer));
    return this;
  }
  getAuthTag(): Buffer {
    return (this.#cipher as nodeCrypto.CipherGCM).getAuthTag();
  }
  setAuthTag(value: unknown): this {
    (this.#cipher as nodeCrypto.DecipherGCM).setAuthTag(Buffer.from(data(value, 'auth tag') as Buffer));
    return this;
  }
}

class Signer {
  readonly #signer: nodeCrypto.Sign | nodeCrypto.Verify;
  constructor(signer: nodeCrypto.Sign | nodeCrypto.Verify) {
    this.#signer = signer;
  }
  update(value: unknown, inputEncoding?: unknown): this {
    const d = data(value, 'data');
    if (typeof d === 'string') this.#signer.update(d, encoding(inputEncoding) ?? 'utf8');
    else this.#signer.update(d);
    return this;
  }
  sign(key: unknown, outputEncoding?: unknown): string | Buffer {
    return digestOut((this.#signer as nodeCrypto.Sign).sign(keyInput(key)), outputEncoding);
  }
  verify(key: unknown, signature: unknown, signatureEncoding?: unknown): boolean {
    const sig = data(signature, 'signature');
    const bytes = typeof sig === 'string' ? Buffer.from(sig, encoding(signatureEncoding) ?? 'base64') : sig;
    return (this.#signer as nodeCrypto.Verify).verify(keyInput(key) as nodeCrypto.KeyLike, bytes);
  }
}

function optionsOf(value: unknown): nodeCrypto.CipherGCMOptions | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const tag = (value as Record<string, unknown>).authTagLength;
  return tag === undefined ? undefined : { authTagLength: Number(tag) };
}

export function createCryptoFacade(): object {
  harden(Hash);
  harden(Cipher);
  harden(Signer);
  return harden({
    createHash: (algorithm: unknown) => new Hash(nodeCrypto.createHash(String(algorithm))),
    createHmac: (algorithm: unknown, key: unknown) => new Hash(nodeCrypto.createHmac(String(algorithm), data(key, 'key'))),
    createCipheriv: (algorithm: unknown, key: unknown, iv: unknown, options?: unknown) =>
      new Cipher(nodeCrypto.createCipheriv(String(algorithm), data(key, 'key') as nodeCrypto.CipherKey, iv === null ? null : (data(iv, 'iv')), optionsOf(options) as nodeCrypto.CipherGCMOptions)),
    createDecipheriv: (algorithm: unknown, key: unknown, iv: unknown, options?: unknown) =>
      new Cipher(nodeCrypto.createDecipheriv(String(algorithm), data(key, 'key') as nodeCrypto.CipherKey, iv === null ? null : (data(iv, 'iv')), optionsOf(options) as nodeCrypto.CipherGCMOptions)),
    createSign: (algorithm: unknown) => new Signer(nodeCrypto.createSign(String(algorithm))),
    createVerify: (algorithm: unknown) => new Signer(nodeCrypto.createVerify(String(algorithm))),
    randomBytes: (size: unknown) => {
      const n = Number(size);
      if (!Number.isInteger(n) || n < 0 || n > 65536) throw new RangeError('crypto.randomBytes: size must be an integer from 0 to 65536');
      return nodeCrypto.randomBytes(n);
    },
    randomUUID: () => nodeCrypto.randomUUID(),
    randomInt: (min: unknown, max?: unknown) => (max === undefined ? nodeCrypto.randomInt(Number(min)) : nodeCrypto.randomInt(Number(min), Number(max))),
    getRandomValues: (array: unknown) => {
      if (!ArrayBuffer.isView(array) || array instanceof DataView) throw new TypeError('crypto.getRandomValues: argument must be an integer typed array');
      return nodeCrypto.getRandomValues(array as Uint8Array);
    },
    timingSafeEqual: (a: unknown, b: unknown) => nodeCrypto.timingSafeEqual(data(a, 'a') as NodeJS.ArrayBufferView, data(b, 'b') as NodeJS.ArrayBufferView),
    pbkdf2Sync: (password: unknown, salt: unknown, iterations: unknown, keylen: unknown, digest: unknown) =>
      nodeCrypto.pbkdf2Sync(data(password, 'password'), data(salt, 'salt'), Number(iterations), Number(keylen), String(digest)),
    getHashes: () => nodeCrypto.getHashes(),
    getCiphers: () => nodeCrypto.getCiphers(),
  });
}
