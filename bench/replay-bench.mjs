// The replay section of `npm run bench`:
//   - end-to-end replay throughput (read NDJSON, parse, delivery rules, invokeMany, aggregate,
//     write the run record) against the pool's bare invokeMany for the same handler, runtime
//     and events, in alternating rounds, each replay against the mean of the pool phases
//     before and after it (target: ratio >= 0.8, the median decides);
//   - peak RSS of the whole process tree of `fnstudio replay` on a generated gzipped
//     1 M-event capture (target < 300 MB), sampled from /proc every 100 ms.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { cpuSnapshot, hasProcThreads, perEvent } from './cpu-breakdown.mjs';

export const TARGET_REPLAY_RATIO = 0.8;
export const TARGET_PEAK_RSS_MB = 300;
const REPLAY_EVENTS = Number(process.env.FNSTUDIO_BENCH_REPLAY_EVENTS ?? 1_000_000);

/** Writes `count` events as NDJSON (gzipped when the name ends in .gz), streaming. */
async function writeCapture(file, count, trackEvent) {
  const out = createWriteStream(file);
  const sink = file.endsWith('.gz') ? createGzip({ level: 1 }) : null;
  if (sink) sink.pipe(out);
  const target = sink ?? out;
  for (let i = 0; i < count; i++) {
    if (!target.write(JSON.stringify(trackEvent(i)) + '\n')) await new Promise((resolve) => target.once('drain', resolve));
  }
  await new Promise((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    target.end();
  });
}

/**
 * CPU µs per event of one phase, by part: the host's main thread (the bench's: replay's
 * engine, or the pool's feeder), the runtime process's main thread (the relay), its
 * `workers` busiest threads (the sandbox) and the helper threads of both (GC, libuv:
 * file writes and gunzip run there).
 */
function cpuParts(before, after, runtimePid, events, workers) {
  const host = perEvent(before, after, process.pid, events, 0);
  const runtime = perEvent(before, after, runtimePid, events, workers);
  const parts = { host: host.main, relay: runtime.main, workers: runtime.workers, helpers: host.helpers + runtime.helpers };
  return { ...parts, total: parts.host + parts.relay + parts.workers + parts.helpers };
}

