// `npm start`: build when needed, then open the Electron app, or — where no Electron
// binary exists (it cannot be downloaded on every machine) — the browser version.
// Never `require('electron')` here: without its binary that call throws (or downloads).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const OUTPUTS = [
  'out/main/cli/main.js',
  'out/main/webhost/serve-command.js',
  'out/main/electron/main.js',
  'out/preload/preload.js',
  'out/renderer/index.html',
];
const SOURCES = ['main', 'runtime', 'renderer', 'resources', 'package.json', 'tsconfig.json', 'scripts/build-preload.mjs'];

/** Newest modification time under `p` (tests and dependencies do not affect the build). */
function newestMtime(p) {
  let stat;
  try {
    stat = statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(p) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(p)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

export function buildIsStale(root = repoRoot) {
  const outputs = OUTPUTS.map((o) => path.join(root, o));
  if (outputs.some((o) => !existsSync(o))) return true;
  const oldestOutput = Math.min(...outputs.map((o) => statSync(o).mtimeMs));
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > oldestOutput);
}

/** The Electron executable, found the way the electron package's index.js finds it; null when absent. */
export function electronBinary(root = repoRoot, env = process.env) {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = path.join(override, relative || 'electron');
    return existsSync(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const candidate = path.join(pkgDir, 'dist', relative);
  return existsSync(candidate) ? candidate : null;
}

/**
 * `npm run build` in one line: the compiler's and Vite's listing of every asset is noise to
 * someone starting the app, so it is kept back and shown only when the build fails.
 * Returns the build's exit status.
 */
export function buildQuietly(root = repoRoot, out = process.stderr) {
  out.write('fnstudio: building (npm run build)... ');
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) {
    out.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  }
  out.write('failed:\n');
  out.write(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}`);
  out.write('fnstudio: the build failed; see the errors above.\n');
  return result.status ?? 1;
}

/** Runs a child with the terminal; Ctrl+C reaches it directly, so the parent just waits. */
function runChild(command, args) {
  const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit' });
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (err) => {
    console.error(`fnstudio: cannot start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function start(extraArgs) {
  const root = repoRoot;
  if (buildIsStale(root)) {
    const status = buildQuietly(root);
    if (status !== 0) process.exit(status);
  }

  const electron = electronBinary(root);
  if (electron) {
    runChild(electron, [path.join(root, 'out', 'main', 'electron', 'main.js'), ...extraArgs]);
    return;
  }
  console.log('fnstudio: no Electron binary is available on this machine, so starting the browser version instead (fnstudio serve).');
  runChild(process.execPath, [path.join(root, 'bin', 'fnstudio.js'), 'serve', ...extraArgs]);
}

// Importable (tests) without starting anything.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await start(process.argv.slice(2));
}
