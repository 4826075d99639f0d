/**
 * The environment the runtime process gets. User code runs there, so host secrets in
 * the environment (AWS_*, tokens, NODE_OPTIONS) must not be reachable even if a facade
 * leaked `process.env`: only locale and time zone pass, which affect Date/Intl output.
 */
const PASSED = ['TZ', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_TIME', 'LC_NUMERIC', 'LC_COLLATE'] as const;

/**
 * Set for the runtime process whatever the host has. glibc gives each thread that mallocs
 * an arena of its own (up to 8 per core) and keeps what each one grew to; the workers,
 * V8's helpers and libuv's threads all allocate, so a 1 M-event replay's runtime process
 * peaked 15–17 MB higher with the default than with two arenas, at the same events per
 * second (bench/replay-bench.mjs, 2 cores). Other C libraries ignore the variable.
 */
const FIXED = { MALLOC_ARENA_MAX: '2' } as const;

export function runtimeProcessEnv(hostEnv: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED) {
    const value = hostEnv[key];
    if (typeof value === 'string') env[key] = value;
  }
  return { ...env, ...FIXED };
}
