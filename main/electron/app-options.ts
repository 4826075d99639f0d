/**
 * Command-line options of the desktop app (`fnstudio` launched through Electron).
 * Electron and Chromium put their own switches into argv; only ours are read here.
 */
export interface AppOptions {
  /** `--workspace DIR` / `--workspace=DIR`: overrides the workspace preference. */
  workspace: string | null;
}

export function parseAppOptions(argv: readonly string[]): AppOptions {
  let workspace: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--workspace') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new Error('--workspace needs a folder, e.g. --workspace ~/my-functions');
      }
      workspace = next;
      i++;
    } else if (arg.startsWith('--workspace=')) {
      const value = arg.slice('--workspace='.length);
      if (value === '') throw new Error('--workspace= needs a folder, e.g. --workspace=~/my-functions');
      workspace = value;
    }
  }
  return { workspace };
}
