// platform/local-redis: for `npm start` on a fresh machine — if nothing answers at the Redis URL and it points
// at this machine, start a `redis-server` child with its data under the data dir and AOF on (api.md §1).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pingRedis } from './redis.js';

export interface LocalRedis {
  readonly started: boolean;
  readonly process: ChildProcess | null;
  stop(): void;
}

export class RedisUnavailableError extends Error {}

const localHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export async function ensureRedis(
  url: string,
  dataDir: string,
  say: (line: string) => void,
): Promise<LocalRedis> {
  if (await pingRedis(url)) return { started: false, process: null, stop: () => undefined };
  const parsed = new URL(url);
  if (!localHosts.has(parsed.hostname)) {
    throw new RedisUnavailableError(
      `Redis does not answer at ${url}. Start it, or point XBORDER_REDIS_URL at a running Redis.`,
    );
  }
  const port = parsed.port === '' ? '6379' : parsed.port;
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port',
      port,
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) {
    throw new RedisUnavailableError(
      `Redis does not answer at ${url} and redis-server is not installed. Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set XBORDER_REDIS_URL.`,
    );
  }
  for (let i = 0; i < 50; i += 1) {
    if (await pingRedis(url, 200)) {
      say(`Started redis-server on port ${port} (AOF on, data in ${dir}); it stops when this process stops.`);
      return { started: true, process: child, stop: () => child.kill('SIGTERM') };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(
    `redis-server was started on port ${port} but does not answer; is the port taken?`,
  );
}
