/** Child processes the e2e helpers start (the web host, private D-Bus and keyring daemons). */
import type { ChildProcess } from 'node:child_process';

/** Asks a child to stop (SIGTERM), forces it after 5 s, and resolves once it has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
