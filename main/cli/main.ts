/** Entry point of the `fnstudio` command. Returns the process exit status. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write('Usage: fnstudio <command> [options]\n\nCommands:\n  run    run a destination function against an event\n');
    return 0;
  }
  process.stderr.write(`fnstudio: unknown command '${argv[0]}'. Run 'fnstudio --help'.\n`);
  return 2;
}
