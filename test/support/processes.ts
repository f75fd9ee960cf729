// test/support/processes: starts the real `xborder` processes (built dist/) with a test environment and
// waits until each answers. Their output is kept for the failure message of a test that goes wrong.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import net from 'node:net';

export const cliPath = path.resolve('dist/cli/main.js');

export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `nodeArgs` go before the script (e.g. --cpu-prof, which NODE_OPTIONS does not accept). `launcher` runs node
 * (e.g. `ip netns exec NS`): it must exec it, so the child is the node process a signal reaches.
 */
export function startProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
  launcher: readonly string[] = [],
): RunningProcess {
  const [command, ...prefix] = [...launcher, process.execPath];
  const child = spawn(command, [...prefix, ...nodeArgs, cliPath, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
  return {
    name,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** Runs a short command to completion (through `launcher`, as startProcess); rejects with its output on failure. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  launcher: readonly string[] = [],
): Promise<string> {
  const [command, ...prefix] = [...launcher, process.execPath];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, cliPath, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`xborder ${args.join(' ')} exited ${code}: ${err}${out}`)),
    );
  });
}

/**
 * Waits for a started process to listen. A process that exits fails at once, so the generous default only
 * matters on a machine so loaded that a node process takes tens of seconds to boot (CI's 2 cores under load).
 */
export async function waitForPort(
  port: number,
  proc: RunningProcess,
  timeoutMs = 60_000,
  host = '127.0.0.1',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited early:\n${proc.output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${proc.name} did not listen on ${port}:\n${proc.output()}`);
}
