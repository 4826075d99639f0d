/**
 * Each function instance's own `Math`: the worker's Math, with a `random` of its own. V8
 * keeps one Math.random state per realm, and every compartment in a worker shares the
 * realm, so a function drawing numbers would change what the next function draws (and could
 * learn the shared state from its own draws). Each instance gets a generator seeded from
 * the OS's random source; the numbers are uniform doubles in [0, 1) on a 2^-53 grid, as
 * Math.random's are (V8's have 52 random bits).
 */
import { randomFillSync } from 'node:crypto';

/** A xoshiro128** generator over the four 32-bit words of `seed` (not all zero). */
export function createRandom(seed: Uint32Array): () => number {
  if (seed.length !== 4 || seed.every((word) => word === 0)) throw new RangeError('createRandom needs four 32-bit words, not all zero');
  let [a, b, c, d] = seed;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  // Method syntax: like the built-in, not a constructor, named `random`, length 0.
  return {
    random(this: void): number {
      return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
    },
  }.random;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function osSeed(): Uint32Array {
  const seed = new Uint32Array(4);
  do randomFillSync(seed);
  while (seed.every((word) => word === 0));
  return seed;
}

/** A hardened copy of Math (same members, prototype and attributes) with its own `random`. */
export function createInstanceMath(seed: Uint32Array = osSeed()): typeof Math {
  const random = createRandom(seed);
  const math = Object.create(Object.getPrototypeOf(Math) as object | null) as typeof Math;
  for (const key of Reflect.ownKeys(Math)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(Math, key)!;
    Object.defineProperty(math, key, key === 'random' ? { ...descriptor, value: random } : descriptor);
  }
  return harden(math);
}
