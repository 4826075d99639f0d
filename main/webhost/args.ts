/** `fnstudio serve` command-line arguments. */

export interface ServeArgs {
  /** 0 picks a free port. */
  port: number;
  workspace: string | null;
  open: boolean;
  help: boolean;
}

export const SERVE_USAGE = `Usage: fnstudio serve [--port N] [--workspace DIR] [--no-open]

Serves the fnstudio studio to your browser on http://127.0.0.1 only.

  --port N          port to listen on (default: a free port)
  --workspace DIR   folder of functions (default: $FNSTUDIO_WORKSPACE, the
                    workspacePath preference, or ~/fnstudio-functions)
  --no-open         do not open the system browser
  -h, --help        show this help

The URL printed on start contains this run's token: keep it private. The browser
that serve opens gets a link good for one visit instead, so the token never shows on a
command line.`;

export class ServeArgsError extends Error {
  override readonly name = 'ServeArgsError';
}

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const args: ServeArgs = { port: 0, workspace: null, open: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new ServeArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const raw = value();
        if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new ServeArgsError(`--port must be a number from 0 to 65535, got "${raw}"`);
        args.port = Number(raw);
        break;
      }
      case '--workspace': {
        const v = value();
        if (v.trim() === '') throw new ServeArgsError('--workspace must not be empty');
        args.workspace = v;
        break;
      }
      case '--no-open':
        args.open = false;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        throw new ServeArgsError(`unknown argument "${arg}"`);
    }
  }
  return args;
}
