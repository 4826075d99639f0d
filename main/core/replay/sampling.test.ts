/**
 * Consistent sampling by path must decide as Segment does. tsub (Segment's own filter
 * library) carries the algorithm, but under Node its md5 and ldexp dependencies are broken;
 * here tsub's sampler runs with those two replaced by correct ones (Node's MD5 bytes, an
 * exact power-of-two scale) and must agree with ours on every decision.
 *
 * Only where the digest's top bit is set: for the other half, tsub's refill of the
 * leading zero bits keeps 64 - n bits where it means n (`val.splice(64 - leadingZeros)`),
 * so its significand grows past 64 bits and it drops every such event whatever the
 * percent. Segment's servers run the Go sampler tsub says it must equal; ours follows it.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { consistentFraction } from './filters';

type Transform = (payload: Record<string, unknown>, transformers: unknown[]) => Record<string, unknown> | null;

/** tsub's transform with its two broken dependencies swapped in the require cache. */
function tsubWithWorkingDependencies(): Transform {
  const tsubRequire = createRequire(createRequire(__filename).resolve('@segment/tsub/dist/transformers.js'));
  const swap = (id: string, replacement: unknown): void => {
    const resolved = tsubRequire.resolve(id);
    tsubRequire(id);
    const cached = tsubRequire.cache[resolved];
    if (!cached) throw new Error(`${id} is not in the require cache`);
    cached.exports = replacement;
  };
  // tsub reads digest[i] as bytes.
  swap('tiny-hashes/md5', (text: string) => [...createHash('md5').update(text).digest()]);
  swap('@stdlib/math-base-special-ldexp', (fraction: number, exponent: number) => fraction * 2 ** exponent);
  const transformersPath = tsubRequire.resolve('@segment/tsub/dist/transformers.js');
  delete tsubRequire.cache[transformersPath];
  return (tsubRequire(transformersPath) as { default: Transform }).default;
}

describe('consistent sampling by path', () => {
  it('decides as tsub (Segment) does for thousands of values and percents', () => {
    const transform = tsubWithWorkingDependencies();
    let disagreements = 0;
    let kept = 0;
    const percents = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99];
    let compared = 0;
    for (let i = 0; compared < 3000; i++) {
      const userId = i % 3 === 0 ? i : `user-${i}`;
      if (createHash('md5').update(JSON.stringify(userId)).digest()[0] < 128) continue;
      compared++;
      for (const percent of percents) {
        const theirs = transform({ userId }, [{ type: 'sample_event', config: { sample: { percent, path: 'userId' } } }]) !== null;
        const ours = consistentFraction(userId) < percent;
        if (theirs !== ours) disagreements++;
        if (ours) kept++;
      }
    }
    expect(disagreements).toBe(0);
    // Not a constant: these fractions lie in [0.5, 1), so about mean(max(0, p - 0.5) * 2) is kept.
    const expected = percents.reduce((sum, p) => sum + Math.max(0, p - 0.5) * 2, 0) / percents.length;
    expect(kept / (3000 * percents.length)).toBeGreaterThan(expected - 0.03);
    expect(kept / (3000 * percents.length)).toBeLessThan(expected + 0.03);
  });

  it('keeps about its percent over all values, including those whose digest starts with zero bits', () => {
    for (const percent of [0.1, 0.5, 0.9]) {
      let kept = 0;
      for (let i = 0; i < 20000; i++) if (consistentFraction(`user-${i}`) < percent) kept++;
      expect(kept / 20000).toBeGreaterThan(percent - 0.02);
      expect(kept / 20000).toBeLessThan(percent + 0.02);
    }
  });

  it('keeps precision for values whose digest starts with zero bits', () => {
    // A value whose MD5 starts with a zero byte: its fraction is below 2^-8 but not zero.
    let value = 0;
    while (createHash('md5').update(JSON.stringify(`v${value}`)).digest()[0] !== 0) value++;
    const fraction = consistentFraction(`v${value}`);
    expect(fraction).toBeGreaterThan(0);
    expect(fraction).toBeLessThan(2 ** -8);
    expect(consistentFraction(`v${value}`)).toBe(fraction);
  });
});
