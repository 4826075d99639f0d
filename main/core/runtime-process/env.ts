/**
 * The environment the runtime process gets. User code runs there, so host secrets in
 * the environment (AWS_*, tokens, NODE_OPTIONS) must not be reachable even if a facade
 * leaked `process.env`: only locale and time zone pass, which affect Date/Intl output.
 */
const PASSED = ['TZ', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_TIME', 'LC_NUMERIC', 'LC_COLLATE'] as const;

export function runtimeProcessEnv(hostEnv: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED) {
    const value = hostEnv[key];
    if (typeof value === 'string') env[key] = value;
  }
  return env;
}
