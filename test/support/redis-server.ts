// test/support/redis-server: a private redis-server on a free port for tests that need isolation (and for
// crash tests: kill -9 and restart on the same data dir). Real Redis, never a mock.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLocalPort } from '../../platform/local-redis.js';
import { pingRedis } from '../../platform/redis.js';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  kill9(): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A port free on loopback now: the same probe `xborder start` uses for its own redis-server. */
export const freePort = freeLocalPort;

/**
 * The environment for a redis-server child. `npm run test:dates` runs the suite under libfaketime to move the
 * clock (16:30 UTC, New Year's Eve in China); redis-server hangs under it (its allocator calls clock_gettime
 * before libfaketime is ready), so the server runs on the real clock: Redis only keeps relative TTLs here.
 */
export function redisServerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['LD_PRELOAD'];
  delete env['FAKETIME'];
  return env;
}

export interface TestRedisOptions {
  readonly appendonly?: boolean;
  /** An address to listen on besides loopback, which the URL then names (hosts in network namespaces). */
  readonly host?: string;
}

export async function startRedisServer(options: TestRedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-redis-'));
  const url = `redis://${options.host ?? '127.0.0.1'}:${port}`;
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    // Another address takes protected mode off: Redis would refuse every client but loopback ones (no password).
    const bind =
      options.host === undefined ? ['127.0.0.1'] : ['127.0.0.1', options.host, '--protected-mode', 'no'];
    const args = ['--port', String(port), '--bind', ...bind, '--dir', dir, '--save', ''];
    if (options.appendonly === true) args.push('--appendonly', 'yes', '--appendfsync', 'always');
    child = spawn('redis-server', args, { stdio: 'ignore', env: redisServerEnv() });
    for (let i = 0; i < 100; i += 1) {
      if (await pingRedis(url, 200)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${port} did not start (is redis-server installed?)`);
  };
  await launch();

  const waitExit = (proc: ChildProcess | null) =>
    new Promise<void>((resolve) => {
      if (proc === null || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
    });

  return {
    url,
    port,
    dir,
    kill9: () => child?.kill('SIGKILL'),
    async restart() {
      await waitExit(child);
      await launch();
    },
    async stop() {
      const proc = child;
      proc?.kill('SIGTERM');
      await waitExit(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
