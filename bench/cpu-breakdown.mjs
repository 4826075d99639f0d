// CPU time per event, per part of the pipeline, read from /proc (Linux): what a run cost in
// CPU rather than in wall-clock time, so it stays meaningful on a machine where other
// processes compete for the cores (wall-clock ratios then only say who got the CPU).
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (USER_HZ: 100 on every Linux Node supports). */
const TICKS_PER_SECOND = 100;

/** utime + stime in ticks of every thread of `pid`, by thread id; empty without /proc. */
function threadTicks(pid) {
  const ticks = new Map();
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return ticks;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(Number(tid), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return ticks;
}

export function hasProcThreads() {
  return threadTicks(process.pid).size > 0;
}

/** A snapshot of the CPU time of the threads of the given processes. */
export function cpuSnapshot(pids) {
  return new Map(pids.map((pid) => [pid, threadTicks(pid)]));
}

/**
 * CPU µs per event between two snapshots of one process: its main thread, its `busiest`
 * busiest other threads (the sandbox workers, when it runs the pool) and the rest (V8's
 * GC helpers, libuv). Threads that ended in between are not counted.
 */
export function perEvent(before, after, pid, events, busiest = 0) {
  const b = before.get(pid) ?? new Map();
  const a = after.get(pid) ?? new Map();
  const deltas = [];
  let main = 0;
  for (const [tid, ticks] of a) {
    const used = ticks - (b.get(tid) ?? ticks);
    if (tid === pid) main = used;
    else deltas.push(used);
  }
  deltas.sort((x, y) => y - x);
  const us = (ticks) => (ticks * 1e6) / TICKS_PER_SECOND / events;
  const sum = (list) => list.reduce((s, t) => s + t, 0);
  return { main: us(main), workers: us(sum(deltas.slice(0, busiest))), helpers: us(sum(deltas.slice(busiest))) };
}
