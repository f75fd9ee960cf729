// test/support/redis-cluster: a real Redis Cluster of three masters (redis-server --cluster-enabled yes) and a
// real Sentinel watching a master, on free loopback ports, started and stopped by the test. Never a mock.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, redisServerEnv, startRedisServer, type TestRedis } from './redis-server.js';
import { createRedis, pingRedis } from '../../platform/redis.js';

/** A Redis topology a deployment reaches through XBORDER_* variables (added to its environment). */
export interface TestRedisTopology {
  /** XBORDER_REDIS_URL and the variables that name the cluster seeds or the sentinels. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const clusterSize = 3;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (+10000) is free too, so both fit below 65536. */
async function freeClusterPort(taken: ReadonlySet<number>): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const port = await freePort();
    if (port > 55535 || taken.has(port) || taken.has(port + 10000)) continue;
    if (await canListen(port + 10000)) return port;
  }
  throw new Error('no free port pair (port, port + 10000) below 55536');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function waitExit(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
  });
}

async function waitPing(port: number, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await pingRedis(`redis://127.0.0.1:${port}`, 200)) return;
    await sleep(50);
  }
  throw new Error(`${what} on port ${port} did not start (is redis-server installed?)`);
}

/** Three masters, slots split by `redis-cli --cluster create`; resolves once every node says cluster_state:ok. */
export async function startRedisCluster(): Promise<TestRedisTopology> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-cluster-'));
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < clusterSize; i += 1) {
    const port = await freeClusterPort(taken);
    taken.add(port);
    taken.add(port + 10000);
    ports.push(port);
  }
  const children = ports.map((port) => {
    const nodeDir = path.join(dir, String(port));
    return spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `${nodeDir}.conf`,
        '--cluster-node-timeout',
        '5000',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore', env: redisServerEnv() },
    );
  });
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(waitExit));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(ports.map((port) => waitPing(port, 'cluster node')));
    const created = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes'],
      { encoding: 'utf8', env: redisServerEnv(), timeout: 60_000 },
    );
    if (created.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    for (const port of ports) {
      const client = createRedis(`redis://127.0.0.1:${port}`);
      try {
        let info = '';
        for (let i = 0; i < 300 && !info.includes('cluster_state:ok'); i += 1) {
          info = String(await client.call('CLUSTER', 'INFO'));
          if (!info.includes('cluster_state:ok')) await sleep(100);
        }
        if (!info.includes('cluster_state:ok'))
          throw new Error(`cluster node ${port} never reached cluster_state:ok`);
      } finally {
        client.disconnect();
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    env: {
      XBORDER_REDIS_URL: `redis://127.0.0.1:${ports[0]}`,
      XBORDER_REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(','),
    },
    stop,
  };
}

/** A master and one Sentinel watching it (quorum 1) under `master`; the URL given names no reachable host. */
export async function startRedisSentinel(
  master = 'xbmaster',
): Promise<TestRedisTopology & { readonly master: TestRedis }> {
  const server = await startRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-sentinel-'));
  const conf = path.join(dir, 'sentinel.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${master} 127.0.0.1 ${server.port} 1`,
      '',
    ].join('\n'),
  );
  const sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore', env: redisServerEnv() });
  const stop = async () => {
    sentinel.kill('SIGTERM');
    await waitExit(sentinel);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitPing(port, 'redis sentinel');
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    master: server,
    env: {
      // Only credentials and the db come from the URL; the host is whatever the sentinel names.
      XBORDER_REDIS_URL: 'redis://sentinel-named-master.invalid:1/0',
      XBORDER_REDIS_SENTINELS: `127.0.0.1:${port}`,
      XBORDER_REDIS_SENTINEL_MASTER: master,
    },
    stop,
  };
}
