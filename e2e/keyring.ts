/**
 * A real gnome-keyring of one test's own: a private D-Bus session bus plus a
 * gnome-keyring-daemon on it, whose login keyring the test can lock and unlock.
 *
 * Same approach as the unit tests' runKeyringScenario (main/core/secrets/private-keyring.testkit.ts):
 * a fresh daemon unlocked with a password on stdin, locked through the Secret Service's
 * own Lock method. What differs is that the web host under test must talk to it, so the
 * bus is started here and its address handed over instead of wrapping a process in
 * dbus-run-session; and unlocking again needs the daemon's control socket, since the
 * Secret Service's Unlock only ever answers with a prompt (a dialog nobody can answer here).
 *
 * Both daemons are children of the test process, started with --nofork/--foreground so
 * that stop() ends exactly them, by pid. The outer session (npm test's dbus-run-session,
 * or a developer's desktop) is never contacted: every call names the private bus.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './child-process';

export interface PrivateKeyring {
  /** The private bus, as DBUS_SESSION_BUS_ADDRESS for the process that should use it. */
  address: string;
  /** Locks the login collection (Secret Service Lock), and checks that it took. */
  lock(): Promise<void>;
  /** Unlocks it with its password (the daemon's control socket), and checks that it took. */
  unlock(): Promise<void>;
  locked(): Promise<boolean>;
  /** Ends both daemons and removes their files. Safe to call twice. */
  stop(): Promise<void>;
  /** Pids of the daemons, so a test can check they are gone. */
  pids(): number[];
}

const PASSWORD = 'fnstudio-e2e-keyring';
const LOGIN = '/org/freedesktop/secrets/collection/login';
const START_TIMEOUT_MS = 30_000;

