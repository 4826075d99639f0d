import { describe, expect, it } from 'vitest';
import { createRandom } from './math-facade';

const seed = (...words: number[]) => Uint32Array.from(words);

describe('createRandom (each function instance’s Math.random)', () => {
  it('draws a sequence determined by its own seed alone', () => {
    const a = createRandom(seed(1, 2, 3, 4));
    const b = createRandom(seed(1, 2, 3, 4));
    const other = createRandom(seed(0xdeadbeef, 0x01234567, 0x89abcdef, 0xfeedface));
    // Draws from one generator leave another's sequence where it was.
    const fromA = Array.from({ length: 1000 }, () => a());
    const fromB = Array.from({ length: 1000 }, () => b());
    expect(fromB).toEqual(fromA);
    const fromOther = Array.from({ length: 1000 }, () => other());
    expect(fromOther.filter((x, i) => x === fromA[i])).toEqual([]);
  });

  it('gives uniform doubles in [0, 1) on the 2^-53 grid, as Math.random does', () => {
    const random = createRandom(seed(0x9e3779b9, 0x243f6a88, 0xb7e15162, 1));
    const n = 200_000;
    const buckets = new Array<number>(20).fill(0);
    let sum = 0;
    let oddUnits = 0;
    let outside = 0;
    let offGrid = 0;
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const x = random();
      if (!(x >= 0 && x < 1)) outside++;
      buckets[Math.min(19, Math.floor(x * 20))]++;
      sum += x;
      const units = x * 2 ** 53;
      if (!Number.isInteger(units)) offGrid++;
      if (units % 2 === 1) oddUnits++;
      seen.add(x);
    }
    expect({ outside, offGrid }).toEqual({ outside: 0, offGrid: 0 });
    // Bounds far outside chance (each bucket's standard deviation is ~97) for a uniform source.
    for (const count of buckets) expect(Math.abs(count - n / 20)).toBeLessThan(600);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    // The lowest of the 53 bits is random too, not always 0.
    expect(Math.abs(oddUnits / n - 0.5)).toBeLessThan(0.01);
    expect(seen.size).toBe(n);
  });

  it('looks like the built-in: named random, no arguments, not a constructor', () => {
    const random = createRandom(seed(5, 6, 7, 8));
    expect(random.name).toBe('random');
    expect(random.length).toBe(0);
    expect(() => new (random as unknown as new () => unknown)()).toThrow(TypeError);
  });

  it('refuses a seed that is not four words or is all zero', () => {
    expect(() => createRandom(seed(0, 0, 0, 0))).toThrow(/not all zero/);
    expect(() => createRandom(seed(1, 2, 3))).toThrow(/four 32-bit words/);
  });
});
