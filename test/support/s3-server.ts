// test/support/s3-server: a real S3-compatible server for tests (OpenStack Swift with its s3api middleware and
// tempauth, single-replica rings, devices in a temp dir, all servers on free loopback ports). Never a mock.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createObjectStoreClient } from '../../platform/object-store.js';
import { freePort, redisServerEnv } from './redis-server.js';

export interface TestS3Server {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The servers' output (proxy, account, container, object, memcached), for a failing test's message. */
  readonly logFile: string;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

const region = 'us-east-1';
// tempauth's user "tester" of account "test": s3api takes "account:user" as the access key id.
const accessKeyId = 'test:tester';
const secretAccessKey = 'testing';
const ringServices = ['account', 'container', 'object'] as const;
// Debian's python3-swift lives in the system interpreter (the one the swift-* scripts name), not a pyenv one.
const swiftPython = '/usr/bin/python3';

/**
 * The environment for the Swift servers. Under `npm run test:dates` (libfaketime) the test runner's clock has
 * been moving since it started at the fake instant; SigV4 refuses requests more than 15 minutes off the
 * server's clock, so Swift starts its own fake clock at the runner's current instant instead of the initial one.
 */
function swiftEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if ((env['LD_PRELOAD'] ?? '').includes('faketime')) {
    env['FAKETIME'] = `@${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
    env['TZ'] = 'UTC';
  }
  return env;
}

/**
 * Builds the account, container and object rings (2^6 partitions, one replica, one device each) in one Python
 * process, instead of nine `swift-ring-builder` runs that each pay Python's start-up, and checks first that the
 * devices directory takes extended attributes (Swift keeps object metadata in them).
 */
const buildRingsScript = `
import os, sys
from swift.common.ring import RingBuilder
swift_dir, device_dir = sys.argv[1], sys.argv[2]
os.setxattr(device_dir, "user.xborder", b"1")
for arg in sys.argv[3:]:
    service, port = arg.split(":")
    builder = RingBuilder(6, 1, 1)
    builder.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": int(port),
                     "device": "d1", "weight": 100, "meta": ""})
    builder.rebalance()
    builder.save(os.path.join(swift_dir, service + ".builder"))
    builder.get_ring().save(os.path.join(swift_dir, service + ".ring.gz"))
`;

function buildRings(dir: string, ports: Readonly<Record<(typeof ringServices)[number], number>>): void {
  const run = spawnSync(
    swiftPython,
    [
      '-c',
      buildRingsScript,
      dir,
      path.join(dir, 'srv', 'd1'),
      ...ringServices.map((s) => `${s}:${ports[s]}`),
    ],
    { encoding: 'utf8', env: redisServerEnv() },
  );
  if (run.error !== undefined || run.status !== 0) {
    throw new Error(
      `building Swift rings in ${dir} failed (is python3-swift installed? does ${os.tmpdir()} take user ` +
        `xattrs?): ${run.error?.message ?? ''}${run.stderr}`,
    );
  }
}

/** The [DEFAULT] lines every Swift server's config starts with: loopback, one process, this user. */
function serverDefaults(dir: string, port: number, host = '127.0.0.1'): string {
  return `[DEFAULT]
bind_ip = ${host}
bind_port = ${port}
workers = 0
user = ${os.userInfo().username}
swift_dir = ${dir}
`;
}

function storageServerConf(dir: string, service: string, port: number): string {
  return `${serverDefaults(dir, port)}devices = ${path.join(dir, 'srv')}