export async function startPrivateKeyring(): Promise<PrivateKeyring> {
  const dir = mkdtempSync(join(tmpdir(), 'fnstudio-keyring-'));
  const run = join(dir, 'run');
  const data = join(dir, 'data');
  const home = join(dir, 'home');
  for (const d of [run, data, home]) mkdirSync(d, { mode: 0o700 });
  chmodSync(run, 0o700);

  const children: ChildProcess[] = [];
  const stop = async () => {
    // The keyring first: with its bus gone first it would log a disconnect and exit on its own,
    // but ending it by pid is what makes "nothing left running" certain.
    for (const child of children.reverse()) await stopChild(child);
    children.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // A bus of our own with no service directories: nothing can be D-Bus-activated on it, so a
    // locked keyring cannot start a prompter, and no second keyring daemon can appear on it.
    const config = join(dir, 'bus.conf');
    writeFileSync(
      config,
      [
        '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"',
        ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">',
        '<busconfig>',
        '  <type>session</type>',
        `  <listen>unix:dir=${xmlText(run)}</listen>`,
        '  <auth>EXTERNAL</auth>',
        '  <policy context="default">',
        '    <allow send_destination="*" eavesdrop="true"/>',
        '    <allow eavesdrop="true"/>',
        '    <allow own="*"/>',
        '  </policy>',
        '</busconfig>',
        '',
      ].join('\n'),
    );
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_RUNTIME_DIR: run, XDG_DATA_HOME: data, XDG_CONFIG_HOME: join(home, '.config') };
    const bus = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(bus);
    const address = await Promise.race([firstLine(bus, 'dbus-daemon'), spawnFailure(bus, 'dbus-daemon')]);

    // --unlock creates the login keyring with this password (the directory is empty) and
    // leaves it unlocked; --foreground keeps it our child.
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: { ...env, DBUS_SESSION_BUS_ADDRESS: address },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    children.push(keyring);
    let keyringStderr = '';
    keyring.on('error', (e) => (keyringStderr += `\n[could not start gnome-keyring-daemon: ${e.message}]`));
    keyring.stderr?.on('data', (c: Buffer) => (keyringStderr += c.toString()));
    keyring.stdin?.on('error', () => undefined); // a daemon that failed to start is reported below
    keyring.stdin?.end(PASSWORD);

    const dbus = (...args: string[]) => dbusSend(address, args);
    const locked = async () => /boolean true/.test(await dbus(LOGIN, 'org.freedesktop.DBus.Properties.Get', 'string:org.freedesktop.Secret.Collection', 'string:Locked'));

    // Ready once the login collection answers, unlocked (under load this takes a while).
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (keyring.pid === undefined || keyring.exitCode !== null || keyring.signalCode !== null) throw new Error(`gnome-keyring-daemon exited at start:\n${keyringStderr}`);
      const state = await locked().then(
        (l) => (l ? 'locked' : 'ready'),
        () => 'not yet',
      );
      if (state === 'ready') break;
      if (Date.now() > deadline) throw new Error(`the private keyring did not come up unlocked within ${START_TIMEOUT_MS / 1000} s (${state}):\n${keyringStderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    return {
      address,
      locked,
      async lock() {
        await dbus('/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', `array:objpath:${LOGIN}`);
        if (!(await locked())) throw new Error('the login keyring is still unlocked after Lock');
      },
      async unlock() {
        const result = await controlUnlock(join(run, 'keyring', 'control'), PASSWORD);
        if (result !== 0) throw new Error(`gnome-keyring-daemon refused to unlock (control result ${result}):\n${keyringStderr}`);
        if (await locked()) throw new Error('the login keyring is still locked after unlocking');
      },
      stop,
      pids: () => children.map((c) => c.pid).filter((p): p is number => p !== undefined),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Escapes a path for the bus config's XML. */
function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function firstLine(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${name} printed no address within ${START_TIMEOUT_MS / 1000} s:\n${err}`)), START_TIMEOUT_MS);
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code}:\n${err}`));
    });
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(out.slice(0, newline).trim());
    });
  });
}

/** Rejects when the program could not be started at all (not installed). */
function spawnFailure(child: ChildProcess, name: string): Promise<never> {
  return new Promise((_, reject) => child.once('error', (e) => reject(new Error(`could not start ${name}: ${e.message}`))));
}

/** One Secret Service call on the private bus (dbus-send comes with dbus itself). */
function dbusSend(address: string, [path, method, ...args]: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'dbus-send',
      ['--session', '--print-reply', '--reply-timeout=10000', '--dest=org.freedesktop.secrets', path, method, ...args],
      { env: { PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: address }, timeout: 15_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`dbus-send ${method}: ${stderr || err.message}`)) : resolve(stdout)),
    );
  });
}

/**
 * gnome-keyring-daemon's control protocol (what `gnome-keyring-daemon --unlock` and the PAM
 * module use): a credentials byte, then a packet of big-endian uint32s — total length,
 * operation (1 = unlock), password length — and the password; the answer is length + result
 * (0 = unlocked, 1 = wrong password).
 */
function controlUnlock(socketPath: string, password: string): Promise<number> {
  const secret = Buffer.from(password, 'utf8');
  const packet = Buffer.alloc(12 + secret.length);
  packet.writeUInt32BE(packet.length, 0);
  packet.writeUInt32BE(1, 4);
  packet.writeUInt32BE(secret.length, 8);
  secret.copy(packet, 12);
  return new Promise((resolve, reject) => {
    let answer = Buffer.alloc(0);
    // Not half-closed after writing: the daemon answers on the open connection, as its own client expects.
    const socket = connect(socketPath, () => socket.write(Buffer.concat([Buffer.from([0]), packet])));
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer from the keyring control socket within 10 s')));
    socket.on('data', (c: Buffer) => {
      answer = Buffer.concat([answer, c]);
      if (answer.length >= 8) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => (answer.length >= 8 ? resolve(answer.readUInt32BE(4)) : reject(new Error('the keyring control socket closed without an answer'))));
  });
}

