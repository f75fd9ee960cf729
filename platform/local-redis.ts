// platform/local-redis: which Redis `xborder start` (npm start) uses, said out loud (issue 15). Rules:
// - XBORDER_REDIS_URL set explicitly: that Redis, as told (started here if nothing answers on this machine);
// - the default URL answering with an empty database, or one this data dir's start created (the owner mark):
//   that one;
// - the default URL answering with a database that holds someone else's keys: never written to; a redis-server
//   of our own is started under the data dir on a free port instead;
// - nothing answering on this machine: a redis-server child on that port, data under the data dir, AOF on
//   (api.md §1).
// A redis-server started here is stopped by stop(), and killed when this process exits whatever the reason.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { markRedisDbOwner, pingRedis, readRedisDbState } from './redis.js';

export interface LocalRedis {
  /** The URL every role must use: the configured one, or the one of the redis-server started here. */
  readonly url: string;
  readonly started: boolean;
  readonly process: ChildProcess | null;
  /** Stops the redis-server started here (SIGTERM: it finishes its AOF) and resolves once it has exited. */
  stop(): Promise<void>;
}

export interface EnsureRedisOptions {
  readonly url: string;
  /** True when XBORDER_REDIS_URL was set: the user chose this Redis, so its contents are theirs to mix. */
  readonly explicit: boolean;
  readonly dataDir: string;
  readonly say: (line: string) => void;
  /**
   * Set when XBORDER_REDIS_CLUSTER_NODES or XBORDER_REDIS_SENTINELS say where Redis is: then it is the operator's,
   * neither started nor inspected here (DBSIZE and the owner mark mean nothing across a cluster's nodes).
   */
  readonly topology?: 'cluster' | 'sentinel';
  /** The owner mark's key under XBORDER_REDIS_PREFIX (registry/keys.ts redisOwner). */
  readonly ownerKey?: string;
  /** Where xborder keeps its keys, for the lines it prints: `keys under xb: and bull:` by default. */
  readonly keyPrefixes?: string;
}

export class RedisUnavailableError extends Error {}

const localHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Where xborder keeps its keys in a database by default: its own records and BullMQ's queues. */
const defaultKeyPrefixes = 'keys under xb: and bull:';

/** The URL without its password, for printing. */
export function displayRedisUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}

function dbOf(url: string): number {
  const db = Number(new URL(url).pathname.replace('/', '') || '0');
  return Number.isInteger(db) ? db : 0;
}

/** A port free on loopback now (the OS picks it); tests use it too (test/support/redis-server.ts). */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function startRedisServer(port: string, dir: string, url: string): Promise<ChildProcess> {
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
    // Its own process group: Ctrl-C at the terminal reaches only xborder, which drains first and then stops
    // Redis, instead of Redis vanishing under the draining workers.
    { stdio: 'ignore', detached: true },
  );
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) {
    throw new RedisUnavailableError(
      `Redis does not answer at ${displayRedisUrl(url)} and redis-server is not installed. Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set XBORDER_REDIS_URL.`,
    );
  }
  // Whatever ends this process (an error, process.exit, a second Ctrl-C), the redis-server goes with it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  for (let i = 0; i < 50; i += 1) {
    if (child.exitCode !== null) break;
    if (await pingRedis(url, 200)) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(
    `redis-server was started on port ${port} but does not answer; is the port taken? (XBORDER_REDIS_URL)`,
  );
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

async function startOwn(url: string, options: EnsureRedisOptions, why: string): Promise<LocalRedis> {
  const { dataDir, say } = options;
  const keyPrefixes = options.keyPrefixes ?? defaultKeyPrefixes;
  const parsed = new URL(url);
  const port = parsed.port === '' ? '6379' : parsed.port;
  const dir = path.join(dataDir, 'redis');
  const child = await startRedisServer(port, dir, url);
  await markRedisDbOwner(url, dataDir, options.ownerKey);
  say(
    `Redis: ${displayRedisUrl(url)} db ${dbOf(url)}, ${keyPrefixes} — redis-server started by xborder ${why}` +
      ` (AOF on, data in ${dir}); it stops when xborder stops.`,
  );
  return { url, started: true, process: child, stop: stopper(child) };
}

export async function ensureRedis(options: EnsureRedisOptions): Promise<LocalRedis> {
  const { url, explicit, dataDir, say } = options;
  const parsed = new URL(url);
  const keyPrefixes = options.keyPrefixes ?? defaultKeyPrefixes;
  const shown = `${displayRedisUrl(url)} db ${dbOf(url)}, ${keyPrefixes}`;
  const external = (): LocalRedis => ({ url, started: false, process: null, stop: () => Promise.resolve() });
  if (options.topology !== undefined) {
    say(
      `Redis: a ${options.topology === 'cluster' ? 'Redis Cluster (XBORDER_REDIS_CLUSTER_NODES)' : 'master found through Sentinel (XBORDER_REDIS_SENTINELS)'}, ${keyPrefixes} — as configured (not started, inspected or stopped by xborder).`,
    );
    return external();
  }
  if (await pingRedis(url)) {
    if (explicit) {
      say(`Redis: ${shown} — already running, as XBORDER_REDIS_URL says (not stopped by xborder).`);
      return external();
    }
    const state = await readRedisDbState(url, 1000, options.ownerKey);
    if (state.keys === 0 || state.owner === dataDir) {
      await markRedisDbOwner(url, dataDir, options.ownerKey);
      say(
        `Redis: ${shown} — already running, ${state.keys === 0 ? 'its database was empty' : `its database was created by xborder for ${dataDir}`} (not stopped by xborder).`,
      );
      return external();
    }
    // Someone else's data: never mix ours into it (issue 15).
    say(
      `Redis at ${displayRedisUrl(url)} answers, but its db ${dbOf(url)} holds ${state.keys} keys xborder did not write: leaving it alone.`,
    );
    const own = new URL('redis://127.0.0.1');
    own.port = String(await freeLocalPort());
    return startOwn(
      own.toString().replace(/\/$/, ''),
      options,
      'on a free port instead (set XBORDER_REDIS_URL to choose a Redis)',
    );
  }
  if (!localHosts.has(parsed.hostname)) {
    throw new RedisUnavailableError(
      `Redis does not answer at ${displayRedisUrl(url)}. Start it, or point XBORDER_REDIS_URL at a running Redis.`,
    );
  }
  return startOwn(url, options, 'because none answered there');
}
