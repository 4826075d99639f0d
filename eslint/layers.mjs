/**
 * fnstudio's layers (shared/design/architecture.md) as options of the import-layers rule:
 * who may import whom, which packages each may load, and runtime/'s public entry.
 */
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.map((m) => m.replace(/^node:/, '').split('/')[0]);
const electronOnly = ['electron', 'electron-store'];

/** Every layer, nested folders first (the first match wins). */
export const layers = [
  { name: 'common', dirs: ['common'], mayImport: [], packages: { allow: [], why: 'the bottom layer is plain types and values that every side loads' } },
  { name: 'contract', dirs: ['main/contract'], mayImport: ['common'], packages: { allow: [], why: 'the contract is browser-safe: the renderer bundles it' } },
  { name: 'preload', dirs: ['main/preload'], mayImport: ['contract', 'common'], packages: { allow: ['electron'], why: 'a sandboxed preload can load only electron' } },
  { name: 'core', dirs: ['main/core'], mayImport: ['contract', 'common', 'runtime'], packages: { deny: electronOnly, why: 'core runs in plain Node; only main/electron may load Electron' } },
  { name: 'electron host', dirs: ['main/electron'], mayImport: ['core', 'contract', 'common', 'preload', 'runtime'] },
  { name: 'web host', dirs: ['main/webhost'], mayImport: ['core', 'contract', 'common', 'runtime'], packages: { deny: electronOnly, why: 'the web host runs in plain Node' } },
  // `fnstudio serve` is the web host started from the command line.
  { name: 'cli', dirs: ['main/cli'], mayImport: ['core', 'contract', 'common', 'runtime', 'web host'], packages: { deny: electronOnly, why: 'the CLI runs in plain Node' } },
  {
    name: 'runtime',
    dirs: ['runtime'],
    mayImport: ['common'],
    packages: { deny: [...electronOnly, 'keytar', 'ws', 'conf'], why: 'the runtime process holds no keychain, server or host state' },
  },
  {
    name: 'renderer',
    dirs: ['renderer/src'],
    // Values too, not only types: the contract is browser-safe (checked above), and the
    // renderer derives its API client from the contract's method table. Resources: the
    // runtime's .d.ts text, bundled for Monaco's IntelliSense.
    mayImport: ['contract', 'resources'],
    packages: { deny: [...new Set([...nodeBuiltins, ...electronOnly, 'keytar'])], why: 'the renderer is browser code; it reaches the host only through the contract' },
  },
  { name: 'resources', dirs: ['resources'], mayImport: ['runtime'] },
  { name: 'tests and tools', dirs: ['e2e', 'bench', 'scripts', 'eslint', 'renderer'], mayImport: ['common', 'contract', 'core', 'electron host', 'web host', 'cli', 'preload', 'runtime', 'renderer', 'resources'] },
];

/** The options of `fnstudio/import-layers` for a repository at `root`. */
export function layerRuleOptions(root) {
  return {
    root,
    layers,
    publicEntries: { runtime: ['runtime/index.ts', 'runtime/api.ts'] },
    // The runtime's test kit (a recording loopback server, sample events) serves tests of every layer.
    testEntries: { runtime: ['runtime/test-support.ts'] },
    packagesFreeIn: ['\\.test\\.tsx?$'],
  };
}
