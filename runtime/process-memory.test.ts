import { describe, expect, it } from 'vitest';
import { processMemoryBytes } from './process-memory';

const MB = 1024 * 1024;

describe('processMemoryBytes', () => {
  it.runIf(process.platform === 'linux')('counts an ArrayBuffer that was never written, which resident memory does not', () => {
    const rssBefore = process.memoryUsage.rss();
    const before = processMemoryBytes();
    const untouched = new ArrayBuffer(256 * MB);
    const after = processMemoryBytes();
    const rssAfter = process.memoryUsage.rss();
    expect(untouched.byteLength).toBe(256 * MB);
    expect(after - before).toBeGreaterThanOrEqual(250 * MB);
    // The premise: untouched pages cost no RAM, so RSS alone would miss them.
    expect(rssAfter - rssBefore).toBeLessThan(64 * MB);
  });
});
