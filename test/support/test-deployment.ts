// test/support/test-deployment: one xborder deployment on this machine for a test — a private redis-server, a
// fresh data dir with the development PKI (`xborder certs init`), free ports and the environment the built
// processes read. It starts no role by itself: each test starts the roles it needs, when it needs them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, startProcess, waitForPort, type RunningProcess } from './processes.js';
import { freePort, startRedisServer, type TestRedis } from './redis-server.js';

export type Role = 'receiver' | 'workers' | 'gateway';
/** Every role, the receiver first: nothing is delivered before there is somewhere to deliver to. */
export const roles: readonly Role[] = ['receiver', 'workers', 'gateway'];

export interface TestDeploymentOptions {
  /** The partner whose key and certificate `certs init` makes (it signs attestations, and is delivered to). */
  readonly partner: string;
  /** The data dir's name in the temporary directory starts with this, so a leftover says whose it is. */
  readonly dataDirPrefix: string;
  /** XBORDER_* variables added to, or replacing, the defaults for every process. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Redis with AOF and `appendfsync always` (for a test that kills Redis). */
  readonly appendonly?: boolean | undefined;
  /** Node options for the role processes (benchmarks profile with --cpu-prof). */
  readonly nodeArgs?: readonly string[] | undefined;
  /** How long a started role may take to listen. */
  readonly startTimeoutMs?: number | undefined;
}

export interface TestDeployment {
  readonly redis: TestRedis;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string>>;
  /** The port each role listens on: the gateway's HTTP API, the workers' metrics, the receiver's TLS. */
  readonly ports: Readonly<Record<Role, number>>;
  readonly gatewayUrl: string;
  readonly workersMetricsUrl: string;
  /**
   * Starts `role` and waits until it listens; a role started again replaces the one before (stop that one
   * first). `env` adds to, or replaces, the deployment's variables for this process only.
   */
  start(role: Role, env?: Readonly<Record<string, string>>): Promise<RunningProcess>;
  /** The role's latest process, if it was started. */
  process(role: Role): RunningProcess | undefined;
  /** Each started role's recent output, for a failure message (a property: pass it on as it is). */
  readonly output: () => string;
  /** Stops every process with `signal`, then Redis, and removes the data dir. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function createTestDeployment(options: TestDeploymentOptions): Promise<TestDeployment> {
  const redis = await startRedisServer({ appendonly: options.appendonly ?? false });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), options.dataDirPrefix));
  const procs = new Map<Role, RunningProcess>();

  async function stop(signal?: NodeJS.Signals): Promise<void> {
    await Promise.all([...procs.values()].map((p) => p.stop(signal)));
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  try {
    const ports: Record<Role, number> = {
      gateway: await freePort(),
      workers: await freePort(),
      receiver: await freePort(),
    };
    const env: Record<string, string> = {
      XBORDER_REDIS_URL: redis.url,
      XBORDER_DATA_DIR: dataDir,
      XBORDER_POLICY_DIR: path.resolve('policies'),
      XBORDER_HTTP_PORT: String(ports.gateway),
      XBORDER_METRICS_PORT: String(ports.workers),
      XBORDER_RECEIVER_PORT: String(ports.receiver),
      // Retries a test can wait for; the default backoff is for real partners.
      XBORDER_DELIVERY_BACKOFF_MS: '200',
      XBORDER_LOG_LEVEL: 'warn',
      // The receiver (and whatever a test puts in front of it) listens on loopback, which endpoint URLs may
      // only resolve to when allowed (api.md §2); a test of the refusal overrides this.
      XBORDER_ENDPOINT_ALLOWED_NETS: '127.0.0.0/8,::1/128',
      ...options.env,
    };
    await runCli(['certs', 'init', '--partner', options.partner], env);
    return {
      redis,
      dataDir,
      env,
      ports,
      gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
      workersMetricsUrl: `http://127.0.0.1:${ports.workers}/metrics`,
      async start(role, extra) {
        const proc = startProcess(role, [role], { ...env, ...extra }, options.nodeArgs ?? []);
        procs.set(role, proc);
        await waitForPort(ports[role], proc, options.startTimeoutMs);
        return proc;
      },
      process: (role) => procs.get(role),
      output: () => [...procs.values()].map((p) => `--- ${p.name}\n${p.output()}`).join('\n'),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
