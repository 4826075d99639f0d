/**
 * Test support: runs a TypeScript snippet in a child Node process attached to its own
 * keychain situation — a fresh gnome-keyring in a private D-Bus session (which the snippet
 * may lock), or no D-Bus session at all. libsecret binds to the session bus once per
 * process, so these situations cannot be staged inside the test process itself.
 * Only tests import this file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type KeyringSituation = 'unlocked' | 'no-bus';

export interface ScenarioResult {
  /** The JSON the snippet printed through `report(value)`. */
  report: unknown;
  stdout: string;
  stderr: string;
  code: number | null;
}

const REPO = resolve(__dirname, '../../..');

/**
 * Bundles `source` (imports resolve relative to `resolveDir`) and runs it. The snippet
 * gets a global `report(value)` that hands JSON back to the test, and `lockKeyring()`
 * which locks the login collection through the Secret Service D-Bus API.
 */
export async function runKeyringScenario(
  source: string,
  situation: KeyringSituation,
  resolveDir: string,
): Promise<ScenarioResult> {
  const esbuild = await import('esbuild');
  const scratch = mkdtempSync(join(tmpdir(), 'fnstudio-keyring-'));
  try {
    const prelude = `
      const __marker = '@@REPORT@@';
      (globalThis as any).report = (value: unknown) => { process.stdout.write('\\n' + __marker + JSON.stringify(value) + '\\n'); };
      // dbus-send comes with the dbus package itself (gdbus would need libglib2.0-bin).
      (globalThis as any).lockKeyring = () => require('node:child_process').execFileSync('dbus-send', ['--session', '--print-reply',
        '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock',
        'array:objpath:/org/freedesktop/secrets/collection/login'], { stdio: 'pipe' }).toString();
    `;
    const bundle = join(scratch, 'scenario.cjs');
    await esbuild.build({
      stdin: { contents: `${prelude}\n${source}`, resolveDir, loader: 'ts', sourcefile: 'scenario.ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // keytar is native: load the repository's build, by absolute path (ESM import() ignores NODE_PATH).
      plugins: [
        {
          name: 'external-keytar',
          setup(build) {
            build.onResolve({ filter: /^keytar$/ }, () => ({ path: require.resolve('keytar', { paths: [REPO] }), external: true }));
          },
        },
      ],
      outfile: bundle,
      logLevel: 'silent',
    });
    const dirs = ['data', 'config', 'cache', 'run', 'tmp'];
    for (const d of dirs) mkdirSync(join(scratch, d));
    chmodSync(join(scratch, 'run'), 0o700);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: scratch,
      NODE_PATH: join(REPO, 'node_modules'),
      XDG_DATA_HOME: join(scratch, 'data'),
      XDG_CONFIG_HOME: join(scratch, 'config'),
      XDG_CACHE_HOME: join(scratch, 'cache'),
      XDG_RUNTIME_DIR: join(scratch, 'run'),
      TMPDIR: join(scratch, 'tmp'),
    };
    let file: string;
    let args: string[];
    if (situation === 'no-bus') {
      env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(scratch, 'no-such-bus')}`;
      file = process.execPath;
      args = [bundle];
    } else {
      const script = join(scratch, 'session.sh');
      writeFileSync(
        script,
        `echo -n scenario-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null\nexec "${process.execPath}" "${bundle}"\n`,
      );
      file = 'dbus-run-session';
      args = ['--', 'bash', script];
    }
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((done) => {
      execFile(file, args, { env, cwd: scratch, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 }, (err, out, errOut) => {
        const status = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? null : 0;
        done({ stdout: String(out), stderr: String(errOut), code: status });
      });
    });
    const line = stdout.split('\n').find((l) => l.startsWith('@@REPORT@@'));
    const report: unknown = line ? JSON.parse(line.slice('@@REPORT@@'.length)) : undefined;
    return { report, stdout, stderr, code };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Fails loudly when a test meant for the real keychain runs without a D-Bus session. */
export function requireSessionBus(): void {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error(
      'keychain tests need a Secret Service: run them through `npm test` or ' +
        "`dbus-run-session -- bash -c 'echo -n pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run …'`",
    );
  }
}