function medianParts(list) {
  if (list.length === 0) return null;
  const out = {};
  for (const key of Object.keys(list[0])) {
    const sorted = list.map((p) => p[key]).sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    out[key] = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
  return out;
}

/**
 * Replay vs invokeMany on one warm runtime: each round runs the pool for `phaseMs`, then
 * replays a capture sized to take about as long. Returns every round and the median, and
 * (with /proc) the CPU per event of each part for both, the median over the rounds: unlike
 * events/s it barely depends on what else runs on the machine.
 */
export async function compareReplayWithPool({ root, createRuntime, workers, handler, settings, mockRules, trackEvent, request, timedLanes, bulkSize, bulkInFlight, phaseMs, rounds }) {
  const { replay } = await import(path.join(root, 'out', 'main', 'core', 'replay', 'engine.js'));
  const { resolveInputs } = await import(path.join(root, 'out', 'main', 'core', 'replay', 'input.js'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-bench-replay-'));
  let runtimePid = process.pid;
  const runtime = createRuntime({ workers, onSpawn: (pid) => (runtimePid = pid) });
  const cpu = { replay: [], pool: [] };
  const withCpu = hasProcThreads();
  /** Runs one phase; with /proc, records its CPU per event under `side`. */
  const timed = async (side, run, eventsOf) => {
    const pids = [...new Set([process.pid, runtimePid])];
    const before = withCpu ? cpuSnapshot(pids) : null;
    const result = await run();
    if (before && runtimePid !== process.pid) cpu[side].push(cpuParts(before, cpuSnapshot(pids), runtimePid, eventsOf(result), workers));
    return result;
  };
  try {
    let next = 0;
    const batch = () => Array.from({ length: bulkSize }, () => request('bench-realistic', handler, next++));
    const poolPhase = () => timed('pool', () => timedLanes(bulkInFlight, () => runtime.invokeMany(batch()), phaseMs), (p) => p.events);
    // Warm-up: the same events through both paths.
    await timedLanes(bulkInFlight, () => runtime.invokeMany(batch()), 2000);
    const measured = [];
    // Each replay is judged against the pool phases just before and just after it, so a
    // burst of other work on the machine weighs on both sides of the ratio.
    let before = await poolPhase();
    for (let r = 0; r < rounds; r++) {
      const count = Math.max(2000, Math.round((before.eventsPerSecond * phaseMs) / 1000));
      const file = path.join(dir, `capture-${r}.ndjson`);
      await writeCapture(file, count, trackEvent);
      const sources = await resolveInputs([file]);
      const summary = await timed('replay', () => replay({
        runtime,
        target: { functionId: 'bench-realistic', code: handler, filename: 'handler.js' },
        sources,
        settings,
        mockRules,
        destinationName: 'Bench (Workspace)',
        recordDir: path.join(dir, `record-${r}`),
        seed: r,
      }), (result) => result.total);
      if (summary.delivered !== count) throw new Error(`bench replay: ${summary.delivered} of ${count} events delivered (${JSON.stringify(summary.byOutcome)})`);
      rmSync(file, { force: true });
      rmSync(path.join(dir, `record-${r}`), { recursive: true, force: true });
      const after = await poolPhase();
      const pool = (before.eventsPerSecond + after.eventsPerSecond) / 2;
      measured.push({ pool, replay: summary.eventsPerSecond, events: count, ratio: summary.eventsPerSecond / pool });
      before = after;
    }
    const byRatio = [...measured].sort((a, b) => a.ratio - b.ratio);
    return { rounds: measured, median: byRatio[Math.floor(byRatio.length / 2)], cpu: { replay: medianParts(cpu.replay), pool: medianParts(cpu.pool) } };
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * RSS (bytes) of `pid` and of its descendants, from /proc: `host` is the process itself,
 * `children` all its descendants (the runtime process and whatever it starts); null where
 * /proc is missing.
 */
function treeRss(pid) {
  let children;
  try {
    children = new Map();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (!children.has(ppid)) children.set(ppid, []);
        children.get(ppid).push(Number(entry));
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return null;
  }
  const rssOf = (p) => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    } catch {
      return 0; // gone
    }
  };
  let descendants = 0;
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length > 0) {
    const p = stack.pop();
    descendants += rssOf(p);
    stack.push(...(children.get(p) ?? []));
  }
  return { host: rssOf(pid), children: descendants };
}

/**
 * `fnstudio replay` as a user runs it, on a generated gzipped capture of REPLAY_EVENTS
 * events; the process tree's RSS is sampled while it runs.
 */
export async function measureBigReplay({ root, handler, settings, mockRules, trackEvent }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-bench-replay-1m-'));
  try {
    const fn = path.join(dir, 'bench-fn');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(fn);
    writeFileSync(path.join(fn, 'handler.js'), handler);
    writeFileSync(path.join(fn, 'function.json'), JSON.stringify({ displayName: 'Bench', description: '', resourceType: 'DESTINATION', settings: [] }));
    writeFileSync(path.join(fn, 'mocks.json'), JSON.stringify(mockRules));
    writeFileSync(path.join(fn, 'settings.json'), JSON.stringify(settings));
    const capture = path.join(dir, 'capture.ndjson.gz');
    const generated = performance.now();
    await writeCapture(capture, REPLAY_EVENTS, trackEvent);
    const generateMs = performance.now() - generated;
    const child = spawn(process.execPath, [path.join(root, 'bin', 'fnstudio.js'), 'replay', fn, capture, '--settings', path.join(fn, 'settings.json'), '--json', '--out', path.join(dir, 'runs')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    // The tree's peak, and each side's own peak (they need not coincide in time).
    const peak = { tree: 0, host: 0, runtime: 0 };
    let sampled = false;
    const timer = setInterval(() => {
      const rss = treeRss(child.pid);
      if (rss !== null) {
        sampled = true;
        peak.tree = Math.max(peak.tree, rss.host + rss.children);
        peak.host = Math.max(peak.host, rss.host);
        peak.runtime = Math.max(peak.runtime, rss.children);
      }
    }, 100);
    const code = await new Promise((resolve) => child.on('close', resolve));
    clearInterval(timer);
    if (code !== 0) throw new Error(`fnstudio replay exited ${code}: ${stderr.slice(-500)}`);
    const summary = JSON.parse(stdout);
    const mb = (bytes) => (sampled ? bytes / 1024 / 1024 : null);
    return { events: REPLAY_EVENTS, generateMs, peakRssMb: mb(peak.tree), hostPeakRssMb: mb(peak.host), runtimePeakRssMb: mb(peak.runtime), summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