mount_check = false
disable_fallocate = true
log_level = INFO
[pipeline:main]
pipeline = healthcheck ${service}-server
[filter:healthcheck]
use = egg:swift#healthcheck
[app:${service}-server]
use = egg:swift#${service}
`;
}

/** Proxy middleware used as Swift ships it: each section is its name and its egg (`-` read as `_`). */
const plainFilters = [
  'catch_errors',
  'gatekeeper',
  'healthcheck',
  'proxy-logging',
  'listing_formats',
  'bulk',
  'copy',
  'slo',
  'dlo',
  'versioned_writes',
] as const;

function proxyServerConf(dir: string, port: number, memcachedPort: number, host: string): string {
  // s3api must sit before the auth middleware, with slo after it (multipart uploads are stored as SLO manifests).
  return `${serverDefaults(dir, port, host)}log_level = INFO
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo versioned_writes proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = ${secretAccessKey} .admin
[filter:s3api]
use = egg:swift#s3api
location = ${region}
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${memcachedPort}
${plainFilters.map((name) => `[filter:${name}]\nuse = egg:swift#${name.replace('-', '_')}\n`).join('')}`;
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/**
 * Starts memcached (tempauth and s3api need a cache) and Swift's account, container, object and proxy servers.
 * Takes ~2–5 s (Python start-up), so start one per test file in `before`, not per test. `host`: the address the
 * proxy (the S3 endpoint) listens on, loopback by default; the storage servers behind it stay on loopback.
 */
export async function startS3Server(options: { readonly host?: string } = {}): Promise<TestS3Server> {
  const host = options.host ?? '127.0.0.1';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-s3-'));
  mkdirSync(path.join(dir, 'srv', 'd1'), { recursive: true });
  writeFileSync(
    path.join(dir, 'swift.conf'),
    '[swift-hash]\nswift_hash_path_suffix = xborder-test\nswift_hash_path_prefix = xborder-test\n' +
      '[storage-policy:0]\nname = Policy-0\ndefault = yes\n',
  );
  const ports = {
    account: await freePort(),
    container: await freePort(),
    object: await freePort(),
    proxy: await freePort(),
    memcached: await freePort(),
  };
  buildRings(dir, ports);
  for (const service of ringServices) {
    writeFileSync(path.join(dir, `${service}-server.conf`), storageServerConf(dir, service, ports[service]));
  }
  writeFileSync(
    path.join(dir, 'proxy-server.conf'),
    proxyServerConf(dir, ports.proxy, ports.memcached, host),
  );

  const logFile = path.join(os.tmpdir(), `${path.basename(dir)}.log`);
  const log: WriteStream = createWriteStream(logFile);
  const children: ChildProcess[] = [];
  const launch = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv): void => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout?.on('data', (c: Buffer) => log.write(`[${name}] ${c.toString()}`));
    child.stderr?.on('data', (c: Buffer) => log.write(`[${name}] ${c.toString()}`));
    child.on('error', (err) => log.write(`[${name}] ${err.message}\n`));
    children.push(child);
  };
  // memcached runs on the real clock like redis-server (it only keeps relative TTLs here).
  launch(
    'memcached',
    'memcached',
    ['-l', '127.0.0.1', '-p', String(ports.memcached), '-U', '0', '-m', '16', '-u', os.userInfo().username],
    redisServerEnv(),
  );
  const env = swiftEnv();
  for (const service of [...ringServices, 'proxy'] as const) {
    launch(service, `swift-${service}-server`, [path.join(dir, `${service}-server.conf`), '--verbose'], env);
  }

  const stop = async (): Promise<void> => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(waitExit));
    await new Promise<void>((resolve) => log.end(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };

  const endpoint = `http://${host}:${ports.proxy}`;
  const storage = ringServices.map((s) => `http://127.0.0.1:${ports[s]}/healthcheck`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await Promise.all([`${endpoint}/healthcheck`, ...storage].map(healthy));
    if (up.every(Boolean)) break;
    const dead = children.find((c) => c.exitCode !== null);
    if (dead !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`Swift did not start (is the swift package installed?); see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    endpoint,
    region,
    accessKeyId,
    secretAccessKey,
    logFile,
    async createBucket(name: string) {
      const client = createObjectStoreClient({
        endpoint,
        region,
        forcePathStyle: true,
        credentials: { accessKeyId, secretAccessKey },
      });
      try {
        await client.createBucket(name);
      } finally {
        client.close();
      }
    },
    stop,
  };
}
