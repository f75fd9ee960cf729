// bench/support/node-process: starts a compiled bench script (dist/bench/...) as its own Node process with a
// JSON argument, so baselines run in separate processes exactly like the xborder roles they stand for.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RunningProcess } from '../../test/support/processes.js';

export function startBenchProcess(name: string, script: string, options: object): RunningProcess {
  const child = spawn(process.execPath, [path.resolve('dist/bench', script), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-20000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return {
    name,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill(signal);
      }),
  };
}

/** Runs a compiled bench script to its end; resolves with its standard output, rejects on a non-zero exit. */
export function runBenchProcess(script: string, options: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve('dist/bench', script), JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}: ${err}`)),
    );
  });
}
