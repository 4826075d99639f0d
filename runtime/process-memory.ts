/**
 * The runtime process's memory as the pool's host-side memory limit measures it (see
 * WorkerPool.sampleMemory). Resident memory (RSS) misses an ArrayBuffer whose pages were
 * never written: a zero-filled buffer is mapped but costs no RAM until touched, so a
 * synchronous loop reserving them would only meet the time limit. On Linux the process's
 * writable private mappings (VmData in /proc/self/status) count such a buffer from the
 * moment it is allocated, and include everything RSS counts for the heap and buffers; V8's
 * address-space reservations (mapped without access) stay out of it.
 */
import { readFileSync } from 'node:fs';

let vmDataReadable = process.platform === 'linux';

/** VmData on Linux; resident memory where /proc is not there to read. */
export function processMemoryBytes(): number {
  if (vmDataReadable) {
    try {
      const match = /^VmData:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'latin1'));
      if (match) return Number(match[1]) * 1024;
    } catch {
      // Reported by RSS below from now on.
    }
    vmDataReadable = false;
  }
  return process.memoryUsage.rss();
}
