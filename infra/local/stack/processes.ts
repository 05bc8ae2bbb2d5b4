import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/** A child process of the supervisor, in its own process group so it can be stopped whole. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Starts a child with its output in `<logDir>/<name>.log`. Each child leads its own process
 * group, so stopping it also stops anything it started (Java forks, tsx workers).
 */
export function startProcess(input: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logDir: string;
}): ManagedProcess {
  const log = createWriteStream(join(input.logDir, `${input.name}.log`), { flags: 'a' });
  const child = spawn(input.command, input.args, {
    cwd: input.cwd,
    env: input.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      log.write(`failed to start: ${error.message}\n`);
      resolve(-1);
    });
  });
  return { name: input.name, child, exited };
}

/** Sends SIGTERM to the child's group, then SIGKILL after `graceMs` if it has not exited. */
export async function stopProcess(processToStop: ManagedProcess, graceMs = 5_000): Promise<void> {
  const { child } = processToStop;
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(child.pid, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), graceMs).unref(),
  );
  if ((await Promise.race([processToStop.exited, timer])) === 'timeout') {
    signalGroup(child.pid, 'SIGKILL');
    await processToStop.exited;
  }
  // The leader may exit before its group: make sure nothing of the group stays.
  signalGroup(child.pid, 'SIGKILL');
}

/**
 * Kills the child's whole group with SIGKILL and waits for the child to exit, so nothing in
 * it can run cleanup code, as when a Lambda instance dies mid-invocation.
 */
export async function killProcess(processToKill: ManagedProcess): Promise<void> {
  const { child } = processToKill;
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(child.pid, 'SIGKILL');
  await processToKill.exited;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Waits until a TCP port on 127.0.0.1 accepts connections, or fails after `timeoutMs` or
 * as soon as the process exits.
 */
export async function waitForPort(
  port: number,
  owner: ManagedProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let hasExited = false;
  owner.exited.then(() => {
    hasExited = true;
  });
  while (Date.now() < deadline) {
    if (hasExited) throw new Error(`${owner.name} exited before it was ready; see its log`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${owner.name} was not ready on port ${port} after ${timeoutMs} ms; see its log`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
